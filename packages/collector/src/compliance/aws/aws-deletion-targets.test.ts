import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { athenaDeletionTarget, athenaHeldPostIds, AthenaQueryError } from "./athena-deletion-target.ts";
import { s3DeletionLog } from "./s3-deletion-log.ts";
import { s3DeletionTombstones } from "./s3-deletion-tombstones.ts";
import { createdAtOfXId, s3RawDeletionTarget } from "./s3-raw-deletion-target.ts";
import { startAthenaServer } from "../../../test/athena-server.ts";
import { startS3Server, type LocalS3 } from "../../../test/s3-server.ts";

const post = (id: string, author = "7") => JSON.stringify({ id, text: "gm", created_at: "2026-11-20T01:00:00.000Z", author_id: author });

describe("S3 raw deletion target (against s3rver)", { timeout: 30_000 }, () => {
  let local: LocalS3;
  beforeAll(async () => {
    local = await startS3Server("lake");
  });
  afterAll(() => local.close());
  const s3 = () => local.s3;
  const put = (key: string, lines: string[], gz = true) => local.put(key, lines, gz);
  const get = (key: string) => local.lines(key);

  it("rewrites raw and error objects without the posts, deletes emptied ones, leaves the rest byte-identical", async () => {
    const gone = "1000000000000000005";
    await put("raw/dt=2026-11-20/hour=01/a.ndjson.gz", [post("1000000000000000001"), post(gone), post("1000000000000000002")]);
    await put("raw/dt=2026-11-20/hour=02/b.ndjson.gz", [post(gone)]);
    await put("raw/dt=2026-11-20/hour=03/c.ndjson.gz", [post("1000000000000000003")]);
    await put("errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson", [
      JSON.stringify({ type: "processing-failed", reason: "x", where: "r", at: "t", raw_data: Buffer.from(`{"id":"${gone}","text":"tru`).toString("base64") }),
      JSON.stringify({ type: "processing-failed", reason: "x", where: "r", at: "t", raw_data: Buffer.from(post("1000000000000000009")).toString("base64") }),
    ], false);
    const untouched = await s3().send(new GetObjectCommand({ Bucket: "lake", Key: "raw/dt=2026-11-20/hour=03/c.ndjson.gz" }));
    const etag = untouched.ETag;

    const counts = await s3RawDeletionTarget({ s3: s3(), bucket: "lake" }).deletePosts([gone]);

    expect(counts).toEqual({ removedRows: 0, removedRawRecords: 3 });
    const keys = ((await s3().send(new ListObjectsV2Command({ Bucket: "lake" }))).Contents ?? []).map((c) => c.Key).sort();
    expect(keys).toEqual(["errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson", "raw/dt=2026-11-20/hour=01/a.ndjson.gz", "raw/dt=2026-11-20/hour=03/c.ndjson.gz"]);
    expect(await get("raw/dt=2026-11-20/hour=01/a.ndjson.gz")).toEqual([post("1000000000000000001"), post("1000000000000000002")]);
    const errors = await get("errors/processing-failed/dt=2026-11-20/hour=01/e.ndjson");
    expect(errors.map((l) => JSON.parse(Buffer.from(JSON.parse(l).raw_data, "base64").toString()).id)).toEqual(["1000000000000000009"]);
    expect((await s3().send(new GetObjectCommand({ Bucket: "lake", Key: "raw/dt=2026-11-20/hour=03/c.ndjson.gz" }))).ETag).toBe(etag);
  });

  it("writes each deletion record as its own object under compliance/", async () => {
    const log = s3DeletionLog({ s3: s3(), bucket: "lake" });
    await log({ phase: "planned", run_id: "r1", at: "2026-11-24T10:00:00.000Z", ids: ["5"] } as never);
    await log({ phase: "deleted", run_id: "r1", at: "2026-11-24T10:00:01.000Z", ids: ["5"] } as never);
    const keys = ((await s3().send(new ListObjectsV2Command({ Bucket: "lake", Prefix: "compliance/" }))).Contents ?? []).map((c) => c.Key);
    expect(keys).toEqual(["compliance/dt=2026-11-24/deletions-2026-11-24T10-00-00-000Z-r1-planned.ndjson", "compliance/dt=2026-11-24/deletions-2026-11-24T10-00-01-000Z-r1-deleted.ndjson"]);
    expect(JSON.parse((await get(keys[1]!))[0]!)).toMatchObject({ phase: "deleted", ids: ["5"] });
  });

  it("reads tombstones back from the record objects, fetching only objects it has not read", async () => {
    const read = s3DeletionTombstones({ s3: s3(), bucket: "lake", keyPrefix: "tomb" });
    await put("tomb/compliance/dt=2026-11-24/deletions-a-r1-planned.ndjson", [JSON.stringify({ phase: "planned", run_id: "r1", ids: ["31"], author_ids: ["77"], at: "a" })], false);
    await put("tomb/compliance/dt=2026-11-24/deletions-b-r1-failed.ndjson", [JSON.stringify({ phase: "failed", run_id: "r1", ids: ["32"], author_ids: [], at: "b" })], false);
    await put("tomb/compliance/dt=2026-11-24/deletions-c-r2-deleted.ndjson", ['{"phase":"deleted","ids":['], false);
    const first = await read();
    expect([...first.ids]).toEqual(["31"]);
    expect([...first.authorIds]).toEqual(["77"]);
    expect(first.unreadable).toEqual(["s3://lake/tomb/compliance/dt=2026-11-24/deletions-c-r2-deleted.ndjson:1"]);
    await put("tomb/compliance/dt=2026-11-25/deletions-d-r3-deleted.ndjson", [JSON.stringify({ phase: "deleted", run_id: "r3", ids: ["33"], author_ids: [], at: "d" })], false);
    const gets: string[] = [];
    s3().middlewareStack.add((next, ctx) => async (args) => (ctx.commandName === "GetObjectCommand" && gets.push((args.input as { Key: string }).Key), next(args)), { step: "initialize", name: "countGets" });
    try {
      expect([...(await read()).ids].sort()).toEqual(["31", "33"]);
    } finally {
      s3().middlewareStack.remove("countGets");
    }
    expect(gets).toEqual(["tomb/compliance/dt=2026-11-25/deletions-d-r3-deleted.ndjson"]);
  });

  it("reads a post's creation time from its id", () => {
    const at = Date.parse("2026-11-20T01:00:00.123Z");
    const id = String((BigInt(at - 1288834974657) << 22n) | 4095n);
    expect(createdAtOfXId(id)?.toISOString()).toBe("2026-11-20T01:00:00.123Z");
    expect(createdAtOfXId("x")).toBeNull();
  });
});

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
