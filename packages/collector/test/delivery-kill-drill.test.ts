import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seededRandom } from "@defi-sentiment/shared";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BATCHES_IN_FLIGHT } from "../src/delivery/index.ts";
import { startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { makePosts, tempDirs } from "./delivery-fixtures.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const driver = path.join(here, "kill-drill-driver.ts");

let server: StartedFirehoseServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  cleanup?.();
});

interface RunResult {
  acked: number;
  openSpooled: number;
  drained: boolean;
  killed: boolean;
}

/** Runs the driver; if `killAfterAcks` is set, SIGKILLs it that many ack lines later plus `extraMs`. */
function runDriver(args: object, killAfterAcks: number | null, extraMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", driver, JSON.stringify(args)], { stdio: ["ignore", "pipe", "pipe"], cwd: here });
    const result: RunResult = { acked: -1, openSpooled: -1, drained: false, killed: false };
    let acks = 0;
    let buffered = "";
    let stderr = "";
    const hardStop = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      let nl;
      while ((nl = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith("open spooled=")) result.openSpooled = Number(line.slice(13));
        if (line.startsWith("acked ")) {
          result.acked = Number(line.slice(6));
          acks++;
          if (killAfterAcks !== null && acks === killAfterAcks && !result.killed) {
            result.killed = true;
            setTimeout(() => child.kill("SIGKILL"), extraMs);
          }
        }
        if (line.startsWith("drained")) result.drained = true;
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(hardStop);
      if (signal === "SIGKILL" && result.killed) resolve(result);
      else if (code === 0) resolve({ ...result, killed: false });
      else reject(new Error(`driver exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

describe("kill -9 drill", () => {
  it("loses no acknowledged post across 10 random SIGKILLs; duplicates stay within the batches in flight per crash", { timeout: 120_000 }, async () => {
    const dirs = tempDirs("kill-drill");
    cleanup = dirs.cleanup;
    const persistPath = path.join(dirs.root, "firehose-accepted.ndjson");
    server = await startFirehoseServer({ faults: { latencyMs: 15 }, persistPath, keepRecords: false });
    const total = 3_000;
    const chunk = 50;
    const r = seededRandom(2026);
    const kills = 10;
    let lastAcked = 0;
    const restartsWithBacklog: number[] = [];
    const everAcked = new Set<number>();
    const linesAfterRun: number[] = [];
    const persistedLines = () => (existsSync(persistPath) ? readFileSync(persistPath, "utf8").split("\n").filter(Boolean).length : 0);
    for (let k = 0; k < kills; k++) {
      const start = Math.max(0, lastAcked - chunk); // re-offer the last acknowledged chunk: dedupe must drop it
      const res = await runDriver({ url: server.url, ...dirs, start, total, chunk }, 1 + Math.floor(r() * 6), Math.floor(r() * 40));
      if (res.openSpooled > 0) restartsWithBacklog.push(res.openSpooled);
      if (res.acked > lastAcked) lastAcked = res.acked;
      for (let i = 0; i < res.acked; i++) everAcked.add(i);
      // A call the dead child had fully sent may still be finishing on the server: let it land first,
      // so each run's deliveries are counted in its own interval.
      for (let i = 0; i < 400 && server.active > 0; i++) await new Promise((r) => setTimeout(r, 5));
      linesAfterRun.push(persistedLines());
      if (!res.killed) break; // finished before the kill landed
    }
    const final = await runDriver({ url: server.url, ...dirs, start: Math.max(0, lastAcked - chunk), total, chunk }, null, 0);
    expect(final.drained).toBe(true);

    const posts = makePosts(total, 77);
    const delivered = existsSync(persistPath)
      ? readFileSync(persistPath, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id)
      : [];
    const distinct = new Set(delivered);
    // Every acknowledged post (and, after the final run, every post) reached the service.
    for (const i of everAcked) expect(distinct.has(posts[i]!.id)).toBe(true);
    expect(distinct).toEqual(new Set(posts.map((p) => p.id)));
    // After upsert by id there are zero duplicates; before it, at most the batches in flight per crash
    // (up to DEFAULT_MAX_BATCHES_IN_FLIGHT, sent concurrently; a later one that completed is not acked
    // while an earlier one is still out): each run's copies include at most window × 500 repeats.
    // (Runs here already repeat a full 500-record batch, so the old one-batch bound would be at its edge.)
    const perCrash = DEFAULT_MAX_BATCHES_IN_FLIGHT * 500;
    const duplicates = delivered.length - distinct.size;
    expect(duplicates).toBeLessThanOrEqual(kills * perCrash);
    const seenBefore = new Set<string>();
    const repeatsPerRun: number[] = [];
    let from = 0;
    for (const to of [...linesAfterRun, delivered.length]) {
      let repeats = 0;
      for (const id of delivered.slice(from, to)) {
        if (seenBefore.has(id)) repeats++;
        seenBefore.add(id);
      }
      repeatsPerRun.push(repeats);
      from = Math.max(from, to);
    }
    expect(Math.max(...repeatsPerRun), JSON.stringify({ repeatsPerRun, linesAfterRun })).toBeLessThanOrEqual(perCrash);
    expect(restartsWithBacklog.length).toBeGreaterThan(0); // the kills did land with work pending
    expect(server.maxConcurrent).toBeLessThanOrEqual(DEFAULT_MAX_BATCHES_IN_FLIGHT);
    console.log(JSON.stringify({ drill: "kill-9", kills, delivered: delivered.length, distinct: distinct.size, duplicates, repeatsPerRun, restartsWithBacklog }));
  });
});
