/** Small, hand-made ScoredPost rows with known answers. Synthetic. */
import type { ScoredPost } from "@defi-sentiment/shared";

let n = 0;
export function row(over: Partial<ScoredPost> = {}): ScoredPost {
  n++;
  const id = over.id ?? String(1_000_000_000_000_000_000n + BigInt(n));
  const created = over.created_at ?? "2026-11-18T10:15:00.000Z";
  return {
    id,
    text: "Aave looks strong",
    created_at: created,
    dt: created.slice(0, 10),
    lang: "en",
    conversation_id: id,
    is_retweet: false,
    is_reply: false,
    is_quote: false,
    author_id: "11",
    author_username: "alice",
    author_name: "Alice",
    author_location: "London",
    author_country: "GB",
    author_verified: false,
    author_followers_count: 100,
    like_count: 1,
    retweet_count: 0,
    reply_count: 0,
    quote_count: 0,
    engagement: 1,
    sentiment_label: "positive",
    sentiment_score: 0.5,
    scorer_version: "test-1",
    cashtags: ["AAVE"],
    hashtags: ["DeFi"],
    mentions: [],
    protocols: ["Aave"],
    domains: [],
    rule_ids: ["1900000000000000001"],
    rule_tags: ["defi-protocols"],
    source: "generator",
    collected_at: "2026-11-18T10:16:00.000Z",
    scored_at: "2026-11-18T10:16:01.000Z",
    ...over,
  };
}

/**
 * Six posts: alice 3 (GB), bob 2 (unknown location "Metaverse"), carol 1 (US).
 * Labels: 3 positive, 1 neutral, 2 negative. Two days.
 */
export function knownDataset(): ScoredPost[] {
  const alice = { author_id: "11", author_username: "alice", author_location: "London", author_country: "GB" };
  const bob = { author_id: "22", author_username: "bob", author_location: "Metaverse", author_country: null, author_followers_count: 5000 };
  const carol = { author_id: "33", author_username: "carol", author_location: "NYC", author_country: "US", author_followers_count: 900 };
  return [
    row({ id: "101", ...alice, sentiment_label: "positive", sentiment_score: 0.6, engagement: 10, like_count: 10 }),
    row({ id: "102", ...alice, sentiment_label: "positive", sentiment_score: 0.4, engagement: 0, like_count: 0, created_at: "2026-11-19T08:00:00.000Z", dt: "2026-11-19" }),
    row({ id: "103", ...alice, sentiment_label: "negative", sentiment_score: -0.5, engagement: 2, like_count: 2, author_followers_count: 150, collected_at: "2026-11-19T09:00:00.000Z" }),
    row({ id: "201", ...bob, sentiment_label: "negative", sentiment_score: -0.8, engagement: 50, like_count: 50 }),
    row({ id: "202", ...bob, sentiment_label: "neutral", sentiment_score: 0, engagement: 1, like_count: 1, created_at: "2026-11-19T11:00:00.000Z", dt: "2026-11-19" }),
    row({ id: "301", ...carol, sentiment_label: "positive", sentiment_score: 0.9, engagement: 7, like_count: 7, created_at: "2026-11-19T12:00:00.000Z", dt: "2026-11-19" }),
  ];
}
