/**
 * Re-scoring in AWS: replays the raw objects of the lake bucket into a Firehose delivery stream
 * (any `RecordSink`) whose transformation is the current scorer Lambda and whose destination is
 * the Iceberg table with `update` (upsert by id). Use a dedicated rescore stream whose S3
 * backup is `FailedDataOnly`, or the replayed records would be backed up to raw/ a second time
 * (see docs/lifecycle.md).
 *
 * Resumable like `rescoreLake`: object keys are checkpointed once all their records were
 * accepted; a per-record failure is resent (bounded), then reported by key and line.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { S3Client } from "@aws-sdk/client-s3";
import { FIREHOSE_LIMITS, LAKE_PREFIXES, type RecordSink } from "@defi-sentiment/shared";

export interface ReplayRawFromS3Options {
  s3: S3Client;
  bucket: string;
  keyPrefix?: string;
  sink: RecordSink;
  runId: string;
  checkpointFile: string;
  onProgress?: (p: { key: string; objectsDone: number; objectsTotal: number; records: number; failed: number }) => void;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  /** Resends of records the stream refused, per batch. Default 5. */
  resends?: number;
}

export interface ReplayRawResult {
  status: "complete" | "aborted";
  objectsTotal: number;
  objectsProcessed: number;
  objectsSkipped: number;
  records: number;
  failed: number;
  failures: { key: string; line: number; error: string }[];
}

function* batches(lines: Buffer[]): Generator<{ start: number; records: Buffer[] }> {
  let start = 0;
  let records: Buffer[] = [];
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const r = lines[i]!;
    if (records.length > 0 && (records.length >= FIREHOSE_LIMITS.maxRecordsPerBatch || bytes + r.byteLength > FIREHOSE_LIMITS.maxBatchBytes)) {
      yield { start, records };
      start = i;
      records = [];
      bytes = 0;
    }
    records.push(r);
    bytes += r.byteLength;
  }
  if (records.length > 0) yield { start, records };
}

export async function replayRawFromS3(o: ReplayRawFromS3Options): Promise<ReplayRawResult> {
  // Loaded here, not when the collector is imported (see load-later.ts).
  const { GetObjectCommand, ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = o.keyPrefix ? o.keyPrefix.replace(/\/*$/, "/") : "";
  let done: string[] = [];
  if (existsSync(o.checkpointFile)) {
    const cp = JSON.parse(readFileSync(o.checkpointFile, "utf8")) as { run_id: string; done: string[] };
    if (cp.run_id === o.runId) done = cp.done;
  }
  const doneSet = new Set(done);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await o.s3.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: base + LAKE_PREFIXES.raw, ContinuationToken: token }));
    for (const c of page.Contents ?? []) if (c.Key) keys.push(c.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  keys.sort();
  const result: ReplayRawResult = { status: "complete", objectsTotal: keys.length, objectsProcessed: 0, objectsSkipped: 0, records: 0, failed: 0, failures: [] };

  for (const key of keys) {
    if (doneSet.has(key)) {
      result.objectsSkipped++;
      continue;
    }
    if (o.signal?.aborted) {
      result.status = "aborted";
      break;
    }
    const got = await o.s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    const text = (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString("utf8");
    const lines = text.split("\n").filter((l) => l.trim() !== "").map((l) => Buffer.from(l + "\n", "utf8"));
    for (const batch of batches(lines)) {
      let pending = batch.records.map((r, i) => ({ r, line: batch.start + i + 1 }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const { failed } = await o.sink.putRecordBatch(pending.map((p) => p.r));
        const refused = failed.map((f) => ({ ...pending[f.index]!, error: `${f.errorCode}: ${f.errorMessage}` }));
        if (refused.length > 0 && attempt >= (o.resends ?? 5)) {
          for (const f of refused) {
            result.failed++;
            if (result.failures.length < 100) result.failures.push({ key, line: f.line, error: f.error });
          }
          break;
        }
        pending = refused;
        if (pending.length > 0) await sleep(Math.min(10_000, 200 * 2 ** attempt));
      }
    }
    result.records += lines.length;
    result.objectsProcessed++;
    done.push(key);
    mkdirSync(path.dirname(o.checkpointFile), { recursive: true });
    writeFileSync(`${o.checkpointFile}.tmp`, JSON.stringify({ run_id: o.runId, done }));
    renameSync(`${o.checkpointFile}.tmp`, o.checkpointFile);
    o.onProgress?.({ key, objectsDone: result.objectsProcessed + result.objectsSkipped, objectsTotal: keys.length, records: result.records, failed: result.failed });
  }
  if (result.status === "complete") rmSync(o.checkpointFile, { force: true });
  return result;
}
