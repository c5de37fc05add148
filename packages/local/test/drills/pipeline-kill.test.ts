/**
 * Crash drill (b): kill -9 the local pipeline (`npm start`'s entry, generator → local delivery
 * stream → scorer → DuckDB) at random points, restart it each time, and check that every post of
 * the seed ends up in the table exactly once (spool + journal recovery + upsert by id).
 *
 * Each restart asks for another batch of posts of the same seed (the same ids, from 1e18 up), so
 * every cycle has fresh work however far the last one got, and the kill comes at a random share of
 * the time one such batch takes on this machine (timed first, on a lake of its own): the kills land
 * mid-run on a fast machine as on a slow one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "@defi-sentiment/shared";
import { runAndMaybeKill, tableCheck } from "./kill-loop.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../../..");
const main = path.join(repo, "packages/local/src/main.ts");
const cycles = Number(process.env.DRILL_CYCLES ?? 8);

let lake = "";
afterEach(() => rmSync(lake, { recursive: true, force: true }));

/** Records processed into the lake (the raw/ backup holds every record each flush processed, repeats included). */
function rawRecords(lakeDir: string): number {
  let n = 0;
  for (const e of readdirSync(path.join(lakeDir, "raw"), { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith(".gz")) n += gunzipSync(readFileSync(path.join(e.parentPath, e.name))).toString("utf8").split("\n").filter(Boolean).length;
  }
  return n;
}

describe("crash drill: kill -9 the local pipeline", () => {
  it(`every post of the seed is in the table exactly once after ${cycles} random kills and restarts`, { timeout: 300_000 }, async () => {
    const perCycle = 20_000;
    const argsFor = (count: number, lakeDir: string) => [main, "--count", String(count), "--seed", "11", "--lake", lakeDir, "--exit", "--no-dashboard"];
    lake = mkdtempSync(path.join(os.tmpdir(), "drill-pipeline-probe-"));
    const probe = await runAndMaybeKill(argsFor(perCycle, lake), { cwd: repo, env: { CI: "true" }, killAfterMs: null });
    expect(probe.code, probe.stderr).toBe(0);
    rmSync(lake, { recursive: true, force: true });

    lake = mkdtempSync(path.join(os.tmpdir(), "drill-pipeline-"));
    const random = seededRandom(8);
    const outcomes = [];
    for (let i = 0; i < cycles; i++) {
      const killAfterMs = Math.round(probe.ms * (0.3 + 0.6 * random()));
      const o = await runAndMaybeKill(argsFor(perCycle * (i + 1), lake), { cwd: repo, env: { CI: "true" }, killAfterMs });
      outcomes.push({ count: perCycle * (i + 1), killAfterMs, killed: o.killed, code: o.code });
      if (!o.killed) expect(o.code, o.stderr).toBe(0);
    }
    const count = perCycle * cycles;
    const final = await runAndMaybeKill(argsFor(count, lake), { cwd: repo, env: { CI: "true" }, killAfterMs: null });
    expect(final.code, final.stderr).toBe(0);

    const table = await tableCheck(lake, count);
    const processed = rawRecords(lake);
    const killed = outcomes.filter((o) => o.killed).length;
    console.log(JSON.stringify({ drill: "kill -9 local pipeline", cycles, killed, probeMs: probe.ms, posts: count, recordsProcessedIntoLake: processed, repeatsProcessed: processed - table.distinct, ...table, outcomes }));
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(cycles / 2)); // most kills landed mid-run
    expect(table).toEqual({ rows: count, distinct: count, missing: 0, unexpected: 0 });
  });
});
