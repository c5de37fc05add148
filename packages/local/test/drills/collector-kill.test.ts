/**
 * Crash drill (a): kill -9 the collector CLI (generator source, fixed seed; delivering to the
 * Firehose-protocol test server, which appends every accepted record to a file) at random points,
 * restart it each time, let the last run finish, then process everything Firehose accepted into
 * a lake. Every post the source produced must be acknowledged, and in the table exactly once.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "@defi-sentiment/shared";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's protocol test servers, reused, not copied (issue 8)
import { startFirehoseServer, type StartedFirehoseServer } from "../../../collector/test/firehose-server.ts";
import { startProcessor } from "../soak/run-soak.ts";
import { runAndMaybeKill, tableCheck } from "./kill-loop.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../../..");
const cli = path.join(repo, "packages/collector/src/cli.ts");
const cycles = Number(process.env.DRILL_CYCLES ?? 10);

let root = "";
let server: StartedFirehoseServer | undefined;
afterEach(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("crash drill: kill -9 the collector", () => {
  it(`every post is acknowledged and in the table exactly once after ${cycles} random kills and restarts`, { timeout: 300_000 }, async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "drill-collector-"));
    const persistPath = path.join(root, "firehose-accepted.ndjson");
    server = await startFirehoseServer({ faults: { latencyMs: 20, recordFailureRate: 0.05 }, random: seededRandom(3), persistPath, keepRecords: false });
    const count = 40_000;
    const args = [cli, "generate", "--count", String(count), "--seed", "5", "--sink", "firehose", "--data-dir", path.join(root, "collector")];
    const env = { FIREHOSE_STREAM_NAME: "drill", AWS_REGION: "us-east-1", FIREHOSE_ENDPOINT: server.url, AWS_ACCESS_KEY_ID: "drill", AWS_SECRET_ACCESS_KEY: "drill", HEALTH_INTERVAL_MS: "60000" };
    const random = seededRandom(21);
    const outcomes = [];
    const lines = () => readFileSync(persistPath, "utf8").split("\n").filter(Boolean).length;
    for (let i = 0; i < cycles; i++) {
      const killAfterMs = 1200 + Math.floor(random() * 2500);
      const o = await runAndMaybeKill(args, { cwd: repo, env, killAfterMs });
      outcomes.push({ killAfterMs, killed: o.killed, code: o.code, acceptedSoFar: lines() });
      if (!o.killed) expect(o.code, o.stderr).toBe(0);
    }
    const final = await runAndMaybeKill(args, { cwd: repo, env, killAfterMs: null });
    expect(final.code, final.stderr).toBe(0);
    await server.close();

    const delivered = readFileSync(persistPath, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    const distinct = new Set(delivered);
    const lake = path.join(root, "lake");
    const processor = startProcessor(persistPath, lake);
    processor.finish();
    const processed = await processor.done;
    const table = await tableCheck(lake, count);
    const killed = outcomes.filter((o) => o.killed).length;
    console.log(JSON.stringify({ drill: "kill -9 collector", cycles, killed, posts: count, acceptedByFirehose: delivered.length, distinctAccepted: distinct.size, duplicatesDelivered: delivered.length - distinct.size, forwardedToLake: processed.forwarded, ...table, outcomes }));
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(cycles / 2));
    expect(distinct.size).toBe(count); // zero loss at the Firehose side
    expect(processed.forwarded).toBe(delivered.length);
    expect(table).toEqual({ rows: count, distinct: count, missing: 0, unexpected: 0 });
  });
});
