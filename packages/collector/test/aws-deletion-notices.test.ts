/**
 * The EC2 collector (cli.ts, as infra starts it) in AWS mode: with LAKE_BUCKET, ATHENA_DATABASE
 * and ATHENA_WORKGROUP set, a deletion notice on the X stream deletes the post from the Iceberg
 * table (Athena DELETE through the Athena-protocol server) and from the raw/ and errors/
 * objects (s3rver), and is recorded under compliance/; a post the bucket's deletion record
 * already lists is refused. Everything runs on 127.0.0.1: X test server, Firehose-protocol
 * server, s3rver, Athena-protocol server.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startAthenaServer, type AthenaRow, type LocalAthena } from "./athena-server.ts";
import { acceptedIds, startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { LOCAL_CREDENTIALS, startS3Server, type LocalS3 } from "./s3-server.ts";
import { postComplianceNotice, startXServer, xLine, type XServer } from "./x-server.ts";

const CLI = resolve(import.meta.dirname, "../src/cli.ts");
const ROOT = resolve(import.meta.dirname, "../../..");

let dir: string;
let x: XServer;
let firehose: StartedFirehoseServer;
let s3: LocalS3;
let athena: LocalAthena;
let table: AthenaRow[];

const at = (s: number) => new Date(Date.now() - 120_000 + s * 1000).toISOString();
/** A post as Firehose backs it up under raw/ (one Post JSON per line). */
const rawLine = (n: number) => {
  const d = xLine(n, "2026-11-20T01:00:00.000Z").data;
  return JSON.stringify({ id: d.id, author_id: d.author_id, text: d.text, created_at: d.created_at, source: "stream" });
};
const errorLine = (n: number) => JSON.stringify({ type: "processing-failed", reason: "x", where: "r", at: "2026-11-20T01:00:00.000Z", raw_data: Buffer.from(rawLine(n)).toString("base64") });
const idOf = (n: number) => xLine(n, at(0)).data.id;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "aws-notices-"));
  x = await startXServer();
  firehose = await startFirehoseServer();
  s3 = await startS3Server("lake");
  table = [
    { id: idOf(1), dt: "2026-11-20", author_id: "1" },
    { id: idOf(9), dt: "2026-11-20", author_id: "2" },
    { id: idOf(8), dt: "2026-11-21", author_id: "3" },
  ];
  athena = await startAthenaServer(table);
});
afterEach(async () => {
  await Promise.all([x.close(), firehose.close(), s3.close(), athena.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function startCollector(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "run", "--data-dir", join(dir, "data")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HEALTH_INTERVAL_MS: "3600000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, err: () => stderr };
}

const awsEnv = () => ({
  X_BEARER_TOKEN: "tok",
  X_API_BASE_URL: x.base,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  FIREHOSE_STREAM_NAME: "defi-posts",
  FIREHOSE_ENDPOINT: firehose.url,
  LAKE_BUCKET: "lake",
  S3_ENDPOINT: s3.url,
  ATHENA_DATABASE: "defi",
  ATHENA_WORKGROUP: "wg",
  ATHENA_ENDPOINT: athena.url,
});

describe("collector in AWS mode (LAKE_BUCKET + ATHENA_DATABASE + ATHENA_WORKGROUP)", () => {
  it("applies a stream deletion notice to the Iceberg table and the raw/errors objects, records it under compliance/, and refuses posts the record already lists", async () => {
    // Post 1 was collected earlier: it is in the table, in a raw object beside post 9, and in an error record.
    await s3.put("raw/dt=2026-11-20/hour=01/a.ndjson.gz", [rawLine(1), rawLine(9)]);
    await s3.put("raw/dt=2026-11-21/hour=02/b.ndjson.gz", [rawLine(8)]);
    await s3.put("errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson", [errorLine(1), errorLine(9)], false);
    // Post 4 was deleted by yesterday's compliance check: the bucket's record lists it.
    const earlier = "compliance/dt=2026-11-23/deletions-2026-11-23T03-00-00-000Z-r0-deleted.ndjson";
    await s3.put(earlier, [JSON.stringify({ phase: "deleted", source: "batch-compliance", run_id: "r0", ids: [idOf(4)], author_ids: [], at: "2026-11-23T03:00:00.000Z" })], false);
    const untouched = await s3.etag("raw/dt=2026-11-21/hour=02/b.ndjson.gz");
    const p1 = xLine(1, at(1)).data;
    x.streamReplies.push({
      steps: [{ line: xLine(2, at(2)) }, { line: xLine(3, at(3)) }, { line: xLine(4, at(4)) }, { waitMs: 100 }, postComplianceNotice("delete", { id: p1.id, author_id: p1.author_id! }, at(5))],
    });

    const cli = startCollector(awsEnv());
    let records: string[] = [];
    for (let i = 0; i < 200; i++) {
      records = (await s3.keys("compliance/")).filter((k) => k !== earlier);
      if (records.some((k) => k.endsWith("-deleted.ndjson") || k.endsWith("-failed.ndjson"))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);

    // The table: one DELETE for that id, then the touched partition rewritten and old files vacuumed.
    expect(athena.calls).toEqual(
      [
        `SELECT CAST(dt AS varchar) AS dt, count(*) AS n FROM "defi"."scored_posts" WHERE id IN ('${p1.id}') GROUP BY 1`,
        `DELETE FROM "defi"."scored_posts" WHERE id IN ('${p1.id}')`,
        `OPTIMIZE "defi"."scored_posts" REWRITE DATA USING BIN_PACK WHERE dt IN (DATE '2026-11-20')`,
        `VACUUM "defi"."scored_posts"`,
      ].map((sql) => ({ sql, workGroup: "wg", database: "defi" })),
    );
    expect(table.map((r) => r.id)).toEqual([idOf(9), idOf(8)]);
    // raw/ and errors/: the post's lines are gone, every other line and object is as it was.
    expect(await s3.lines("raw/dt=2026-11-20/hour=01/a.ndjson.gz")).toEqual([rawLine(9)]);
    expect(await s3.lines("errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson")).toEqual([errorLine(9)]);
    expect(await s3.etag("raw/dt=2026-11-21/hour=02/b.ndjson.gz")).toBe(untouched);
    expect((await s3.keys()).filter((k) => !k.startsWith("health/") && !k.startsWith("compliance/"))).toEqual([
      "errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson",
      "raw/dt=2026-11-20/hour=01/a.ndjson.gz",
      "raw/dt=2026-11-21/hour=02/b.ndjson.gz",
    ]);
    // The proof: planned, then deleted with the counts per target; ids only, no text.
    expect(records.map((k) => k.replace(/.*-/, ""))).toEqual(["planned.ndjson", "deleted.ndjson"]);
    const deleted = JSON.parse((await s3.lines(records[1]!))[0]!);
    expect(deleted).toMatchObject({
      phase: "deleted",
      source: "stream-notice",
      ids: [p1.id],
      reasons: { deleted: 1 },
      targets: [
        { name: "athena defi.scored_posts", removedRows: 1, removedRawRecords: 0 },
        { name: "s3://lake/{raw,errors}", removedRows: 0, removedRawRecords: 2 },
      ],
      errors: [],
    });
    expect(JSON.stringify(deleted)).not.toContain("synthetic post");
    // Post 4 (in yesterday's record) never reached Firehose; the others did.
    expect(acceptedIds(firehose.accepted).sort()).toEqual([idOf(2), idOf(3)]);
    expect(cli.err()).toMatch(/"event":"tombstoned"[^\n]*"dropped":1/);
    expect(cli.err()).not.toContain("only logged");
  }, 60_000);

  it("refuses a partial AWS lake configuration, naming what is missing, before reading X", async () => {
    const { LAKE_BUCKET: _b, ...noBucket } = awsEnv();
    const cli = startCollector({ ...noBucket, ATHENA_WORKGROUP: "" });
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toContain("ATHENA_DATABASE set: deleting noticed posts from the AWS lake also needs LAKE_BUCKET, ATHENA_WORKGROUP");
    expect(x.streamConnections()).toBe(0);
  }, 30_000);
});
