/**
 * Query time of the three answers on a DuckDB warehouse of 1M and 10M scored posts.
 * Rows are synthesised in SQL (same table, same views as `npm start`), so the measurement is
 * of the shared question SQL, not of loading. Usage: npx tsx bench/query-scale.ts [--sizes 1000000,10000000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { QUESTIONS, type QuestionKey } from "@defi-sentiment/shared";
import { Warehouse } from "@defi-sentiment/lake";
import { machineLine, writeBenchmarkSection } from "./benchmarks-file.ts";
import { synthesiseRowsSql } from "./query-sql.ts";

const MAIN: QuestionKey[] = ["sentimentShare", "sentimentDaily", "influencersByPosts", "influencersByFollowers", "influencersByEngagement", "countries", "unresolvedLocations", "overview"];

const { values } = parseArgs({ options: { sizes: { type: "string", default: "1000000,10000000" }, "no-write": { type: "boolean", default: false } } });
const sizes = values.sizes!.split(",").map(Number);
const rows: string[] = [];
for (const n of sizes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-q-"));
  try {
    const wh = await Warehouse.open(path.join(dir, "warehouse.duckdb"));
    const t0 = performance.now();
    await wh.query(synthesiseRowsSql(n));
    await wh.checkpoint();
    const loadS = (performance.now() - t0) / 1000;
    const timings: string[] = [];
    let total = 0;
    for (const key of MAIN) {
      const runs: number[] = [];
      for (let r = 0; r < 5; r++) {
        const q0 = performance.now();
        await wh.ask(key);
        runs.push(performance.now() - q0);
      }
      runs.sort((a, b) => a - b);
      const median = runs[2]!;
      total += median;
      timings.push(`${QUESTIONS[key].name} ${median.toFixed(0)} ms (first ${runs[0] === undefined ? "?" : Math.max(...runs).toFixed(0)})`);
    }
    rows.push(`| ${n.toLocaleString("en-US")} | ${loadS.toFixed(1)} s | ${timings.join("<br>")} | ${total.toFixed(0)} ms |`);
    console.log(rows.at(-1));
    wh.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const md = `## Query time of the answers at scale

${machineLine()}

Shared question SQL on the DuckDB warehouse (file-backed, 2 threads), rows synthesised in SQL. Median of 5 runs each (slowest run in brackets). \`npx tsx bench/query-scale.ts\`.

| rows | synthesise | per question (median) | all questions |
|---:|---:|---|---:|
${rows.join("\n")}
`;
console.log(md);
if (!values["no-write"]) writeBenchmarkSection("query-scale", md);
