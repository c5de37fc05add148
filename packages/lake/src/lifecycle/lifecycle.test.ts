import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  PostSchema,
  decodeFirehoseData,
  encodeFirehoseRecord,
  generateStreamLines,
  postFromStreamLine,
  type FirehoseTransformationEvent,
  type FirehoseTransformationResponse,
  type Post,
  type ScoredPost,
} from "@defi-sentiment/shared";
import { Warehouse } from "../warehouse.ts";
import { LocalDeliveryStream } from "../local-delivery-stream.ts";
import { listLakeObjects, readObjectLines } from "./lake-files.ts";
import { localDeletionTarget } from "./local-deletion-target.ts";
import { heldPostIds } from "./held-post-ids.ts";
import { rescoreLake, type RescoreProgress } from "./rescore-lake.ts";

/** A tiny stand-in scorer (lake cannot import the scorer): label from the id, version stamped. */
function scored(post: Post, version: string, flip: boolean): ScoredPost {
  const labels = ["positive", "neutral", "negative"] as const;
  const base = Number(post.id.slice(-3)) % 3;
  const i = flip && base === 0 ? 2 : base; // the "new scorer" reads every positive post as negative
  return {
    id: post.id, text: post.text, created_at: post.created_at, dt: post.created_at.slice(0, 10), lang: post.lang,
    conversation_id: post.conversation_id, is_retweet: false, is_reply: false, is_quote: false, author_id: post.author_id,
    author_username: post.author_username, author_name: post.author_name, author_location: post.author_location, author_country: null,
    author_verified: post.author_verified, author_followers_count: post.author_followers_count, like_count: post.like_count,
    retweet_count: post.retweet_count, reply_count: post.reply_count, quote_count: post.quote_count,
    engagement: post.like_count + post.retweet_count + post.reply_count + post.quote_count, sentiment_label: labels[i]!,
    sentiment_score: i === 0 ? 0.5 : i === 2 ? -0.5 : 0, scorer_version: version, cashtags: post.cashtags, hashtags: post.hashtags,
    mentions: post.mentions, protocols: [], domains: [], rule_ids: post.rule_ids, rule_tags: post.rule_tags, source: post.source,
    collected_at: post.collected_at, scored_at: new Date().toISOString(),
  };
}

function testTransform(version: string, flip = false, seen?: string[]) {
  return (event: FirehoseTransformationEvent): FirehoseTransformationResponse => ({
    records: event.records.map((r) => {
      try {
        const post = PostSchema.parse(decodeFirehoseData(r.data, r.recordId));
        seen?.push(post.id);
        return { recordId: r.recordId, result: "Ok" as const, data: encodeFirehoseRecord(scored(post, version, flip)).toString("base64") };
      } catch {
        return { recordId: r.recordId, result: "ProcessingFailed" as const, data: r.data };
      }
    }),
  });
}

const at = new Date("2026-11-20T01:00:00.000Z");
const posts = [...generateStreamLines(600, { seed: 11, days: 5, end: at })].map((l) => postFromStreamLine(l, "generator", at));

const BROKEN_ONLY = "1999999999999999999"; // held only as a failed (truncated) record
const INVALID = "1999999999999999990"; // valid JSON, not a Post (text is a number)
const PLANTED = [posts[3]!.id, posts[250]!.id, posts[599]!.id];

/** Lands posts through the local delivery stream in several flushes (many raw objects), plus three records that fail. */
async function buildLake(dir: string) {
  const wh = await Warehouse.open(path.join(dir, "warehouse.duckdb"));
  const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform: testTransform("v1"), bufferIntervalMs: 60_000 });
  for (let i = 0; i < posts.length; i += 100) {
    await stream.putRecordBatch(posts.slice(i, i + 100).map((p) => encodeFirehoseRecord(p)));
    await stream.flush();
  }
  await stream.putRecordBatch([
    Buffer.from(`{"id":"${BROKEN_ONLY}","text":"trunc`),
    Buffer.from(`{"id":"${PLANTED[0]}","text":"dup but truncated`),
    Buffer.from(JSON.stringify({ ...posts[0]!, id: INVALID, text: 5 }) + "\n"),
  ]);
  await stream.close();
  await wh.checkpoint();
  wh.close();
}

let template: string;
beforeAll(async () => {
  template = mkdtempSync(path.join(os.tmpdir(), "lifecycle-template-"));
  await buildLake(template);
}, 30_000);
afterAll(() => rmSync(template, { recursive: true, force: true }));

let lake: string;
let wh: Warehouse;
beforeEach(async () => {
  lake = mkdtempSync(path.join(os.tmpdir(), "lifecycle-"));
  cpSync(template, lake, { recursive: true });
  wh = await Warehouse.open(path.join(lake, "warehouse.duckdb"));
});
afterEach(() => {
  wh.close();
  rmSync(lake, { recursive: true, force: true });
});

const lines = (prefix: string) => listLakeObjects(lake, prefix).flatMap((f) => readObjectLines(path.join(lake, f)));

describe("local deletion target", { timeout: 20_000 }, () => {
  it("removes planted posts from the table, every raw object and the error records, and nothing else", async () => {
    const planted = PLANTED;
    const brokenOnly = BROKEN_ONLY;
    const rawBefore = lines("raw/");
    const errorsBefore = lines("errors/");
    expect(await wh.count()).toBe(600);
    expect(errorsBefore).toHaveLength(3);

    const target = localDeletionTarget({ lakeDir: lake, warehouse: wh });
    const counts = await target.deletePosts([...planted, brokenOnly]);

    expect(counts).toEqual({ removedRows: 3, removedRawRecords: 7 }); // 3 + 2 truncated raw copies + 2 error records
    expect(await wh.count()).toBe(597);
    const ids = await wh.query<{ n: number }>(`SELECT count(*) AS n FROM scored_posts WHERE id IN ('${planted.join("','")}')`);
    expect(ids[0]!.n).toBe(0);
    const rawAfter = lines("raw/");
    expect(rawAfter).toHaveLength(rawBefore.length - 5);
    expect(rawAfter.sort()).toEqual(rawBefore.filter((l) => ![...planted, brokenOnly].some((id) => l.startsWith(`{"id":"${id}"`))).sort());
    expect(lines("errors/")).toHaveLength(1); // the unrelated failed record stays
    expect(lines("errors/")[0]).toBe(errorsBefore.find((l) => Buffer.from(JSON.parse(l).raw_data, "base64").toString().includes(INVALID)));
  });

  it("keeps a deleted post from coming back out of a journal a crash left behind", async () => {
    const journalDir = path.join(lake, ".stream", "defi-sentiment-local");
    mkdirSync(journalDir, { recursive: true });
    const line = (p: Post) => `1763600000000 ${encodeFirehoseRecord(p).toString("base64")}\n`;
    writeFileSync(path.join(journalDir, "000000000000001-x.journal"), line(posts[7]!) + line(posts[8]!));
    const counts = await localDeletionTarget({ lakeDir: lake, warehouse: wh }).deletePosts([posts[7]!.id]);
    expect(counts.removedRawRecords).toBe(2); // its raw line and its journal line
    const stream = await LocalDeliveryStream.open({ lakeDir: lake, warehouse: wh, transform: testTransform("v1"), bufferIntervalMs: 60_000 });
    await stream.close();
    const back = await wh.query<{ id: string }>(`SELECT id FROM scored_posts WHERE id IN ('${posts[7]!.id}', '${posts[8]!.id}')`);
    expect(back.map((r) => r.id)).toEqual([posts[8]!.id]);
  });

  it("deleting again is a no-op", async () => {
    const target = localDeletionTarget({ lakeDir: lake, warehouse: wh });
    await target.deletePosts([posts[1]!.id]);
    expect(await target.deletePosts([posts[1]!.id])).toEqual({ removedRows: 0, removedRawRecords: 0 });
  });

  it("removes every post of an author", async () => {
    const author = posts.find((p) => p.author_id !== posts[0]!.author_id)!.author_id;
    const theirs = posts.filter((p) => p.author_id === author).length;
    const counts = await localDeletionTarget({ lakeDir: lake, warehouse: wh }).deleteAuthorPosts([author]);
    expect(counts).toEqual({ removedRows: theirs, removedRawRecords: theirs });
    expect(await wh.count()).toBe(600 - theirs);
    expect(lines("raw/").some((l) => l.includes(`"author_id":"${author}"`))).toBe(false);
  });
});

describe("heldPostIds", { timeout: 20_000 }, () => {
  it("lists exactly the ids created in the window, including ones held only in raw", async () => {
    const window = { start: "2026-11-18T00:00:00.000Z", end: "2026-11-19T23:59:59.999Z" };
    const expected = posts.filter((p) => p.created_at >= window.start && p.created_at <= window.end).map((p) => p.id);
    if (posts[0]!.created_at >= window.start && posts[0]!.created_at <= window.end) expected.push(INVALID);
    const held = await heldPostIds({ warehouse: wh, lakeDir: lake, window });
    expect(held.sort()).toEqual(expected.sort());
    expect(held.length).toBeGreaterThan(100);
  });
});

describe("rescoreLake", { timeout: 30_000 }, () => {
  it("stamps every row with the new version, keeps the counts and changes the answers", async () => {
    const before = await wh.ask("sentimentShare");
    const progress: RescoreProgress[] = [];
    const r = await rescoreLake({ lakeDir: lake, warehouse: wh, transform: testTransform("v2", true), runId: "v2", onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ status: "complete", records: 603, rows: 600, failed: 3, filesSkipped: 0 });
    expect(await wh.count()).toBe(600);
    expect(await wh.query("SELECT DISTINCT scorer_version AS v FROM scored_posts")).toEqual([{ v: "v2" }]);
    expect(before.map((b) => b.sentiment_label).sort()).toEqual(["negative", "neutral", "positive"]);
    const after = await wh.ask<{ sentiment_label: string; posts: number }>("sentimentShare");
    expect(after.map((a) => [a.sentiment_label, a.posts])).toEqual([["negative", 400], ["neutral", 200]]);
    expect(progress.at(-1)).toMatchObject({ filesDone: r.filesTotal, filesTotal: r.filesTotal, rows: 600 });
  });

  it("resumes an interrupted run without replaying any object twice, to the same result", async () => {
    const files = listLakeObjects(lake, "raw/").length;
    expect(files).toBeGreaterThan(4);
    const seen: string[] = [];
    const stop = new AbortController();
    const first = await rescoreLake({ lakeDir: lake, warehouse: wh, transform: testTransform("v2", true, seen), runId: "v2", signal: stop.signal, onProgress: (p) => p.filesDone === 3 && stop.abort() });
    expect(first).toMatchObject({ status: "aborted", filesProcessed: 3 });
    const second = await rescoreLake({ lakeDir: lake, warehouse: wh, transform: testTransform("v2", true, seen), runId: "v2" });
    expect(second).toMatchObject({ status: "complete", filesSkipped: 3, filesProcessed: files - 3 });
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(await wh.count()).toBe(600);
    expect(await wh.query("SELECT DISTINCT scorer_version AS v FROM scored_posts")).toEqual([{ v: "v2" }]);
  });

  it("a second complete run changes no answer", async () => {
    await rescoreLake({ lakeDir: lake, warehouse: wh, transform: testTransform("v2", true), runId: "v2" });
    const once = { share: await wh.ask("sentimentShare"), n: await wh.count() };
    const again = await rescoreLake({ lakeDir: lake, warehouse: wh, transform: testTransform("v2", true), runId: "v2" });
    expect(again.filesSkipped).toBe(0);
    expect({ share: await wh.ask("sentimentShare"), n: await wh.count() }).toEqual(once);
  });

  it("reports records the transformation fails by object and line, and upserts the rest", async () => {
    const r = await rescoreLake({ lakeDir: lake, warehouse: wh, transform: testTransform("v2"), runId: "v2" });
    expect(r.failed).toBe(3);
    expect(r.failures.find((f) => f.line > 0)).toMatchObject({ object: expect.stringMatching(/^raw\/dt=/), line: expect.any(Number), reason: "Lambda.ProcessingFailed: ProcessingFailed" });
    expect(r.rows).toBe(600);
  });
});
