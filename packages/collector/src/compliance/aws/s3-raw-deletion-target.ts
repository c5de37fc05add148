/**
 * Deletes posts from the lake bucket's raw and error objects in S3: every object that holds a
 * line of one of the posts is rewritten without it (same key, same encoding), or deleted when
 * nothing is left. Objects are only read from partitions on or after the oldest post's creation
 * day (an X id carries its creation time, and Firehose partitions by arrival, which is later).
 *
 * With bucket versioning on, old versions still hold the lines: give the bucket a lifecycle
 * rule expiring noncurrent versions after 1 day (see docs/lifecycle.md).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type { S3Client } from "@aws-sdk/client-s3";
import { LAKE_PREFIXES, dtOf, keysOfErrorLine, keysOfRawLine, type PostKeys } from "@defi-sentiment/shared";

/** X ids are snowflakes: milliseconds since 2010-11-04 in the high bits. */
export function createdAtOfXId(id: string): Date | null {
  try {
    const ms = Number(BigInt(id) >> 22n) + 1288834974657;
    return ms > 1288834974657 && ms < 8.64e15 ? new Date(ms) : null;
  } catch {
    return null;
  }
}

export interface S3RawDeletionTargetOptions {
  /** A client, or the promise of one (`awsLakeLifecycle` loads the SDK only once the lake is used). */
  s3: S3Client | Promise<S3Client>;
  bucket: string;
  /** Key prefix of the lake inside the bucket (default none). */
  keyPrefix?: string;
  name?: string;
}

/** An S3 object that could not be rewritten; names the key. */
export class S3RewriteError extends Error {
  override name = "S3RewriteError";
  constructor(
    readonly key: string,
    options: { cause: unknown },
  ) {
    super(`s3 object ${key}: rewrite failed: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

export function s3RawDeletionTarget(o: S3RawDeletionTargetOptions) {
  const base = o.keyPrefix ? o.keyPrefix.replace(/\/*$/, "/") : "";
  // The SDK's commands load at the first deletion, not when the collector is imported.
  const sdk = () => Promise.all([o.s3, import("@aws-sdk/client-s3")]);

  async function* keys(prefix: string, fromDt: string | null): AsyncGenerator<string> {
    const [s3, { ListObjectsV2Command }] = await sdk();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: base + prefix, ContinuationToken: token }));
      for (const obj of page.Contents ?? []) {
        if (!obj.Key) continue;
        const dt = /dt=(\d{4}-\d{2}-\d{2})/.exec(obj.Key)?.[1];
        if (fromDt && dt && dt < fromDt) continue;
        yield obj.Key;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async function purge(prefix: string, keysOf: (line: string) => PostKeys, drop: (k: PostKeys) => boolean, fromDt: string | null): Promise<number> {
    const [s3, { GetObjectCommand, DeleteObjectCommand, PutObjectCommand }] = await sdk();
    let removed = 0;
    for await (const key of keys(prefix, fromDt)) {
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: key }));
        const body = Buffer.from(await got.Body!.transformToByteArray());
        const gz = body[0] === 0x1f && body[1] === 0x8b;
        const lines = (gz ? gunzipSync(body) : body).toString("utf8").split("\n").filter((l) => l.trim() !== "");
        const kept = lines.filter((l) => !drop(keysOf(l)));
        if (kept.length === lines.length) continue;
        removed += lines.length - kept.length;
        if (kept.length === 0) {
          await s3.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: key }));
        } else {
          const text = Buffer.from(kept.join("\n") + "\n", "utf8");
          await s3.send(new PutObjectCommand({
            Bucket: o.bucket,
            Key: key,
            Body: gz ? gzipSync(text) : text,
            ...(got.ContentType ? { ContentType: got.ContentType } : {}),
            ...(got.ContentEncoding ? { ContentEncoding: got.ContentEncoding } : {}),
          }));
        }
      } catch (err) {
        throw new S3RewriteError(key, { cause: err });
      }
    }
    return removed;
  }

  return {
    name: o.name ?? `s3://${o.bucket}/${base}{raw,errors}`,
    async deletePosts(ids: string[]) {
      if (ids.length === 0) return { removedRows: 0, removedRawRecords: 0 };
      const set = new Set(ids);
      const times = ids.map(createdAtOfXId);
      // Without a readable creation time for every id, scan everything.
      const fromDt = times.every((t) => t) ? dtOf(new Date(Math.min(...times.map((t) => t!.getTime())))) : null;
      const drop = (k: PostKeys) => k.id !== null && set.has(k.id);
      const removedRawRecords = (await purge(LAKE_PREFIXES.raw, keysOfRawLine, drop, fromDt)) + (await purge(LAKE_PREFIXES.errors, keysOfErrorLine, drop, fromDt));
      return { removedRows: 0, removedRawRecords };
    },
    async deleteAuthorPosts(authorIds: string[]) {
      if (authorIds.length === 0) return { removedRows: 0, removedRawRecords: 0 };
      const set = new Set(authorIds);
      const drop = (k: PostKeys) => k.author_id !== null && set.has(k.author_id);
      return { removedRows: 0, removedRawRecords: (await purge(LAKE_PREFIXES.raw, keysOfRawLine, drop, null)) + (await purge(LAKE_PREFIXES.errors, keysOfErrorLine, drop, null)) };
    },
  };
}
