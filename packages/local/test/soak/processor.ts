/**
 * The "processor → lake" leg of the soak and the drills, as its own process (like Firehose is its
 * own service): tails the file the Firehose-protocol test server appends every accepted record to
 * (`persistPath`, one record = one line), and hands the records in order to the local pipeline's
 * `LocalDeliveryStream.putRecordBatch` (scorer transformation → DuckDB upsert by id).
 *
 * Reads in bounded windows (memory stays flat), prints `forwarded <n>` now and then, and on a
 * `finish` line on stdin reads to the end of the file, flushes, closes the pipeline and prints
 * `done {json}`.
 *
 * Usage: node --import tsx processor.ts '{"input":"…/accepted.ndjson","lakeDir":"…"}'
 */
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { FIREHOSE_LIMITS } from "@defi-sentiment/shared";
import { openLocalPipeline } from "../../src/local-pipeline.ts";

interface ProcessorArgs {
  input: string;
  lakeDir: string;
  bufferBytes?: number;
  bufferIntervalMs?: number;
}

const args = JSON.parse(process.argv[2] ?? "{}") as ProcessorArgs;
const pipeline = await openLocalPipeline({ lakeDir: args.lakeDir, bufferBytes: args.bufferBytes ?? 2 * 1024 * 1024, bufferIntervalMs: args.bufferIntervalMs ?? 2000 });
let finishing = false;
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d: string) => {
  if (d.includes("finish")) finishing = true;
});

const window = Buffer.alloc(4 * 1024 * 1024);
let fd: number | null = null;
let offset = 0;
let carry = Buffer.alloc(0);
let forwarded = 0;
let rejected = 0;
let reported = 0;

/** Reads what the file has beyond `offset`; returns the complete records, in order. */
function readRecords(): Buffer[] {
  if (fd === null) {
    if (!existsSync(args.input)) return [];
    fd = openSync(args.input, "r");
  }
  const n = readSync(fd, window, 0, window.length, offset);
  if (n === 0) return [];
  offset += n;
  const data = carry.length ? Buffer.concat([carry, window.subarray(0, n)]) : Buffer.from(window.subarray(0, n));
  const records: Buffer[] = [];
  let start = 0;
  for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
    records.push(data.subarray(start, nl + 1));
    start = nl + 1;
  }
  carry = Buffer.from(data.subarray(start));
  return records;
}

async function forward(records: Buffer[]): Promise<void> {
  for (let i = 0; i < records.length; i += FIREHOSE_LIMITS.maxRecordsPerBatch) {
    const batch = records.slice(i, i + FIREHOSE_LIMITS.maxRecordsPerBatch);
    const { failed } = await pipeline.stream.putRecordBatch(batch);
    rejected += failed.length;
    forwarded += batch.length - failed.length;
  }
}

for (;;) {
  const wasFinishing = finishing;
  const records = readRecords();
  if (records.length) await forward(records);
  if (forwarded - reported >= 5000) {
    reported = forwarded;
    process.stdout.write(`forwarded ${forwarded}\n`);
  }
  if (records.length === 0) {
    if (wasFinishing) break; // the writer had stopped before this read found nothing more
    await new Promise((r) => setTimeout(r, 50));
  }
}
if (fd !== null) closeSync(fd);
await pipeline.stream.flush();
const rows = await pipeline.warehouse.count();
const stats = { ...pipeline.stream.stats };
await pipeline.close();
process.stdout.write(`done ${JSON.stringify({ forwarded, rejected, torn: carry.length, rows, processingFailed: stats.processingFailed, flushes: stats.flushes, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
process.exit(0);
