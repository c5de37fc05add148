import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { AthenaClient } from "@aws-sdk/client-athena";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { athenaDeletionTarget, athenaHeldPostIds, AthenaQueryError } from "./athena-deletion-target.ts";
import { s3DeletionLog } from "./s3-deletion-log.ts";
import { createdAtOfXId, s3RawDeletionTarget } from "./s3-raw-deletion-target.ts";
import { replayRawFromS3 } from "./replay-raw-from-s3.ts";

const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const post = (id: string, author = "7") => JSON.stringify({ id, text: "gm", created_at: "2026-11-20T01:00:00.000Z", author_id: author });

describe("S3 raw deletion target (against s3rver)", { timeout: 30_000 }, () => {
  let server: { run(): Promise<AddressInfo>; close(): Promise<void> };
  let s3: S3Client;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
    const S3rver = createRequire(import.meta.url)("s3rver");
    server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: "lake" }] });
    const { port } = await server.run();
    s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", forcePathStyle: true, credentials, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (key: string, lines: string[], gz = true) =>
    s3.send(new PutObjectCommand({ Bucket: "lake", Key: key, Body: gz ? gzipSync(lines.join("\n") + "\n") : Buffer.from(lines.join("\n") + "\n") }));
  const get = async (key: string) => {
    const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: "lake", Key: key }))).Body!.transformToByteArray());
    return (body[0] === 0x1f ? gunzipSync(body) : body).toString().split("\n").filter(Boolean);
  };

  it("rewrites raw and error objects without the posts, deletes emptied ones, leaves the rest byte-identical", async () => {
    const gone = "1000000000000000005";
    await put("raw/dt=2026-11-20/hour=01/a.ndjson.gz", [post("1000000000000000001"), post(gone), post("1000000000000000002")]);
    await put("raw/dt=2026-11-20/hour=02/b.ndjson.gz", [post(gone)]);
    await put("raw/dt=2026-11-20/hour=03/c.ndjson.gz", [post("1000000000000000003")]);
    await put("errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson", [
      JSON.stringify({ type: "processing-failed", reason: "x", where: "r", at: "t", raw_data: Buffer.from(`{"id":"${gone}","text":"tru`).toString("base64") }),
      JSON.stringify({ type: "processing-failed", reason: "x", where: "r", at: "t", raw_data: Buffer.from(post("1000000000000000009")).toString("base64") }),
    ], false);
    const untouched = await s3.send(new GetObjectCommand({ Bucket: "lake", Key: "raw/dt=2026-11-20/hour=03/c.ndjson.gz" }));
    const etag = untouched.ETag;

    const counts = await s3RawDeletionTarget({ s3, bucket: "lake" }).deletePosts([gone]);

    expect(counts).toEqual({ removedRows: 0, removedRawRecords: 3 });
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: "lake" }))).Contents ?? []).map((c) => c.Key).sort();
    expect(keys).toEqual(["errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson", "raw/dt=2026-11-20/hour=01/a.ndjson.gz", "raw/dt=2026-11-20/hour=03/c.ndjson.gz"]);
    expect(await get("raw/dt=2026-11-20/hour=01/a.ndjson.gz")).toEqual([post("1000000000000000001"), post("1000000000000000002")]);
    const errors = await get("errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson");
    expect(errors.map((l) => JSON.parse(Buffer.from(JSON.parse(l).raw_data, "base64").toString()).id)).toEqual(["1000000000000000009"]);
    expect((await s3.send(new GetObjectCommand({ Bucket: "lake", Key: "raw/dt=2026-11-20/hour=03/c.ndjson.gz" }))).ETag).toBe(etag);
  });

  it("replays raw objects into a stream, resending refused records, resuming after an interruption", async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => String(2_000_000_000_000_000_000n + BigInt(i)));
    for (let f = 0; f < 4; f++) await put(`replay/raw/dt=2026-11-2${f}/hour=00/r${f}.ndjson.gz`, ids.slice(f * 300, f * 300 + 300).map((id) => post(id)));
    const accepted: string[] = [];
    let refuseNext = true;
    const sink = {
      async putRecordBatch(records: Uint8Array[]) {
        expect(records.length).toBeLessThanOrEqual(500);
        const failed = refuseNext ? [{ index: 1, errorCode: "ServiceUnavailableException", errorMessage: "slow down" }] : [];
        refuseNext = false;
        records.forEach((r, i) => failed.some((f) => f.index === i) || accepted.push(JSON.parse(Buffer.from(r).toString()).id));
        return { failed };
      },
    };
    const checkpointFile = path.join(dir, "replay-checkpoint.json");
    const stop = new AbortController();
    const first = await replayRawFromS3({ s3, bucket: "lake", keyPrefix: "replay", sink, runId: "v9", checkpointFile, signal: stop.signal, sleep: async () => {}, onProgress: (p) => p.objectsDone === 2 && stop.abort() });
    expect(first).toMatchObject({ status: "aborted", objectsProcessed: 2, records: 600, failed: 0 });
    const second = await replayRawFromS3({ s3, bucket: "lake", keyPrefix: "replay", sink, runId: "v9", checkpointFile, sleep: async () => {} });
    expect(second).toMatchObject({ status: "complete", objectsSkipped: 2, objectsProcessed: 2, records: 600 });
    expect(accepted.sort()).toEqual(ids); // each record accepted exactly once, the refused one after a resend
  });

  it("writes each deletion record as its own object under compliance/", async () => {
    const log = s3DeletionLog({ s3, bucket: "lake" });
    await log({ phase: "planned", run_id: "r1", at: "2026-11-24T10:00:00.000Z", ids: ["5"] } as never);
    await log({ phase: "deleted", run_id: "r1", at: "2026-11-24T10:00:01.000Z", ids: ["5"] } as never);
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: "lake", Prefix: "compliance/" }))).Contents ?? []).map((c) => c.Key);
    expect(keys).toEqual(["compliance/dt=2026-11-24/deletions-2026-11-24T10-00-00-000Z-r1-planned.ndjson", "compliance/dt=2026-11-24/deletions-2026-11-24T10-00-01-000Z-r1-deleted.ndjson"]);
    expect(JSON.parse((await get(keys[1]!))[0]!)).toMatchObject({ phase: "deleted", ids: ["5"] });
  });

  it("reads a post's creation time from its id", () => {
    const at = Date.parse("2026-11-20T01:00:00.123Z");
    const id = String((BigInt(at - 1288834974657) << 22n) | 4095n);
    expect(createdAtOfXId(id)?.toISOString()).toBe("2026-11-20T01:00:00.123Z");
    expect(createdAtOfXId("x")).toBeNull();
  });
});

/** A server speaking Athena's JSON protocol over a tiny in-memory table; records every statement. */
async function startAthenaServer(table: { id: string; dt: string; author_id: string }[], failOn?: RegExp) {
  const queries = new Map<string, { sql: string; polls: number; rows: string[][] }>();
  const statements: string[] = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"]);
      const input = JSON.parse(body || "{}");
      const reply = (o: unknown, status = 200) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(o));
      };
      if (target.endsWith("StartQueryExecution")) {
        const sql: string = input.QueryString;
        statements.push(sql);
        const ids = [...(/IN \(([^)]*)\)/.exec(sql)?.[1] ?? "").matchAll(/'(\d+)'/g)].map((m) => m[1]);
        const col = /WHERE (\w+) IN/.exec(sql)?.[1] as "id" | "author_id" | undefined;
        let rows: string[][] = [];
        if (sql.startsWith("SELECT id FROM")) {
          const [from, to] = [...sql.matchAll(/DATE '([\d-]+)'/g)].map((m) => m[1]!);
          rows = [["id"], ...table.filter((r) => r.dt >= from! && r.dt <= to!).map((r) => [r.id])];
        } else if (sql.startsWith("SELECT") && col) {
          const byDt = new Map<string, number>();
          for (const r of table) if (ids.includes(r[col])) byDt.set(r.dt, (byDt.get(r.dt) ?? 0) + 1);
          rows = [["dt", "n"], ...[...byDt].map(([d, n]) => [d, String(n)])];
        } else if (sql.startsWith("DELETE") && col) {
          for (let i = table.length - 1; i >= 0; i--) if (ids.includes(table[i]![col])) table.splice(i, 1);
        }
        const id = `q-${++seq}`;
        queries.set(id, { sql, polls: 0, rows });
        return reply({ QueryExecutionId: id });
      }
      if (target.endsWith("GetQueryExecution")) {
        const q = queries.get(input.QueryExecutionId)!;
        q.polls++;
        const State = q.polls < 2 ? "RUNNING" : failOn?.test(q.sql) ? "FAILED" : "SUCCEEDED";
        return reply({ QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State, ...(State === "FAILED" ? { StateChangeReason: "ICEBERG_COMMIT_ERROR" } : {}) } } });
      }
      if (target.endsWith("GetQueryResults")) {
        const q = queries.get(input.QueryExecutionId)!;
        return reply({ ResultSet: { Rows: q.rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })), ResultSetMetadata: { ColumnInfo: [] } } });
      }
      reply({ __type: "InvalidRequestException", Message: target }, 400);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const client = new AthenaClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: "us-east-1", credentials });
  return { client, statements, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("Athena deletion target (against a server speaking Athena's protocol)", { timeout: 30_000 }, () => {
  it("deletes the rows by id, then compacts only the touched partitions and vacuums", async () => {
    const table = [
      { id: "11", dt: "2026-11-19", author_id: "1" },
      { id: "12", dt: "2026-11-20", author_id: "1" },
      { id: "13", dt: "2026-11-20", author_id: "2" },
    ];
    const athena = await startAthenaServer(table);
    const target = athenaDeletionTarget({ athena: athena.client, database: "defi", workGroup: "wg", sleep: async () => {} });
    expect(await target.deletePosts(["12", "99"])).toEqual({ removedRows: 1, removedRawRecords: 0 });
    expect(table.map((r) => r.id)).toEqual(["11", "13"]);
    expect(athena.statements).toEqual([
      `SELECT CAST(dt AS varchar) AS dt, count(*) AS n FROM "defi"."scored_posts" WHERE id IN ('12', '99') GROUP BY 1`,
      `DELETE FROM "defi"."scored_posts" WHERE id IN ('12', '99')`,
      `OPTIMIZE "defi"."scored_posts" REWRITE DATA USING BIN_PACK WHERE dt IN (DATE '2026-11-20')`,
      `VACUUM "defi"."scored_posts"`,
    ]);
    await athena.close();
  });

  it("lists the ids held for a window, pruned by partition, and refuses a malformed window", async () => {
    const athena = await startAthenaServer([{ id: "11", dt: "2026-11-19", author_id: "1" }, { id: "12", dt: "2026-11-25", author_id: "1" }]);
    const window = { start: "2026-11-18T00:00:00.000Z", end: "2026-11-20T00:00:00.000Z" };
    expect(await athenaHeldPostIds({ athena: athena.client, database: "defi", workGroup: "wg", window, sleep: async () => {} })).toEqual(["11"]);
    expect(athena.statements[0]).toContain("created_at BETWEEN from_iso8601_timestamp('2026-11-18T00:00:00.000Z') AND from_iso8601_timestamp('2026-11-20T00:00:00.000Z')");
    await expect(athenaHeldPostIds({ athena: athena.client, database: "defi", workGroup: "wg", window: { start: "x' OR 1=1 --", end: window.end } })).rejects.toThrow(/window.start/);
    await athena.close();
  });

  it("does nothing but count when none of the ids are held", async () => {
    const athena = await startAthenaServer([{ id: "11", dt: "2026-11-19", author_id: "1" }]);
    await athenaDeletionTarget({ athena: athena.client, database: "defi", workGroup: "wg", sleep: async () => {} }).deletePosts(["5"]);
    expect(athena.statements).toHaveLength(1);
    await athena.close();
  });

  it("refuses anything that is not an id before sending SQL", async () => {
    const athena = await startAthenaServer([]);
    const target = athenaDeletionTarget({ athena: athena.client, database: "defi", workGroup: "wg", sleep: async () => {} });
    await expect(target.deletePosts(["1') OR ('1'='1"])).rejects.toThrow(/ids\[0\].*is not an X id/);
    expect(athena.statements).toEqual([]);
    await athena.close();
  });

  it("says which statement failed and its query id", async () => {
    const athena = await startAthenaServer([{ id: "12", dt: "2026-11-20", author_id: "1" }], /^DELETE/);
    const target = athenaDeletionTarget({ athena: athena.client, database: "defi", workGroup: "wg", sleep: async () => {} });
    const err = await target.deletePosts(["12"]).catch((e) => e);
    expect(err).toBeInstanceOf(AthenaQueryError);
    expect(err.message).toBe("athena delete (query q-2): FAILED: ICEBERG_COMMIT_ERROR");
    await athena.close();
  });
});
