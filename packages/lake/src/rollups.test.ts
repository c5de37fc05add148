import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { QUESTIONS, type QuestionKey, type ScoredPost } from "@defi-sentiment/shared";
import { Warehouse, type Row } from "./warehouse.ts";
import { ROLLUP_ANSWERS } from "./rollups.ts";
import { row } from "../test/fixtures.ts";

const KEYS = Object.keys(ROLLUP_ANSWERS) as QuestionKey[];

let dir: string;
let wh: Warehouse;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rollups-"));
  wh = await Warehouse.open(path.join(dir, "warehouse.duckdb"));
});
afterEach(() => {
  wh.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Averages are sums divided in a different order, so they may differ in the last rounding digit. */
function close(a: Row[], b: Row[], what: string): void {
  expect(a.length, what).toBe(b.length);
  a.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) {
      const w = b[i]![k];
      if (typeof v === "number" && typeof w === "number" && !Number.isInteger(v)) expect(Math.abs(v - w), `${what} row ${i} ${k}`).toBeLessThanOrEqual(1.01e-4);
      else expect(v, `${what} row ${i} ${k}`).toEqual(w);
    }
  });
}

async function expectRollupsMatchTable(w: Warehouse, when: string): Promise<void> {
  for (const key of KEYS) close(await w.ask(key), await w.query(QUESTIONS[key].sql()), `${key} ${when}`);
}

// seeded, bounded
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const AUTHORS = ["11", "12", "13", "14", "15", "16"];
const PLACES: [string | null, string | null][] = [["London", "GB"], ["NYC", "US"], ["Metaverse", null], [null, null], ["Web3", null], ["Lagos", "NG"]];
const LABELS = ["positive", "neutral", "negative"] as const;

function randomRow(id: string, collectedMinute: number): ScoredPost {
  const author = AUTHORS[Number(BigInt(id) % BigInt(AUTHORS.length))]!; // a post's author never changes
  const [location, country] = pick(PLACES);
  const created = `2026-11-${String(10 + Math.floor(rand() * 5)).padStart(2, "0")}T${String(Math.floor(rand() * 24)).padStart(2, "0")}:${String(Math.floor(rand() * 60)).padStart(2, "0")}:00.000Z`;
  const like = Math.floor(rand() * 50);
  // tags in mixed case and repeated within a post, as the normalising SQL must count them
  const some = (xs: string[]) => xs.filter(() => rand() < 0.4);
  return row({
    cashtags: some(["ETH", "eth", "SOL", "ETH"]),
    hashtags: some(["DeFi", "defi", "Aave"]),
    protocols: some(["Aave", "Curve", "Aave"]),
    rule_tags: some(["defi-protocols", "defi-tokens"]),
    id,
    author_id: author,
    author_username: `user${author}_${collectedMinute}`,
    author_followers_count: rand() < 0.1 ? null : Math.floor(rand() * 10_000),
    author_location: location,
    author_country: country,
    created_at: created,
    dt: created.slice(0, 10),
    like_count: like,
    engagement: like,
    sentiment_label: pick(LABELS),
    sentiment_score: Math.round((rand() * 2 - 1) * 1e6) / 1e6,
    // a batch is collected in one instant, so an author's rows tie on collected_at (the post id breaks it)
    collected_at: `2026-11-20T00:${String(collectedMinute).padStart(2, "0")}:00.${rand() < 0.5 ? "000" : "500"}Z`,
  });
}

describe("rollups", () => {
  it("answer exactly what the shared SQL answers over the table, through inserts, replacements and deletes", async () => {
    await expectRollupsMatchTable(wh, "empty");
    const ids = Array.from({ length: 120 }, (_, i) => String(2_000_000_000_000_000_000n + BigInt(i)));
    for (let round = 1; round <= 12; round++) {
      // new posts, later versions of held posts (new label, counts, followers), and stale versions that must lose
      const batch = Array.from({ length: 25 }, () => {
        const id = pick(ids);
        return randomRow(id, rand() < 0.2 ? 0 : round);
      });
      batch.push({ ...batch[0]! }); // a duplicate inside one batch
      await wh.upsert(batch);
      await expectRollupsMatchTable(wh, `after upsert ${round}`);
      // only new ids, once each: the warehouse's plain-insert path
      const fresh = Array.from({ length: 10 }, (_, i) => randomRow(String(3_000_000_000_000_000_000n + BigInt(round * 100 + i)), round));
      await wh.upsert(fresh);
      await expectRollupsMatchTable(wh, `after new posts ${round}`);
      if (round % 4 === 0) {
        await wh.deleteIds([pick(ids), pick(ids), pick(ids), "no-such-id"]);
        await expectRollupsMatchTable(wh, `after delete ${round}`);
      }
    }
    expect(await wh.count()).toBeGreaterThan(160);
  });

  it("keep the latest version's author fields and drop an author whose posts are all deleted", async () => {
    await wh.upsert([row({ id: "1", author_id: "7", author_username: "old", author_followers_count: 5, collected_at: "2026-11-20T00:01:00.000Z" })]);
    await wh.upsert([row({ id: "1", author_id: "7", author_username: "new", author_followers_count: 9, collected_at: "2026-11-20T00:02:00.000Z" })]);
    await wh.upsert([row({ id: "1", author_id: "7", author_username: "stale", author_followers_count: 1, collected_at: "2026-11-20T00:00:00.000Z" })]);
    const [top] = await wh.ask("influencersByPosts");
    expect(top).toMatchObject({ author_id: "7", username: "new", followers: 9, posts: 1 });
    await wh.deleteIds(["1"]);
    expect(await wh.ask("influencersByPosts")).toEqual([]);
    expect((await wh.ask("overview"))[0]).toMatchObject({ posts: 0, authors: 0 });
  });

  it("take an author's latest non-null username and followers from new posts, whichever batch or row holds them", async () => {
    const at = (minute: number) => `2026-11-20T00:0${minute}:00.000Z`;
    // only new ids: the bulk path, where no row carries a weight; the latest row has no username or followers
    await wh.upsert([
      row({ id: "101", author_id: "7", author_username: "early", author_followers_count: 5, collected_at: at(1), author_location: "Web3", author_country: null }),
      row({ id: "102", author_id: "7", author_username: null, author_followers_count: null, collected_at: at(2), author_location: null, author_country: null }),
      row({ id: "103", author_id: "8", author_username: "bob", author_followers_count: 3, collected_at: at(1), sentiment_label: "negative", cashtags: [], hashtags: [] }),
    ]);
    await expectRollupsMatchTable(wh, "after the first batch");
    expect((await wh.ask("influencersByPosts")).find((a) => a.author_id === "7")).toMatchObject({ username: "early", followers: 5, posts: 2 });
    // a later batch: a later row takes over the username only; an earlier row changes neither
    await wh.upsert([
      row({ id: "104", author_id: "7", author_username: "later", author_followers_count: null, collected_at: at(3) }),
      row({ id: "105", author_id: "8", author_username: "stale", author_followers_count: 99, collected_at: at(0) }),
    ]);
    await expectRollupsMatchTable(wh, "after the second batch");
    const authors = await wh.ask("influencersByPosts");
    expect(authors.find((a) => a.author_id === "7")).toMatchObject({ username: "later", followers: 5, posts: 3 });
    expect(authors.find((a) => a.author_id === "8")).toMatchObject({ username: "bob", followers: 3, posts: 2 });
    // a replacement (weighted path) whose new version has no followers, then a delete
    await wh.upsert([row({ id: "101", author_id: "7", author_username: "early2", author_followers_count: null, collected_at: at(4), sentiment_label: "neutral" })]);
    await expectRollupsMatchTable(wh, "after a replacement");
    expect((await wh.ask("influencersByPosts")).find((a) => a.author_id === "7")).toMatchObject({ username: "early2", followers: null, posts: 3, neutral: 1 });
    await wh.deleteIds(["104", "103"]);
    await expectRollupsMatchTable(wh, "after deletes");
  });

  it("are built on open for a warehouse that has none yet", async () => {
    await wh.upsert(Array.from({ length: 30 }, (_, i) => randomRow(String(3_000 + i), 1)));
    await wh.query("DROP TABLE rollup_state");
    await wh.query("DELETE FROM rollup_authors");
    wh.close();
    wh = await Warehouse.open(path.join(dir, "warehouse.duckdb"));
    expect((await wh.ask("influencersByPosts")).length).toBeGreaterThan(0);
    await expectRollupsMatchTable(wh, "after reopen");
  });
});
