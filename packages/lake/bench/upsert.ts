/**
 * CPU per upserted row of the local warehouse, as a bulk load drives it: DuckDB on one thread,
 * NDJSON batches of scored posts (new ids, as the generator makes them) through
 * `Warehouse.upsertNdjson`. Also the cost of a replayed batch (every id already held: the
 * general path) and of the final checkpoint. Rows come from the repo's generator and scorer, so
 * the batches look like a real run's. Prints medians of `--reps` fresh warehouses.
 *
 *   node --import tsx packages/lake/bench/upsert.ts [--rows 300000] [--batch 20000] [--threads 1] [--reps 3]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encodeNdjson, generateStreamLines, postFromStreamLine, type ScoredPost } from "@defi-sentiment/shared";
import { scorePost } from "@defi-sentiment/scorer";
import { Warehouse } from "../src/warehouse.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "300000" },
    batch: { type: "string", default: "20000" },
    threads: { type: "string", default: "1" },
    reps: { type: "string", default: "3" },
  },
});
const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, got ${v}`);
  return n;
};
const rows = positive("rows", values.rows);
const batch = positive("batch", values.batch);
const threads = positive("threads", values.threads);
const reps = positive("reps", values.reps);

function scoredBatches(): string[] {
  const collectedAt = new Date("2026-11-20T12:00:00Z");
  const scoredAt = new Date("2026-11-20T12:00:01Z");
  const out: string[] = [];
  let pending: ScoredPost[] = [];
  for (const line of generateStreamLines(rows, { seed: 2026 })) {
    pending.push(scorePost(postFromStreamLine(line, "generator", collectedAt), scoredAt));
    if (pending.length === batch) {
      out.push(encodeNdjson(pending));
      pending = [];
    }
  }
  if (pending.length > 0) out.push(encodeNdjson(pending));
  return out;
}

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Rep {
  loadCpu: number;
  loadWall: number;
  replayCpu: number;
  checkpointCpu: number;
}

async function once(batches: string[]): Promise<Rep> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lake-upsert-bench-"));
  try {
    const wh = await Warehouse.open(path.join(dir, "warehouse.duckdb"), { threads });
    try {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const b of batches) await wh.upsertNdjson(b);
      const loadCpu = cpuSeconds(c0);
      const loadWall = (performance.now() - t0) / 1000;
      if ((await wh.count()) !== rows) throw new Error(`expected ${rows} rows in the warehouse, found ${await wh.count()}`);
      const c1 = process.cpuUsage();
      await wh.upsertNdjson(batches[0]!);
      const replayCpu = cpuSeconds(c1);
      const c2 = process.cpuUsage();
      await wh.checkpoint();
      return { loadCpu, loadWall, replayCpu, checkpointCpu: cpuSeconds(c2) };
    } finally {
      wh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const batches = scoredBatches();
const bytes = batches.reduce((n, b) => n + Buffer.byteLength(b), 0);
console.log(`${rows} scored rows (${Math.round(bytes / rows)} B/row) in ${batches.length} batches of ${batch}, DuckDB threads=${threads}, ${reps} reps`);
const results: Rep[] = [];
for (let i = 0; i < reps; i++) {
  const r = await once(batches);
  results.push(r);
  console.log(`  rep ${i + 1}: load ${r.loadCpu.toFixed(2)} CPU-s (${r.loadWall.toFixed(2)} s wall), replayed batch ${r.replayCpu.toFixed(2)} CPU-s, checkpoint ${r.checkpointCpu.toFixed(2)} CPU-s`);
}
const load = median(results.map((r) => r.loadCpu));
console.log(
  `median: load ${load.toFixed(2)} CPU-s = ${((load / rows) * 1e6).toFixed(1)} µs/row; ` +
    `replayed batch ${((median(results.map((r) => r.replayCpu)) / Math.min(batch, rows)) * 1e6).toFixed(1)} µs/row; ` +
    `final checkpoint ${median(results.map((r) => r.checkpointCpu)).toFixed(2)} CPU-s`,
);
