/**
 * The Firehose transformation over a batch, independent of Lambda: decode, validate, score,
 * encode; one bad record never fails its neighbours, and the response stays under the limit.
 */
import {
  DecodeError,
  FIREHOSE_LIMITS,
  PostSchema,
  decodeFirehoseData,
  encodeFirehoseRecord,
  type FirehoseOtfMetadata,
  type FirehoseTransformationEvent,
  type FirehoseTransformationResponse,
  type FirehoseTransformationResultRecord,
} from "@defi-sentiment/shared";
import { scorePost } from "./core/score-post.ts";

export interface LogLine {
  level: "info" | "warn";
  msg: string;
  [key: string]: unknown;
}

export interface TransformOptions {
  /** Clock for `scored_at`; defaults to now. */
  now?: () => Date;
  /** Iceberg destination; when set, every Ok record is routed as an upsert ("update"). */
  iceberg?: { database: string; table: string };
  /** Receives JSON-able log lines; never the post text. Defaults to no logging. */
  log?: (line: LogLine) => void;
  /** Response size budget in bytes; defaults to Lambda's 6 MB payload limit. */
  maxResponseBytes?: number;
}

/** Why a record failed, without echoing its content. */
function reasonOf(err: unknown): string {
  // JSON.parse messages quote the input, so only the kind of failure is kept
  if (err instanceof DecodeError) return err.message.replace(/invalid JSON \(.*$/s, "invalid JSON").replace(/ in ".*$/s, "");
  if (err && typeof err === "object" && "issues" in err && Array.isArray((err as { issues: unknown }).issues)) {
    const issues = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    return `not a Post: ${issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`).join("; ")}`;
  }
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Bytes a record adds to the response JSON (plus a separating comma). Ok data is our own base64
 * (nothing to escape), so only the id and any metadata go through JSON.stringify; a failed
 * record's data is whatever came in and is measured exactly.
 */
function sizeOf(r: FirehoseTransformationResultRecord, metadataBytes: number): number {
  if (r.result !== "Ok") return Buffer.byteLength(JSON.stringify(r), "utf8") + 1;
  // {"recordId":<id>,"result":"Ok","data":"<base64>"} plus ,"metadata":… when present
  return 37 + Buffer.byteLength(JSON.stringify(r.recordId), "utf8") + r.data.length + (r.metadata ? metadataBytes : 0) + 1;
}

/** Scores a Firehose transformation event. Never throws on bad records; ids come back once each, in order. */
export function transformRecords(event: FirehoseTransformationEvent, options: TransformOptions = {}): FirehoseTransformationResponse {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const limit = options.maxResponseBytes ?? FIREHOSE_LIMITS.maxTransformResponseBytes;
  const otfMetadata: FirehoseOtfMetadata | undefined = options.iceberg
    ? { destinationDatabaseName: options.iceberg.database, destinationTableName: options.iceberg.table, operation: "update" }
    : undefined;
  const records = Array.isArray(event?.records) ? event.records : [];
  const scoredAt = now();
  const metadataBytes = otfMetadata ? Buffer.byteLength(`,"metadata":${JSON.stringify({ otfMetadata })}`, "utf8") : 0;
  const size = (r: FirehoseTransformationResultRecord) => sizeOf(r, metadataBytes);

  const attempts = records.map((rec, i): { ok?: FirehoseTransformationResultRecord; failed: FirehoseTransformationResultRecord; reason?: string } => {
    const recordId = typeof rec?.recordId === "string" ? rec.recordId : String(rec?.recordId);
    const original = typeof rec?.data === "string" ? rec.data : "";
    const failed: FirehoseTransformationResultRecord = { recordId, result: "ProcessingFailed", data: original };
    try {
      const post = PostSchema.parse(decodeFirehoseData(rec.data, `records[${i}] (${recordId})`));
      const data = encodeFirehoseRecord(scorePost(post, scoredAt)).toString("base64");
      const ok: FirehoseTransformationResultRecord = { recordId, result: "Ok", data };
      if (otfMetadata) ok.metadata = { otfMetadata };
      return { ok, failed };
    } catch (err) {
      return { failed, reason: reasonOf(err) };
    }
  });

  // Greedy in order: an Ok record is kept only if every later record can still fail within budget
  // (with empty data at worst); a failed record keeps its original data when that still fits.
  const envelope = Buffer.byteLength('{"records":[]}');
  const minimalOf = (a: (typeof attempts)[number]) => size({ ...a.failed, data: "" });
  let minimalRest = attempts.reduce((n, a) => n + minimalOf(a), 0);
  let used = envelope - (attempts.length > 0 ? 1 : 0); // n records, n - 1 commas
  const out: FirehoseTransformationResultRecord[] = [];
  let ok = 0;
  let failed = 0;
  attempts.forEach((a, i) => {
    minimalRest -= minimalOf(a);
    let chosen: FirehoseTransformationResultRecord;
    if (a.ok && used + size(a.ok) + minimalRest <= limit) {
      chosen = a.ok;
    } else {
      const reason = a.ok ? `response size limit: ${limit} bytes would be exceeded` : a.reason;
      chosen = used + size(a.failed) + minimalRest <= limit ? a.failed : { ...a.failed, data: "" };
      log({ level: "warn", msg: "record failed", invocationId: event?.invocationId, recordId: chosen.recordId, index: i, reason });
    }
    used += size(chosen);
    if (chosen.result === "Ok") ok++;
    else failed++;
    out.push(chosen);
  });
  log({ level: "info", msg: "batch scored", invocationId: event?.invocationId, records: out.length, ok, failed, responseBytes: used });
  return { records: out };
}
