import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SCORED_POST_COLUMNS } from "@defi-sentiment/shared";
import { Warehouse } from "./warehouse.ts";
import { knownDataset, row } from "../test/fixtures.ts";

const open: Warehouse[] = [];
async function fresh(): Promise<Warehouse> {
  const wh = await Warehouse.open(":memory:");
  open.push(wh);
  return wh;
}
afterEach(() => open.splice(0).forEach((w) => w.close()));

describe("warehouse answers the three questions", () => {
  it("gives sentiment shares that add up to the posts", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    const share = await wh.ask("sentimentShare");
    expect(share).toEqual([
      { sentiment_label: "positive", posts: 3, share: 0.5 },
      { sentiment_label: "negative", posts: 2, share: 0.3333 },
      { sentiment_label: "neutral", posts: 1, share: 0.1667 },
    ]);
  });

  it("tracks sentiment by day", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    const daily = await wh.ask("sentimentDaily");
    expect(daily.map((d) => [d.day, d.posts, d.positive, d.neutral, d.negative])).toEqual([
      ["2026-11-18", 3, 1, 0, 2],
      ["2026-11-19", 3, 2, 1, 0],
    ]);
  });

  it("ranks influencers by posts, by latest follower count and by engagement", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    const names = async (k: "influencersByPosts" | "influencersByFollowers" | "influencersByEngagement") =>
      (await wh.ask(k)).map((r) => [r.username, k === "influencersByPosts" ? r.posts : k === "influencersByFollowers" ? r.followers : r.engagement]);
    expect(await names("influencersByPosts")).toEqual([["alice", 3], ["bob", 2], ["carol", 1]]);
    // alice's latest post (by collected_at) reports 150 followers, not her earlier 100.
    expect(await names("influencersByFollowers")).toEqual([["bob", 5000], ["carol", 900], ["alice", 150]]);
    expect(await names("influencersByEngagement")).toEqual([["bob", 51], ["alice", 12], ["carol", 7]]);
  });

  it("counts countries with the unknown share and lists unresolved locations", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    expect(await wh.ask("countries")).toEqual([
      { country: "GB", posts: 3, share: 0.5 },
      { country: "unknown", posts: 2, share: 0.3333 },
      { country: "US", posts: 1, share: 0.1667 },
    ]);
    expect(await wh.ask("unresolvedLocations")).toEqual([{ location: "Metaverse", posts: 2 }]);
    const [overview] = await wh.ask("overview");
    expect(overview).toMatchObject({ posts: 6, authors: 3, unknown_location: 2 });
  });

  it("answers over a filtered source with the same SQL", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    await wh.query("CREATE TEMP VIEW day19 AS SELECT * FROM scored_posts WHERE dt = DATE '2026-11-19'");
    const share = await wh.ask("sentimentShare", "day19");
    expect(share.map((s) => [s.sentiment_label, s.posts])).toEqual([["positive", 2], ["neutral", 1]]);
  });
});

describe("upsert by post id", () => {
  it("changes no answer when the same posts arrive twice", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    const before = await wh.ask("overview");
    await wh.upsert(knownDataset());
    await wh.upsert([...knownDataset(), ...knownDataset()]);
    expect(await wh.ask("overview")).toEqual(before);
    expect(await wh.count()).toBe(6);
  });

  it("keeps the latest version of a post, whatever the arrival order", async () => {
    const wh = await fresh();
    const old = row({ id: "7", like_count: 1, engagement: 1, collected_at: "2026-11-18T10:00:00.000Z" });
    const newer = row({ id: "7", like_count: 9, engagement: 9, collected_at: "2026-11-18T12:00:00.000Z" });
    await wh.upsert([newer]);
    await wh.upsert([old]);
    expect((await wh.query("SELECT like_count FROM scored_posts WHERE id = '7'"))[0]).toEqual({ like_count: 9 });
    await wh.upsert([old, newer, old]);
    expect(await wh.query("SELECT id, like_count FROM scored_posts")).toEqual([{ id: "7", like_count: 9 }]);
  });

  it("lands NDJSON given in pieces (a row per piece, rows cut across pieces, thousands of pieces) as it lands the text", async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => row({ id: String(100 + i), like_count: i, engagement: i }));
    const text = rows.map((r) => JSON.stringify(r) + "\n").join("");
    const whole = await fresh();
    await whole.upsertNdjson(text);
    const pieces = await fresh();
    const bytes = Buffer.from(text);
    const cuts: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 97) cuts.push(bytes.subarray(at, Math.min(at + 97, bytes.length)));
    expect(cuts.length).toBeGreaterThan(1024);
    await pieces.upsertNdjson(cuts);
    const sql = "SELECT id, like_count FROM scored_posts ORDER BY id";
    expect(await pieces.query(sql)).toEqual(await whole.query(sql));
    expect(await pieces.count()).toBe(1500);
    expect(await pieces.ask("overview")).toEqual(await whole.ask("overview"));
  });

  it("lands a batch of new and already-held posts whole, and a batch it cannot read not at all", async () => {
    const wh = await fresh();
    await wh.upsert([row({ id: "1", like_count: 1, engagement: 1, collected_at: "2026-11-18T10:00:00.000Z" })]);
    const before = await wh.ask("overview");
    await expect(wh.upsertNdjson(`${JSON.stringify(row({ id: "2" }))}\n{"id": "3", "created_at": "not a time"}\n`)).rejects.toThrow();
    expect(await wh.ask("overview")).toEqual(before);
    // id 1 is held (the plain insert fails and rolls back), ids 2 and 3 are new
    await wh.upsert([
      row({ id: "2" }),
      row({ id: "1", like_count: 5, engagement: 5, collected_at: "2026-11-18T11:00:00.000Z" }),
      row({ id: "3" }),
    ]);
    expect(await wh.query("SELECT id, like_count FROM scored_posts ORDER BY id")).toEqual([
      { id: "1", like_count: 5 },
      { id: "2", like_count: row({ id: "2" }).like_count },
      { id: "3", like_count: row({ id: "3" }).like_count },
    ]);
  });

  it("keeps a rule id above 2^53 exactly", async () => {
    const wh = await fresh();
    await wh.upsert([row({ id: "8", rule_ids: ["1387791318163456000123"] })]);
    expect((await wh.query("SELECT rule_ids FROM scored_posts"))[0]).toEqual({ rule_ids: ["1387791318163456000123"] });
  });

  it("deletes posts by id and touches nothing else", async () => {
    const wh = await fresh();
    await wh.upsert(knownDataset());
    expect(await wh.deleteIds(["101", "201", "999"])).toBe(2);
    expect((await wh.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["102", "103", "202", "301"]);
  });
});

describe("warehouse file", () => {
  it("persists across reopen and has every shared column", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wh-"));
    try {
      const file = path.join(dir, "warehouse.duckdb");
      const a = await Warehouse.open(file);
      await a.upsert(knownDataset());
      a.close();
      const b = await Warehouse.open(file, { readOnly: true });
      expect(await b.count()).toBe(6);
      const cols = await b.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'scored_posts' ORDER BY ordinal_position");
      expect(cols.map((c) => c.column_name)).toEqual(SCORED_POST_COLUMNS.map((c) => c.name));
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
