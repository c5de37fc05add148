/**
 * Tombstones from the AWS lake's deletion record (`s3DeletionLog`: one object per record under
 * `compliance/`), so the EC2 collector refuses posts that the daily compliance check or an
 * earlier run's notices deleted. Record objects are written once and never changed, so each read
 * lists the prefix and fetches only the objects it has not read yet: after the first read, a
 * refresh costs one LIST per 1,000 record objects plus one GET per new record.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { LAKE_PREFIXES } from "@defi-sentiment/shared";
import { addDeletionRecordText, type DeletionTombstones } from "../deletion-tombstones.ts";

export interface S3DeletionTombstonesOptions {
  /** A client, or the promise of one (`awsLakeLifecycle` loads the SDK only once the lake is used). */
  s3: S3Client | Promise<S3Client>;
  bucket: string;
  /** Key prefix of the lake inside the bucket (default none). */
  keyPrefix?: string;
}

/** A reader whose every call resolves with all tombstones so far (the set grows; nothing is forgotten). */
export function s3DeletionTombstones(o: S3DeletionTombstonesOptions): () => Promise<DeletionTombstones> {
  const prefix = `${o.keyPrefix ? o.keyPrefix.replace(/\/*$/, "/") : ""}${LAKE_PREFIXES.compliance}`;
  const seen = new Set<string>();
  const acc: DeletionTombstones = { ids: new Set(), authorIds: new Set(), unreadable: [] };
  return async () => {
    const [s3, { GetObjectCommand, ListObjectsV2Command }] = await Promise.all([o.s3, import("@aws-sdk/client-s3")]);
    const fresh: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const c of page.Contents ?? []) if (c.Key?.endsWith(".ndjson") && !seen.has(c.Key)) fresh.push(c.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const key of fresh.sort()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: key }));
      addDeletionRecordText(acc, await got.Body!.transformToString("utf8"), `s3://${o.bucket}/${key}`);
      // Marked only once read: a failed GET is tried again on the next refresh.
      seen.add(key);
    }
    return { ids: new Set(acc.ids), authorIds: new Set(acc.authorIds), unreadable: [...acc.unreadable] };
  };
}
