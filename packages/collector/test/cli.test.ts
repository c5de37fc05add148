import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/main.ts";
import { startFirehoseServer } from "./firehose-server.ts";
import { startXServer, xLine, type XServer } from "./x-server.ts";

const CLI = resolve(import.meta.dirname, "../src/cli.ts");
const ROOT = resolve(import.meta.dirname, "../../..");

function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

let dir: string;
let server: XServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cli-"));
  server = await startXServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("collector CLI", () => {
  /** Runs main() in this process, capturing what it writes. */
  async function runMain(argv: string[], env: Record<string, string>) {
    let out = "";
    let err = "";
    const o = vi.spyOn(process.stdout, "write").mockImplementation((c) => ((out += String(c)), true));
    const e = vi.spyOn(process.stderr, "write").mockImplementation((c) => ((err += String(c)), true));
    try {
      return { code: await main(argv, env), out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it("prints help and exits 0", async () => {
    const r = await runMain(["--help"], {});
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Commands:\n\s+run\s/);
  });

  it("exits 2 naming the variable when configuration is wrong", async () => {
    const r = await runMain(["run"], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/X_BEARER_TOKEN/);
    const f = await runMain(["generate", "--count", "1", "--data-dir", join(dir, "data")], { FIREHOSE_STREAM_NAME: "s", AWS_REGION: "us-east-1", FIREHOSE_ENDPOINT: "http://127.0.0.1:9" });
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it("estimate prints volume and cost from X's counts; rules dry-run shows the diff without changing X", async () => {
    const day = (i: number) => new Date(Date.UTC(2026, 10, 17 + i)).toISOString();
    server.counts = Array.from({ length: 7 }, (_, i) => ({ start: day(i), end: day(i + 1), tweet_count: 100 }));
    const env = { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base, X_RULES: "a: aave lang:en\nb: uniswap lang:en" };
    const e = await runMain(["estimate"], env);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.out)).toMatchObject({ postsPerDay: 100, postsPerMonth: 3000, usdPerMonth: 15 });
    server.rules.set("1900000000000000099", { tag: "old", value: "stale" });
    const r = await runMain(["rules", "dry-run"], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ dryRun: true, add: [{ tag: "a" }, { tag: "b" }], delete: [{ id: "1900000000000000099" }] });
    expect([...server.rules.keys()]).toEqual(["1900000000000000099"]);
    expect(e.err + r.err).not.toContain('"tok"');
  });

  it("on SIGTERM stops reading, delivers what it read, and exits 0 without logging the token", async () => {
    const now = Date.now();
    server.streamReplies.push({ steps: [1, 2, 3].map((n) => ({ line: xLine(n, new Date(now - 60_000 + n * 1000).toISOString()) })) });
    const cli = startCli(["run", "--sink", "stdout", "--data-dir", join(dir, "data")], { X_BEARER_TOKEN: "very-secret-token", X_API_BASE_URL: server.base });
    for (let i = 0; i < 150 && cli.out().split("\n").filter(Boolean).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    const posts = cli.out().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(posts.map((p) => p.id)).toEqual(["1800000000000000001", "1800000000000000002", "1800000000000000003"]);
    expect(cli.err()).toMatch(/"event":"stopped"/);
    expect(cli.err()).not.toContain("very-secret-token");
    // No AWS lake configured: one warning says notices are only logged.
    expect(cli.err().split("\n").filter((l) => l.includes('"event":"deletion-targets"'))).toEqual([expect.stringMatching(/"level":"warn".*only logged.*LAKE_BUCKET, ATHENA_DATABASE and ATHENA_WORKGROUP/)]);
  }, 30_000);

  it("delivers to Firehose when FIREHOSE_STREAM_NAME is set", async () => {
    const firehose = await startFirehoseServer();
    try {
      const cli = startCli(["generate", "--count", "300", "--data-dir", join(dir, "data")], {
        FIREHOSE_STREAM_NAME: "defi-posts",
        AWS_REGION: "us-east-1",
        FIREHOSE_ENDPOINT: firehose.url,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
      });
      expect(await cli.exited).toBe(0);
      const ids = new Set(firehose.accepted.map((r) => (JSON.parse(r.toString("utf8")) as { id: string }).id));
      expect(ids.size).toBe(300);
      expect(firehose.calls.every((c) => c.streamName === "defi-posts")).toBe(true);
    } finally {
      await firehose.close();
    }
  }, 30_000);
});
