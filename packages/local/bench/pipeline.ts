/**
 * Spine benchmark: posts/s through the local pipeline (generator → Post → Firehose records →
 * local delivery stream → scorer transformation → DuckDB upsert), for N generated posts.
 * Usage: npx tsx packages/local/bench/pipeline.ts [--count 100000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encodeFirehoseRecord, generateStreamLines, postFromStreamLine } from "@defi-sentiment/shared";
import { openLocalPipeline } from "../src/local-pipeline.ts";
import { machineLine, writeBenchmarkSection } from "../../../bench/benchmarks-file.ts";

const { values } = parseArgs({ options: { count: { type: "string", default: "100000" }, "no-write": { type: "boolean", default: false } } });
const count = Number(values.count);
const lake = mkdtempSync(path.join(os.tmpdir(), "bench-pipeline-"));
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

try {
  const t0 = performance.now();
  const pipeline = await openLocalPipeline({ lakeDir: lake, bufferIntervalMs: 60_000 });
  const at = new Date();
  let batch: Buffer[] = [];
  let bytes = 0;
  let genMs = 0;
  for (const line of generateStreamLines(count, { seed: 42 })) {
    const g = performance.now();
    const rec = encodeFirehoseRecord(postFromStreamLine(line, "generator", at));
    genMs += performance.now() - g;
    if (batch.length === 500 || bytes + rec.length > 4 * 1024 * 1024) {
      await pipeline.stream.putRecordBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(rec);
    bytes += rec.length;
  }
  if (batch.length) await pipeline.stream.putRecordBatch(batch);
  await pipeline.stream.flush();
  const rows = await pipeline.warehouse.count();
  const totalMs = performance.now() - t0;
  const q0 = performance.now();
  await pipeline.warehouse.ask("sentimentShare");
  await pipeline.warehouse.ask("influencersByPosts");
  await pipeline.warehouse.ask("countries");
  const queryMs = performance.now() - q0;
  await pipeline.close();
  clearInterval(sampler);
  const rate = Math.round(count / (totalMs / 1000));
  const md = `## Local pipeline (spine)

${machineLine()}

Generator → Post → Firehose records (PutRecordBatch of 500) → local delivery stream (journal fsync, raw backup gzip, 1 MiB transformation invocations of the scorer) → DuckDB upsert by id. \`npx tsx packages/local/bench/pipeline.ts --count ${count}\`.

| posts | rows in table | wall time | posts/s | of which generating | three answers (3 queries) | peak RSS |
|---:|---:|---:|---:|---:|---:|---:|
| ${count.toLocaleString("en-US")} | ${rows.toLocaleString("en-US")} | ${(totalMs / 1000).toFixed(1)} s | ${rate.toLocaleString("en-US")} | ${(genMs / 1000).toFixed(1)} s | ${queryMs.toFixed(0)} ms | ${Math.round(peakRss / 2 ** 20)} MiB |
`;
  console.log(md);
  if (!values["no-write"]) writeBenchmarkSection("local-pipeline", md);
  if (rows !== count) throw new Error(`expected ${count} rows, table has ${rows}`);
} finally {
  clearInterval(sampler);
  rmSync(lake, { recursive: true, force: true });
}
