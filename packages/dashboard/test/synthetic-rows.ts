/**
 * Test rows for the dashboard: the shared generator's posts, turned into ScoredPost rows with a
 * small deterministic labelling (no scorer dependency), plus hostile rows for the XSS probe.
 * Everything is synthetic.
 */
import { generateStreamLines, postFromStreamLine, type ScoredPost, type SentimentLabel } from "@defi-sentiment/shared";

const NEGATIVE = /exploit|rekt|depeg|rug|terrible|insane|bleeding|hack|avoid|sold all|not bullish/i;
const POSITIVE = /bullish|loving|strong|thank|best|moon|respect|excellent|great/i;
const PROTOCOLS = ["Uniswap", "Aave", "Curve", "Lido", "MakerDAO", "Pendle", "EigenLayer", "GMX", "Morpho", "Ethena", "Hyperliquid"];
const COUNTRIES: Record<string, string> = {
  "New York, NY": "US", NYC: "US", "San Francisco, CA": "US", SF: "US", London: "GB", "London, England": "GB", UK: "GB",
  "Berlin, Germany": "DE", Deutschland: "DE", "Paris, France": "FR", "Lagos, Nigeria": "NG", Nigeria: "NG", Singapore: "SG",
  "Toronto, Canada": "CA", Canada: "CA", India: "IN", "Bangalore, India": "IN", Mumbai: "IN", "Austin, TX": "US", Texas: "US",
};

export function labelOf(text: string): { label: SentimentLabel; score: number } {
  if (NEGATIVE.test(text)) return { label: "negative", score: -0.6 };
  if (POSITIVE.test(text)) return { label: "positive", score: 0.55 };
  return { label: "neutral", score: 0 };
}

export interface RowOptions {
  seed?: number;
  days?: number;
  end?: Date;
  /** Added to every `collected_at`, so a later batch replaces or follows an earlier one. */
  collectedAt?: Date;
  /** First id offset, so batches do not collide. */
  idOffset?: bigint;
}

export function syntheticRows(count: number, o: RowOptions = {}): ScoredPost[] {
  const collected = o.collectedAt ?? new Date("2026-11-20T00:05:00Z");
  const rows: ScoredPost[] = [];
  for (const line of generateStreamLines(count, { seed: o.seed ?? 7, days: o.days ?? 5, end: o.end })) {
    const post = postFromStreamLine(line, "generator", collected);
    const { label, score } = labelOf(post.text);
    const engagement = post.like_count + post.retweet_count + post.reply_count + post.quote_count;
    const id = o.idOffset ? String(BigInt(post.id) + o.idOffset) : post.id;
    rows.push({
      id,
      text: post.text,
      created_at: post.created_at,
      dt: post.created_at.slice(0, 10),
      lang: post.lang,
      conversation_id: post.conversation_id,
      is_retweet: false,
      is_reply: post.referenced_posts.some((r) => r.type === "replied_to"),
      is_quote: false,
      author_id: post.author_id,
      author_username: post.author_username,
      author_name: post.author_name,
      author_location: post.author_location,
      author_country: post.author_location ? (COUNTRIES[post.author_location] ?? null) : null,
      author_verified: post.author_verified,
      author_followers_count: post.author_followers_count,
      like_count: post.like_count,
      retweet_count: post.retweet_count,
      reply_count: post.reply_count,
      quote_count: post.quote_count,
      engagement,
      sentiment_label: label,
      sentiment_score: score,
      scorer_version: "dashboard-test",
      cashtags: post.cashtags,
      hashtags: post.hashtags,
      mentions: post.mentions,
      protocols: PROTOCOLS.filter((p) => post.text.includes(p)),
      domains: [],
      rule_ids: post.rule_ids,
      rule_tags: post.rule_tags,
      source: "generator",
      collected_at: collected.toISOString(),
      scored_at: collected.toISOString(),
    });
  }
  return rows;
}

export const XSS_TEXT = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> rug pull`;
export const XSS_USERNAME = `<img src=x onerror=alert(1)>`;
export const XSS_LOCATION = `<script>alert("loc")</script>`;

/** Hostile posts: markup in the text, the username, the location and a hashtag; very engaging, so they show. */
export function hostileRows(base: ScoredPost): ScoredPost[] {
  return [0, 1, 2].map((i) => ({
    ...base,
    id: String(1_900_000_000_000_000_000n + BigInt(i)),
    text: XSS_TEXT,
    author_id: "1999999999999999999",
    author_username: XSS_USERNAME,
    author_name: XSS_USERNAME,
    author_location: XSS_LOCATION,
    author_country: null,
    author_followers_count: 99_000_000,
    engagement: 5_000_000 + i,
    like_count: 5_000_000 + i,
    sentiment_label: (["positive", "neutral", "negative"] as const)[i]!,
    hashtags: ["<img src=x onerror=alert(2)>"],
    cashtags: ["<b>PWN</b>"],
  }));
}
