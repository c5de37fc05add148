/**
 * The deletion record in the lake bucket: S3 has no append, so each record is its own object,
 * `compliance/dt=YYYY-MM-DD/deletions-<at>-<run>-<phase>.ndjson` (ids and counts, never content).
 * Shaped as the collector's `DeletionLog`.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { LAKE_PREFIXES, dtOf } from "@defi-sentiment/shared";

export interface S3DeletionLogRecord {
  phase: string;
  run_id: string;
  at: string;
}

/** `s3` may be the promise of a client (`awsLakeLifecycle` loads the SDK only once the lake is used). */
export function s3DeletionLog(o: { s3: S3Client | Promise<S3Client>; bucket: string; keyPrefix?: string }) {
  const base = o.keyPrefix ? o.keyPrefix.replace(/\/*$/, "/") : "";
  return async (record: S3DeletionLogRecord): Promise<void> => {
    const stamp = record.at.replace(/[:.]/g, "-");
    const key = `${base}${LAKE_PREFIXES.compliance}dt=${dtOf(record.at)}/deletions-${stamp}-${record.run_id}-${record.phase}.ndjson`;
    const [s3, { PutObjectCommand }] = await Promise.all([o.s3, import("@aws-sdk/client-s3")]);
    await s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: key, Body: JSON.stringify(record) + "\n", ContentType: "application/x-ndjson" }));
  };
}
