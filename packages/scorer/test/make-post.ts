/** Builds a valid Post for tests (our own content), with overrides. */
import type { Post } from "@defi-sentiment/shared";

export function makePost(overrides: Partial<Post> = {}): Post {
  return {
    id: "1850000000000000001",
    text: "gm, $ETH looking strong today",
    created_at: "2026-11-03T23:59:58.000Z",
    lang: "en",
    conversation_id: "1850000000000000001",
    edit_history_tweet_ids: ["1850000000000000001"],
    referenced_posts: [],
    author_id: "42",
    author_username: "defi_dana",
    author_name: "Dana",
    author_location: "Lisbon, Portugal",
    author_verified: false,
    author_followers_count: 1200,
    author_following_count: 300,
    author_tweet_count: 5000,
    author_listed_count: 12,
    like_count: 10,
    retweet_count: 2,
    reply_count: 3,
    quote_count: 1,
    bookmark_count: null,
    impression_count: 900,
    hashtags: [],
    cashtags: ["ETH"],
    mentions: [],
    urls: [],
    rule_ids: ["1585000000000000000123"],
    rule_tags: ["defi-core"],
    source: "stream",
    collected_at: "2026-11-04T00:00:01.000Z",
    ...overrides,
  };
}
