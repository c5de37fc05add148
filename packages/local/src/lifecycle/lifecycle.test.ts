import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LOCAL_WAREHOUSE_FILE, encodeFirehoseRecord, generateStreamLines, postFromStreamLine, type FirehoseTransformationEvent } from "@defi-sentiment/shared";
import { Warehouse } from "@defi-sentiment/lake";
import { SCORER_VERSION, transformRecords } from "@defi-sentiment/scorer";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's test server for X's compliance API, reused, not copied
import { startComplianceServer, type ComplianceServer } from "../../../collector/test/compliance-server.ts";
import { openLocalPipeline } from "../local-pipeline.ts";
import { complianceAwsCommand, complianceCommand } from "./compliance.ts";
import { rescoreCommand } from "./rescore.ts";
import { objectLines } from "../../test/lake-lines.ts";
import { LifecycleConfigError } from "./lifecycle-config-error.ts";

const at = new Date("2026-11-20T01:00:00.000Z");
const posts = [...generateStreamLines(1200, { seed: 21, days: 4, end: at })].map((l) => postFromStreamLine(l, "generator", at));
const PLANTED = [posts[10]!.id, posts[400]!.id, posts[401]!.id, posts[777]!.id, posts[1199]!.id];

const ownId = (line: string) => /^\{"id":"(\d+)"/.exec(line)?.[1];
const errorOwnId = (line: string) => ownId(Buffer.from(JSON.parse(line).raw_data, "base64").toString());

let template: string;
beforeAll(async () => {
  template = mkdtempSync(path.join(os.tmpdir(), "local-lifecycle-template-"));
  const p = await openLocalPipeline({ lakeDir: template, bufferBytes: 128 * 1024 });
  const recs = posts.map((post) => encodeFirehoseRecord(post));
  for (let i = 0; i < recs.length; i += 500) await p.stream.putRecordBatch(recs.slice(i, i + 500));
  // A truncated copy of a planted post: it fails scoring and is held in raw/ and errors/.
  await p.stream.putRecordBatch([Buffer.from(`{"id":"${PLANTED[0]}","text":"trunc`), Buffer.from(`{"id":"1","text":"unrelated failure"}\n`)]);
  await p.close();
}, 60_000);
afterAll(() => rmSync(template, { recursive: true, force: true }));

let lake: string;
beforeEach(() => {
  lake = mkdtempSync(path.join(os.tmpdir(), "local-lifecycle-"));
  cpSync(template, lake, { recursive: true });
});
afterEach(() => rmSync(lake, { recursive: true, force: true }));

async function withWarehouse<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await Warehouse.open(path.join(lake, LOCAL_WAREHOUSE_FILE));
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

describe("npm run compliance", { timeout: 30_000 }, () => {
  let server: ComplianceServer;
  afterEach(async () => server?.close());

  it("removes the posts X reports gone from the table, raw objects and error records, touches nothing else, and records it", async () => {
    server = await startComplianceServer({
      gone: new Map([[PLANTED[0]!, "deleted"], [PLANTED[1]!, "protected"], [PLANTED[2]!, "suspended"], [PLANTED[3]!, "deactivated"], [PLANTED[4]!, "deleted"], ["1999999999999999999", "deleted"]]),
      pollsUntilComplete: 2,
    });
    const rawBefore = objectLines(path.join(lake, "raw"));
    const errorsBefore = objectLines(path.join(lake, "errors"));
    const rowsBefore = await withWarehouse((wh) => wh.count());
    expect(rowsBefore).toBe(1200);
    const out: string[] = [];

    const summary = await complianceCommand({
      lakeDir: lake, since: "30d", env: { X_BEARER_TOKEN: "test-token", X_API_BASE: server.base },
      clock: () => new Date("2026-11-20T02:00:00.000Z"), sleep: async () => {}, out: { write: (s) => out.push(s) },
    });

    // Every held post was sent to X; exactly the planted ones were deleted.
    // Every post held from the window went to X (the failed records add none: one repeats a
    // planted id, the other has no creation time to place it in a window).
    expect([...server.jobs.values()][0]!.uploaded).toHaveLength(1200);
    expect(summary.deletedIds.sort()).toEqual([...PLANTED].sort());
    // Table: exactly the planted rows are gone.
    await withWarehouse(async (wh) => {
      expect(await wh.count()).toBe(rowsBefore - PLANTED.length);
      const left = await wh.query(`SELECT id FROM scored_posts WHERE id IN ('${PLANTED.join("','")}')`);
      expect(left).toEqual([]);
    });
    // Raw: the planted posts and the truncated copy are gone; every other line is unchanged.
    const rawAfter = objectLines(path.join(lake, "raw"));
    expect(rawAfter).toHaveLength(rawBefore.length - PLANTED.length - 1);
    expect(rawAfter.sort()).toEqual(rawBefore.filter((l) => !PLANTED.includes(ownId(l) ?? "")).sort());
    // Errors: the truncated copy's record is gone; the unrelated failure stays.
    const errorsAfter = objectLines(path.join(lake, "errors"));
    expect(errorsBefore).toHaveLength(2);
    expect(errorsAfter).toHaveLength(1);
    expect(errorOwnId(errorsAfter[0]!)).toBe("1");
    // Proof: ids and counts, no content.
    const record = readFileSync(summary.logFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(summary.logFile).toContain(path.join("compliance", "dt=2026-11-20", "deletions.ndjson"));
    expect(record.map((r) => r.phase)).toEqual(["planned", "deleted"]);
    expect(record[1].ids.sort()).toEqual([...PLANTED].sort());
    expect(record[1].targets).toEqual([{ name: "local lake", removedRows: 5, removedRawRecords: 7 }]);
    expect(record[1].reasons).toEqual({ deleted: 2, protected: 1, suspended: 1, deactivated: 1 });
    expect(readFileSync(summary.logFile, "utf8")).not.toContain(posts[10]!.text);
    expect(out.join("")).toMatch(/posts held from/);
  });

  it("refuses to start without X_BEARER_TOKEN, naming it", async () => {
    await expect(complianceCommand({ lakeDir: lake, since: "7d", env: {} })).rejects.toThrow(LifecycleConfigError);
    await expect(complianceCommand({ lakeDir: lake, since: "7d", env: {} })).rejects.toThrow(/X_BEARER_TOKEN/);
  });

  it("in AWS mode names each missing setting before touching AWS", async () => {
    await expect(complianceAwsCommand({ since: "7d", env: { X_BEARER_TOKEN: "t" } })).rejects.toThrow(/--aws needs AWS_REGION/);
    await expect(complianceAwsCommand({ since: "7d", env: { X_BEARER_TOKEN: "t", AWS_REGION: "eu-west-1" } })).rejects.toThrow(/--bucket or LAKE_BUCKET/);
    await expect(complianceAwsCommand({ since: "7d", env: { X_BEARER_TOKEN: "t", AWS_REGION: "eu-west-1", LAKE_BUCKET: "b" } })).rejects.toThrow(/--database or ATHENA_DATABASE/);
  });

  it("names --since when the window is not a duration", async () => {
    await expect(complianceCommand({ lakeDir: lake, since: "lots", env: { X_BEARER_TOKEN: "t" } })).rejects.toThrow(/--since: "lots"/);
  });
});

/** The scorer with a new version that reads positive as negative and negative as positive. */
function nextScorer(seen?: string[]) {
  const flip: Record<string, string> = { positive: "negative", negative: "positive", neutral: "neutral" };
  return (event: FirehoseTransformationEvent) => {
    seen?.push(...event.records.map((r) => Buffer.from(r.data, "base64").toString().slice(0, 30)));
    const res = transformRecords(event);
    for (const r of res.records) {
      if (r.result !== "Ok") continue;
      const row = JSON.parse(Buffer.from(r.data, "base64").toString());
      row.scorer_version = "2099.1.0";
      row.sentiment_label = flip[row.sentiment_label];
      row.sentiment_score = -row.sentiment_score;
      r.data = Buffer.from(JSON.stringify(row) + "\n").toString("base64");
    }
    return res;
  };
}

describe("npm run rescore", { timeout: 60_000 }, () => {
  it("after a scorer version change every row carries the new version, counts are unchanged and answers follow the new scores", async () => {
    const before = await withWarehouse(async (wh) => ({ n: await wh.count(), share: await wh.ask<{ sentiment_label: string; posts: number }>("sentimentShare") }));
    const r = await rescoreCommand({ lakeDir: lake, transform: nextScorer(), runId: "2099.1.0", out: { write: () => true } });
    expect(r.status).toBe("complete");
    expect(r.versionsBefore).toEqual({ [SCORER_VERSION]: 1200 });
    expect(r.versionsAfter).toEqual({ "2099.1.0": 1200 });
    expect(r.rows).toBe(1200);
    const after = await withWarehouse(async (wh) => ({ n: await wh.count(), share: await wh.ask<{ sentiment_label: string; posts: number }>("sentimentShare") }));
    expect(after.n).toBe(before.n);
    const count = (s: typeof before.share, l: string) => s.find((x) => x.sentiment_label === l)?.posts ?? 0;
    expect(count(after.share, "positive")).toBe(count(before.share, "negative"));
    expect(count(after.share, "negative")).toBe(count(before.share, "positive"));
    expect(count(before.share, "positive")).not.toBe(count(before.share, "negative"));
  });

  it("an interrupted rescore resumes without replaying a file twice and ends the same", async () => {
    const seen: string[] = [];
    const stop = new AbortController();
    const first = await rescoreCommand({ lakeDir: lake, transform: nextScorer(seen), runId: "2099.1.0", signal: stop.signal, onFile: (n) => n >= 2 && stop.abort(), out: { write: () => true } });
    expect(first.status).toBe("aborted");
    const mixed = await withWarehouse(async (wh) => wh.query<{ v: string }>("SELECT DISTINCT scorer_version AS v FROM scored_posts ORDER BY 1"));
    expect(mixed.map((m) => m.v)).toEqual([SCORER_VERSION, "2099.1.0"].sort());
    const second = await rescoreCommand({ lakeDir: lake, transform: nextScorer(seen), runId: "2099.1.0", out: { write: () => true } });
    expect(second.status).toBe("complete");
    expect(second.filesSkipped).toBe(first.filesProcessed);
    expect(seen).toHaveLength(1202); // every raw record once (1200 posts + 2 failed records)
    expect(second.versionsAfter).toEqual({ "2099.1.0": 1200 });
  });

  it("running the current scorer again is idempotent: same counts, same answers", async () => {
    const ask = () => withWarehouse(async (wh) => ({ n: await wh.count(), overview: await wh.ask("sentimentShare"), who: await wh.ask("influencersByPosts"), where: await wh.ask("countries") }));
    const before = await ask();
    const out: string[] = [];
    const r = await rescoreCommand({ lakeDir: lake, out: { write: (s) => out.push(s) } });
    expect(r.versionsAfter).toEqual({ [SCORER_VERSION]: 1200 });
    expect(await ask()).toEqual(before);
    expect(out.join("")).toMatch(/rescore: files \d+\/\d+/);
  });
});
