/** Fixtures for delivery tests: synthetic posts (never real ones), temp dirs, a sink pointed at the local server. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateStreamLines, postFromStreamLine, type Post } from "@defi-sentiment/shared";
import { createFirehoseSink } from "../src/delivery/index.ts";
import type { DeadLetterLine } from "../src/delivery/index.ts";

const COLLECTED_AT = new Date("2026-11-20T12:00:00Z");

/** `count` synthetic posts, deterministic for a seed. */
export function makePosts(count: number, seed = 1): Post[] {
  const out: Post[] = [];
  for (const line of generateStreamLines(count, { seed })) out.push(postFromStreamLine(line, "generator", COLLECTED_AT));
  return out;
}

/** A post whose Firehose record (JSON + "\n") is exactly `bytes` long (bytes ≥ the base post's size). */
export function postOfRecordSize(base: Post, id: string, bytes: number): Post {
  const post = { ...base, id, text: "" };
  const empty = Buffer.byteLength(JSON.stringify(post) + "\n");
  if (bytes < empty) throw new RangeError(`a post record cannot be smaller than ${empty} bytes`);
  return { ...post, text: "x".repeat(bytes - empty) };
}

export function tempDirs(label: string): { root: string; spoolDir: string; deadLetterDir: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), `collector-${label}-`));
  return {
    root,
    spoolDir: path.join(root, "spool"),
    deadLetterDir: path.join(root, "dead-letter"),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The real Firehose SDK client, aimed at the local server; SDK retries off unless asked, so delivery's policy is what runs. */
export function sinkFor(url: string, maxAttempts = 1) {
  return createFirehoseSink({
    deliveryStreamName: "defi-posts-test",
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestTimeoutMs: 5_000,
    maxAttempts,
  });
}

export function readDeadLetters(dir: string): DeadLetterLine[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".ndjson"))
    .flatMap((n) => readFileSync(path.join(dir, n), "utf8").split("\n").filter(Boolean))
    .map((l) => JSON.parse(l) as DeadLetterLine);
}

/** An injected sleep that records each delay and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}
