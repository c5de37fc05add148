/**
 * Query time of the three answers on a DuckDB warehouse of 1M and 10M scored posts: as users get
 * them (the warehouse's rollups, kept current on every upsert) and as the shared question SQL over
 * the whole table (what a filtered dashboard view runs). Rows are synthesised in SQL (same table,
 * same views as `npm start`), then the rollups are rebuilt from them once.
 * Usage: npx tsx bench/query-scale.ts [--sizes 1000000,10000000]
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
    const r0 = performance.now();
    await wh.rebuildRollups();
    const rollupS = (performance.now() - r0) / 1000;
    const median = async (run: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let r = 0; r < 5; r++) {
        const q0 = performance.now();
        await run();
        runs.push(performance.now() - q0);
      }
      return { median: [...runs].sort((a, b) => a - b)[2]!, first: runs[0]! };
    };
    const timings: string[] = [];
    let total = 0;
    let totalScan = 0;
    for (const key of MAIN) {
      const answered = await median(() => wh.ask(key));
      const scan = await median(() => wh.query(QUESTIONS[key].sql()));
      total += answered.median;
      totalScan += scan.median;
      timings.push(`${QUESTIONS[key].name} **${answered.median.toFixed(0)} ms** (first ${answered.first.toFixed(0)}) / ${scan.median.toFixed(0)} ms`);
    }
    rows.push(`| ${n.toLocaleString("en-US")} | ${loadS.toFixed(1)} s | ${rollupS.toFixed(1)} s | ${timings.join("<br>")} | **${total.toFixed(0)} ms** / ${totalScan.toFixed(0)} ms |`);
    console.log(rows.at(-1));
    wh.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const md = `## Query time of the answers at scale

${machineLine()}

DuckDB warehouse (file-backed, 2 threads), rows synthesised in SQL, then the rollups rebuilt from them once (\`npm start\` keeps them current on every upsert instead). Per question, median of 5 runs: **as answered** (\`warehouse.ask\`: the unfiltered answers come from the rollups) / the shared question SQL over the whole table (what a filtered dashboard view runs). "first" is the first of the 5 runs. \`npx tsx bench/query-scale.ts\`.

| rows | synthesise | rebuild rollups | per question: answered / full scan | all questions |
|---:|---:|---:|---|---:|
${rows.join("\n")}
`;
console.log(md);
if (!values["no-write"]) writeBenchmarkSection("query-scale", md);
