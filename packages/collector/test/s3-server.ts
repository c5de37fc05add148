/**
 * s3rver (a local server speaking S3's REST protocol) on 127.0.0.1 with one bucket, and an SDK
 * client pointed at it, for the AWS lake adapters' tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { gzipSync } from "node:zlib";

/** s3rver accepts any key pair; these are what the clients (and a spawned collector) sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface LocalS3 {
  url: string;
  s3: S3Client;
  /** Writes lines as an object (gzipped unless `gz` is false). */
  put(key: string, lines: string[], gz?: boolean): Promise<unknown>;
  /** The object's lines (gunzipped when gzipped). */
  lines(key: string): Promise<string[]>;
  keys(prefix?: string): Promise<string[]>;
  etag(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = "lake"): Promise<LocalS3> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  const S3rver = createRequire(import.meta.url)("s3rver");
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: LOCAL_CREDENTIALS, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  return {
    url,
    s3,
    put: (key, lines, gz = true) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gz ? gzipSync(lines.join("\n") + "\n") : Buffer.from(lines.join("\n") + "\n") })),
    async lines(key) {
      const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
      return (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString("utf8").split("\n").filter(Boolean);
    },
    async keys(prefix) {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const c of page.Contents ?? []) if (c.Key) out.push(c.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
    etag: async (key) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).ETag,
    async close() {
      s3.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
