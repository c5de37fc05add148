/**
 * A deterministic, seeded generator of realistic X API v2 filtered-stream payloads about DeFi.
 * SYNTHETIC: every post, author and id is made up (ids start at 1e18 + n so they never collide
 * with real posts). Same seed, same sequence, on any machine.
 *
 * Realism where it matters for the pipeline: DeFi vocabulary, cashtags and hashtags, a mix of
 * positive / neutral / negative posts, heavy-tailed authorship (few authors post a lot, Zipf),
 * log-normal follower counts, messy free-text locations, timestamps spread over days.
 */
import { isoOfMs } from "../iso-time.ts";
import type { XStreamLine, XUser } from "../x-api.ts";
import { LOCATIONS, PROTOCOLS, TOKENS, PHRASES, HASHTAGS, OPENERS, DOMAINS, FIRST, LAST } from "./vocabulary.ts";

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  seed?: number;
  /** Number of distinct authors. */
  authors?: number;
  /** Posts are spread over this many days ending at `end`. */
  days?: number;
  end?: Date;
  /** Rules the posts match, as the stream reports them (ids as strings). */
  rules?: { id: string; tag: string }[];
}

export const DEFAULT_SYNTHETIC_RULES = [
  { id: "1900000000000000001", tag: "defi-protocols" },
  { id: "1900000000000000002", tag: "defi-tokens" },
  { id: "1900000000000000003", tag: "defi-topics" },
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function normal(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function makeAuthors(r: () => number, n: number): XUser[] {
  const users: XUser[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const style = r();
    const username =
      style < 0.3 ? `${first}${last}${i}` : style < 0.6 ? `${first}_${pick(r, TOKENS).toLowerCase()}${i}` : `${last}defi${i}`;
    const followers = Math.round(Math.exp(5.5 + 2.2 * normal(r)));
    users.push({
      id: syntheticId(15, i),
      username,
      name: style < 0.5 ? `${first[0]!.toUpperCase()}${first.slice(1)} ${last}` : `${first} | ${pick(r, PROTOCOLS)} maxi`,
      location: pick(r, LOCATIONS),
      verified: r() < 0.03,
      public_metrics: {
        followers_count: followers,
        following_count: Math.round(Math.exp(5 + normal(r))),
        tweet_count: Math.round(Math.exp(7 + 1.5 * normal(r))),
        listed_count: Math.round(followers / (50 + 100 * r())),
      },
    });
  }
  return users;
}

/** `String(base * 10^18 + n)` for 0 ≤ n < 10^18, without BigInt (ids are made per post). */
const syntheticId = (base: 1 | 15, n: number): string => `${base === 1 ? "1" : "15"}${String(n).padStart(base === 1 ? 18 : 17, "0")}`;

/** Zipf-like index in [0, n): author 0 posts most. */
function zipf(r: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.pow(n + 1, r()) - 1));
}

function mood(r: () => number): "positive" | "neutral" | "negative" {
  const x = r();
  return x < 0.38 ? "positive" : x < 0.7 ? "neutral" : "negative";
}

/**
 * Yields `count` stream lines. Authors' follower counts drift a little over time, so "latest
 * follower count" differs from max or first.
 */
export function* generateStreamLines(count: number, options: GeneratorOptions = {}): Generator<XStreamLine> {
  const r = seededRandom(options.seed ?? 42);
  const authors = makeAuthors(r, options.authors ?? Math.max(10, Math.min(50_000, Math.ceil(count / 20))));
  const days = options.days ?? 7;
  const end = (options.end ?? new Date("2026-11-20T00:00:00Z")).getTime();
  const span = days * 86_400_000;
  const rules = options.rules ?? DEFAULT_SYNTHETIC_RULES;
  for (let n = 0; n < count; n++) {
    const author = authors[zipf(r, authors.length)]!;
    const m = author.public_metrics!;
    m.followers_count = Math.max(0, m.followers_count + Math.round((r() - 0.45) * 3));
    const createdMs = end - span + Math.floor((n / count) * span) + Math.floor(r() * 60_000);
    const protocol = pick(r, PROTOCOLS);
    const token = pick(r, TOKENS);
    const feel = mood(r);
    const tag1 = pick(r, HASHTAGS);
    const phrase = pick(r, PHRASES[feel]);
    const hasCashtag = phrase.includes("{t}");
    const opener = pick(r, OPENERS);
    const body = phrase.replace("{p}", protocol).replace("{t}", `$${token}`);
    let text = opener && body ? `${opener} ${body}` : opener || body;
    const withTag = r() < 0.6;
    if (withTag) text = text ? `${text} #${tag1}` : `#${tag1}`;
    const withUrl = r() < 0.25;
    const domain = pick(r, DOMAINS);
    const shortUrl = withUrl ? `https://t.co/${n.toString(36)}` : "";
    if (withUrl) text = text ? `${text} ${shortUrl}` : shortUrl;
    const id = syntheticId(1, n);
    const popular = Math.exp(normal(r) * 1.5) * Math.log10(10 + m.followers_count);
    const isReply = r() < 0.15;
    const matched: { id: string; tag: string }[] = [];
    for (let i = 0; i < rules.length; i++) if (i === n % rules.length || r() < 0.2) matched.push(rules[i]!);
    const tweet: XStreamLine["data"] = {
      id,
      text,
      author_id: author.id,
      created_at: isoOfMs(createdMs),
      lang: "en",
      conversation_id: id,
      edit_history_tweet_ids: [id],
    };
    if (isReply) tweet.referenced_tweets = [{ type: "replied_to", id: syntheticId(1, Math.floor(r() * (n + 1))) }];
    tweet.public_metrics = {
      retweet_count: Math.floor(popular * r()),
      reply_count: Math.floor(popular * r() * 0.5),
      like_count: Math.floor(popular * 3 * r()),
      quote_count: Math.floor(popular * r() * 0.2),
      bookmark_count: Math.floor(popular * r() * 0.3),
      impression_count: Math.floor(popular * 100 * (1 + r())),
    };
    const entities: NonNullable<XStreamLine["data"]["entities"]> = {};
    if (hasCashtag) entities.cashtags = [{ tag: token }];
    if (withTag) entities.hashtags = [{ tag: tag1 }];
    if (withUrl) entities.urls = [{ url: shortUrl, expanded_url: `https://${domain}/p/${n}` }];
    tweet.entities = entities;
    yield {
      data: tweet,
      includes: { users: [{ id: author.id, username: author.username, name: author.name, location: author.location, verified: author.verified, public_metrics: { ...m } }] },
      matching_rules: matched.length ? matched : [rules[0]!],
    };
  }
}
