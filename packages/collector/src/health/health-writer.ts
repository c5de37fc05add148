/**
 * Writes health records into the lake's `health/dt=…/hour=…/` folder: gzipped NDJSON files on
 * disk locally, S3 PutObject to `s3://$LAKE_BUCKET/health/...` in AWS.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { encodeNdjson, healthPrefix, objectName } from "@defi-sentiment/shared";
import type { HealthRecord } from "./health-record.ts";

export interface HealthWriter {
  write(records: HealthRecord[]): Promise<string>;
}

const keyFor = (at: Date) => `${healthPrefix(at)}${objectName("collector-health", at, randomUUID().slice(0, 8))}`;

export function localHealthWriter(lakeDir: string): HealthWriter {
  return {
    async write(records) {
      const at = new Date(records[0]?.at ?? Date.now());
      const file = path.join(lakeDir, keyFor(at));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, gzipSync(encodeNdjson(records)));
      return file;
    },
  };
}

export async function s3HealthWriter(options: { bucket: string; region?: string; endpoint?: string }): Promise<HealthWriter> {
  const { S3Client, PutObjectCommand } = await import("@aws-sdk/client-s3");
  const s3 = new S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    async write(records) {
      const key = keyFor(new Date(records[0]?.at ?? Date.now()));
      await s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: gzipSync(encodeNdjson(records)), ContentType: "application/x-ndjson", ContentEncoding: "gzip" }));
      return `s3://${options.bucket}/${key}`;
    },
  };
}
