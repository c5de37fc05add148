import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  PostSchema,
  XSearchPageSchema,
  XStreamLineSchema,
  decodeNdjson,
  parseJsonSafe,
  postFromStreamLine,
  postsFromSearchPage,
} from "../src/index.ts";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");
const at = new Date("2026-11-18T16:00:00.000Z");

describe("filtered stream lines", () => {
  const lines = [...decodeNdjson(fixture("stream-lines.jsonl"), "stream-lines.jsonl")];

  it("keeps rule ids above 2^53 exact", () => {
    const first = lines[0]!;
    expect(first.ok).toBe(true);
    const line = XStreamLineSchema.parse(first.ok && first.value);
    expect(line.matching_rules?.[0]?.id).toBe("1860123456789012345678");
    // plain JSON.parse would have rounded it
    expect(String(JSON.parse('{"id":1860123456789012345678}').id)).not.toBe("1860123456789012345678");
  });

  it("reports the truncated line with its number and still yields its neighbours", () => {
    expect(lines.map((l) => l.ok)).toEqual([true, true, false]);
    const bad = lines[2]!;
    expect(!bad.ok && bad.error.message).toMatch(/^stream-lines\.jsonl:3: invalid JSON/);
  });

  it("normalises a post with its author, entities, metrics and rules", () => {
    const line = XStreamLineSchema.parse((lines[0] as { value: unknown }).value);
    const post = postFromStreamLine(line, "stream", at);
    expect(PostSchema.parse(post)).toEqual(post);
    expect(post).toMatchObject({
      id: "1860000000000000001",
      author_username: "fixture_author",
      author_location: "Lisbon, Portugal",
      author_followers_count: 5120,
      cashtags: ["AAVE"],
      hashtags: ["DeFi"],
      mentions: ["aave"],
      urls: ["https://app.aave.com/markets"],
      referenced_posts: [{ type: "quoted", id: "1859999999999999999" }],
      like_count: 12,
      impression_count: 900,
      rule_ids: ["1860123456789012345678"],
      rule_tags: ["defi-protocols"],
      source: "stream",
      collected_at: at.toISOString(),
    });
  });

  it("keeps edit history and treats a missing location as null", () => {
    const line = XStreamLineSchema.parse((lines[1] as { value: unknown }).value);
    const post = postFromStreamLine(line, "stream", at);
    expect(post.edit_history_tweet_ids).toEqual(["1860000000000000000", "1860000000000000002"]);
    expect(post.author_location).toBeNull();
    expect(post.rule_ids).toEqual(["1860123456789012345679", "1860123456789012345678"]);
  });

  it("rejects a line whose id is not an id, naming the field", () => {
    const res = XStreamLineSchema.safeParse({ data: { id: "12ab", text: "x" } });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.path).toEqual(["data", "id"]);
  });
});

describe("recent search pages", () => {
  it("normalises every tweet it can and reports the one it cannot, by index", () => {
    const page = XSearchPageSchema.parse(parseJsonSafe(fixture("search-page.json")));
    const { posts, errors } = postsFromSearchPage(page, "search", at, "backfill");
    expect(posts.map((p) => [p.id, p.author_location, p.rule_tags])).toEqual([["1859000000000000001", "🇳🇬", ["backfill"]]]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^data\[1\]\.author_id: author_id missing/)]);
    expect(page.meta?.next_token).toMatch(/^b26v/);
  });
});
