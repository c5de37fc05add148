/**
 * Re-scoring history without re-reading X: every raw object is replayed through the current
 * transformation (the same Firehose event/response the Lambda sees, in invocation-sized
 * chunks) and the Ok rows are upserted. Rows keep the post's `collected_at`, so the table's
 * upsert rule (`>=` on collected_at) lets the new score replace the old one, and a second run
 * changes nothing but `scored_at`.
 *
 * Resumable: once an object's rows are upserted its path is written to a checkpoint (atomically);
 * an interrupted run with the same `runId` skips those objects. The checkpoint is removed when
 * a run completes, so the next run starts over (and is idempotent).
 *
 * @example
 * const result = await rescoreLake({ lakeDir: "lake", warehouse, runId: SCORER_VERSION,
 *   transform: (event) => transformRecords(event), onProgress: (p) => console.log(p) });
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { LAKE_PREFIXES, type FirehoseTransformationEvent, type FirehoseTransformationResponse } from "@defi-sentiment/shared";
import type { Warehouse } from "../warehouse.ts";
import type { Transform } from "../local-delivery-stream.ts";
import { listLakeObjects, readObjectLines } from "./lake-files.ts";

export interface RescoreProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  filesSkipped: number;
  records: number;
  rows: number;
  failed: number;
}

export interface RescoreFailure {
  object: string;
  line: number;
  reason: string;
}

export interface RescoreResult {
  status: "complete" | "aborted";
  filesTotal: number;
  /** Objects replayed by this call. */
  filesProcessed: number;
  /** Objects a previous, interrupted run of the same `runId` had already done. */
  filesSkipped: number;
  records: number;
  rows: number;
  failed: number;
  /** The first 100 records the transformation did not return Ok, by object and line. */
  failures: RescoreFailure[];
}

export interface RescoreLakeOptions {
  lakeDir: string;
  warehouse: Warehouse;
  /** The Firehose transformation (the scorer's `transformRecords`, passed in: lake does not import scorer). */
  transform: Transform;
  /** Names the run (e.g. the target scorer version); a checkpoint of another run is ignored. */
  runId: string;
  /** Default `<lakeDir>/.rescore/checkpoint.json`. */
  checkpointFile?: string;
  onProgress?: (p: RescoreProgress) => void;
  signal?: AbortSignal;
  /** Base64 bytes per transformation invocation. Default 1 MiB (Firehose's processor default). */
  invocationBytes?: number;
  /** Invocation attempts before its records count as failed. Default 3. */
  attempts?: number;
  /** Rows are upserted (and the checkpoint advanced) once this many bytes are pending. Default 8 MiB. */
  upsertBytes?: number;
}

interface Checkpoint {
  run_id: string;
  started_at: string;
  done: string[];
}

/** A checkpoint file that cannot be read; names the file. */
export class RescoreCheckpointError extends Error {
  override name = "RescoreCheckpointError";
  constructor(file: string, options: { cause: unknown }) {
    super(`rescore checkpoint ${file} is unreadable (${(options.cause as Error).message}); delete it to start over`, options);
  }
}

function readCheckpoint(file: string, runId: string): Checkpoint {
  if (!existsSync(file)) return { run_id: runId, started_at: new Date().toISOString(), done: [] };
  let cp: Checkpoint;
  try {
    cp = JSON.parse(readFileSync(file, "utf8")) as Checkpoint;
  } catch (err) {
    throw new RescoreCheckpointError(file, { cause: err });
  }
  return cp.run_id === runId && Array.isArray(cp.done) ? cp : { run_id: runId, started_at: new Date().toISOString(), done: [] };
}

function writeCheckpoint(file: string, cp: Checkpoint): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(cp));
  renameSync(tmp, file);
}

function* invocations(lines: string[], maxBytes: number): Generator<{ start: number; lines: string[] }> {
  let start = 0;
  let chunk: string[] = [];
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const size = Math.ceil((Buffer.byteLength(lines[i]!, "utf8") + 1) / 3) * 4;
    if (chunk.length > 0 && (bytes + size > maxBytes || chunk.length >= 500)) {
      yield { start, lines: chunk };
      start = i;
      chunk = [];
      bytes = 0;
    }
    chunk.push(lines[i]!);
    bytes += size;
  }
  if (chunk.length > 0) yield { start, lines: chunk };
}

export async function rescoreLake(o: RescoreLakeOptions): Promise<RescoreResult> {
  const checkpointFile = o.checkpointFile ?? path.join(o.lakeDir, ".rescore", "checkpoint.json");
  const maxBytes = o.invocationBytes ?? 1024 * 1024;
  const attempts = o.attempts ?? 3;
  const cp = readCheckpoint(checkpointFile, o.runId);
  const done = new Set(cp.done);
  const files = listLakeObjects(o.lakeDir, LAKE_PREFIXES.raw);
  const result: RescoreResult = { status: "complete", filesTotal: files.length, filesProcessed: 0, filesSkipped: 0, records: 0, rows: 0, failed: 0, failures: [] };
  const arn = "arn:local:firehose:local:000000000000:deliverystream/defi-sentiment-rescore";
  let seq = 0;

  // Rows of several objects go to the table in one upsert (one DuckDB statement per object
  // would dominate the run); the checkpoint advances only after the upsert that holds them.
  // One upsert runs (on DuckDB's threads) while the next objects are scored.
  let pendingRows: string[] = [];
  let pendingBytes = 0;
  let pendingFiles: string[] = [];
  let landing: Promise<void> = Promise.resolve();
  const commit = async () => {
    const rows = pendingRows;
    const filesDone = pendingFiles;
    pendingRows = [];
    pendingBytes = 0;
    pendingFiles = [];
    await landing;
    landing = (async () => {
      if (rows.length > 0) await o.warehouse.upsertNdjson(rows.join(""));
      if (filesDone.length > 0) {
        cp.done.push(...filesDone);
        writeCheckpoint(checkpointFile, cp);
      }
    })();
    landing.catch(() => {}); // awaited by the next commit or at the end
  };
  const upsertBytes = o.upsertBytes ?? 8 * 1024 * 1024;

  for (const rel of files) {
    if (done.has(rel)) {
      result.filesSkipped++;
      continue;
    }
    if (o.signal?.aborted) {
      result.status = "aborted";
      break;
    }
    const lines = readObjectLines(path.join(o.lakeDir, rel));
    const okRows: string[] = [];
    for (const chunk of invocations(lines, maxBytes)) {
      const invocation = ++seq;
      const event: FirehoseTransformationEvent = {
        invocationId: `rescore-${invocation}-${randomUUID()}`,
        deliveryStreamArn: arn,
        region: "local",
        records: chunk.lines.map((line, i) => ({ recordId: `${invocation}.${i}`, approximateArrivalTimestamp: Date.now(), data: Buffer.from(line + "\n", "utf8").toString("base64") })),
      };
      let response: FirehoseTransformationResponse | null = null;
      let lastError = "";
      for (let a = 1; a <= attempts && !response; a++) {
        try {
          response = await o.transform(event);
        } catch (err) {
          lastError = `Lambda.FunctionError: ${(err as Error).message}`;
        }
      }
      const byId = new Map((response?.records ?? []).map((r) => [r.recordId, r]));
      event.records.forEach((rec, i) => {
        const out = byId.get(rec.recordId);
        const fail = (reason: string) => {
          result.failed++;
          if (result.failures.length < 100) result.failures.push({ object: rel, line: chunk.start + i + 1, reason });
        };
        if (!response) return fail(lastError);
        if (!out) return fail("Lambda.MissingRecordId");
        if (out.result === "Dropped") return;
        if (out.result !== "Ok") return fail(`Lambda.ProcessingFailed: ${out.result}`);
        const text = Buffer.from(out.data, "base64").toString("utf8");
        okRows.push(text.endsWith("\n") ? text : `${text}\n`);
      });
    }
    pendingRows.push(...okRows);
    pendingBytes += okRows.reduce((n, r) => n + r.length, 0);
    pendingFiles.push(rel);
    if (pendingBytes >= upsertBytes) await commit();
    result.records += lines.length;
    result.rows += okRows.length;
    result.filesProcessed++;
    o.onProgress?.({ file: rel, filesDone: result.filesProcessed + result.filesSkipped, filesTotal: files.length, filesSkipped: result.filesSkipped, records: result.records, rows: result.rows, failed: result.failed });
  }
  await commit();
  await landing;
  if (result.status === "complete") {
    await o.warehouse.checkpoint();
    rmSync(checkpointFile, { force: true });
  }
  return result;
}
