/**
 * Crash drill (b): kill -9 the local pipeline (`npm start`'s entry, generator → local delivery
 * stream → scorer → DuckDB) at random points, restart it with the same arguments each time, and
 * check that every post of the seed ends up in the table exactly once (spool + journal recovery +
 * upsert by id).
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
    lake = mkdtempSync(path.join(os.tmpdir(), "drill-pipeline-"));
    const count = 30_000;
    const args = [main, "--count", String(count), "--seed", "11", "--lake", lake, "--exit", "--no-dashboard"];
    const random = seededRandom(8);
    const outcomes = [];
    for (let i = 0; i < cycles; i++) {
      const killAfterMs = 1500 + Math.floor(random() * 3000);
      const o = await runAndMaybeKill(args, { cwd: repo, env: { CI: "true" }, killAfterMs });
      outcomes.push({ killAfterMs, killed: o.killed, code: o.code });
      if (!o.killed) expect(o.code, o.stderr).toBe(0);
    }
    const final = await runAndMaybeKill(args, { cwd: repo, env: { CI: "true" }, killAfterMs: null });
    expect(final.code, final.stderr).toBe(0);

    const table = await tableCheck(lake, count);
    const processed = rawRecords(lake);
    const killed = outcomes.filter((o) => o.killed).length;
    console.log(JSON.stringify({ drill: "kill -9 local pipeline", cycles, killed, posts: count, recordsProcessedIntoLake: processed, repeatsProcessed: processed - table.distinct, ...table, outcomes }));
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(cycles / 2)); // most kills landed mid-run
    expect(table).toEqual({ rows: count, distinct: count, missing: 0, unexpected: 0 });
  });
});
