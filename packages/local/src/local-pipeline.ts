/**
 * The laptop's stand-in for the AWS side of the pipeline: a delivery stream with Firehose
 * semantics whose transformation is the scorer's (the same code the Lambda runs), landing rows
 * in the DuckDB warehouse and files in the lake folder.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { LOCAL_WAREHOUSE_FILE } from "@defi-sentiment/shared";
import { LocalDeliveryStream, Warehouse } from "@defi-sentiment/lake";
import type { LogLine } from "@defi-sentiment/scorer";
import { startWorkerTransform } from "./worker-transform.ts";

export interface LocalPipelineOptions {
  lakeDir: string;
  /**
   * Delivery-stream buffer size in bytes (default 32 MiB: DuckDB upserts cost less per row in
   * bigger statements; Firehose allows up to 128 MiB) and interval (default 5 s, which is what a
   * live stream's few posts a second meet first).
   */
  bufferBytes?: number;
  bufferIntervalMs?: number;
  /** Score in worker threads (default true; the other cores score while the main thread collects). */
  scoreInWorker?: boolean;
  /** DuckDB threads (default 2). A bulk load on two cores is faster with 1: scoring keeps the other core. */
  warehouseThreads?: number;
  /** Scoring worker threads (default: one per core beyond the main thread's, at least one). */
  scoringWorkers?: number;
  log?: (event: Record<string, unknown>) => void;
}

export interface LocalPipeline {
  lakeDir: string;
  warehouse: Warehouse;
  stream: LocalDeliveryStream;
  /** Flushes the stream and closes the warehouse. */
  close(): Promise<void>;
}

export async function openLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const { lakeDir } = options;
  mkdirSync(path.join(lakeDir, "logs"), { recursive: true });
  // Opened once: a line per scored invocation, and appendFileSync would open and close each time.
  const scorerLog = openSync(path.join(lakeDir, "logs", "scorer.ndjson"), "a");
  const logLine = (line: LogLine) => writeSync(scorerLog, JSON.stringify(line) + "\n");
  const worker = options.scoreInWorker === false ? null : startWorkerTransform(logLine, options.scoringWorkers !== undefined ? { workers: options.scoringWorkers } : {});
  // Loaded here only when scoring in-process: the scorer's lexicons take about a second to build,
  // which the worker spends on its own thread while this one starts collecting.
  const transformRecords = worker ? null : (await import("@defi-sentiment/scorer")).transformRecords;
  const warehouse = await Warehouse.open(path.join(lakeDir, LOCAL_WAREHOUSE_FILE), options.warehouseThreads ? { threads: options.warehouseThreads } : {});
  const stream = await LocalDeliveryStream.open({
    lakeDir,
    warehouse,
    bufferBytes: options.bufferBytes ?? 32 * 1024 * 1024,
    bufferIntervalMs: options.bufferIntervalMs ?? 5_000,
    // The Lambda handler is exactly transformRecords with a console logger; locally its log
    // lines go to a file so they don't drown the progress display.
    transform: worker ? (event) => worker.transform(event) : (event) => transformRecords!(event, { log: logLine }),
    ...(worker
      ? { packedTransform: (invocation) => worker.packed(invocation), packMemory: (bytes) => worker.memoryFor(bytes), releaseAnswer: (memory) => worker.release(memory) }
      : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  let closed = false;
  return {
    lakeDir,
    warehouse,
    stream,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await stream.close();
      } finally {
        await worker?.close();
        closeSync(scorerLog);
      }
      await warehouse.checkpoint();
      warehouse.close();
    },
  };
}
