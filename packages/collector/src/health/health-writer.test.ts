import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HealthRecord } from "./health-record.ts";
import { localHealthWriter, s3HealthWriter } from "./health-writer.ts";

const record = (at: string): HealthRecord => ({
  type: "collector-health", at, host: "h", uptime_s: 1, source: "stream", received: 1, delivered: 1, duplicates: 0, resent: 0, spooled: 0, dead_lettered: 0, in_flight: 0, sink_errors: 0,
  last_delivered_at: null, reconnects: 0, last_keep_alive_at: null, bad_lines: 0, gaps_filled: 0, gap_posts: 0, posts_read_today: 1, posts_read_month: 1, spend_usd_month: 0.01, budget_remaining: 9, tombstoned: 0, deletion_notices: 0,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "health-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("health writers", () => {
  it("writes gzipped NDJSON under the lake's health/dt=…/hour=… partition", async () => {
    const file = await localHealthWriter(join(dir, "lake")).write([record("2026-11-24T13:05:00.000Z")]);
    expect(file).toMatch(/lake\/health\/dt=2026-11-24\/hour=13\/collector-health-1-2026-11-24-13-05-00-[0-9a-f]{8}\.ndjson\.gz$/);
    expect(JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"))).toMatchObject({ type: "collector-health", spend_usd_month: 0.01 });
  });

  it("puts the same object to s3://LAKE_BUCKET/health/… (local S3 server)", async () => {
    const s3rverModule = "s3rver"; // untyped, test-only dependency
    const { default: S3rver } = (await import(s3rverModule)) as unknown as { default: new (o: object) => { run(): Promise<{ port: number }>; close(): Promise<void> } };
    const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: join(dir, "s3"), configureBuckets: [{ name: "lake" }] });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const prev = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
    try {
      const uri = await (await s3HealthWriter({ bucket: "lake", region: "us-east-1", endpoint })).write([record("2026-11-24T13:05:00.000Z")]);
      expect(uri).toMatch(/^s3:\/\/lake\/health\/dt=2026-11-24\/hour=13\/collector-health-1-/);
      const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: "lake", Prefix: "health/" }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual([uri.slice("s3://lake/".length)]);
      const body = await (await s3.send(new GetObjectCommand({ Bucket: "lake", Key: listed.Contents![0]!.Key! }))).Body!.transformToByteArray();
      expect(JSON.parse(gunzipSync(body).toString("utf8"))).toMatchObject({ type: "collector-health", host: "h" });
      s3.destroy();
    } finally {
      process.env.AWS_ACCESS_KEY_ID = prev.id;
      process.env.AWS_SECRET_ACCESS_KEY = prev.secret;
      if (prev.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (prev.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      await server.close();
    }
  }, 20_000);
});
