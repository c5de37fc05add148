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
import type { XMatchingRule, XStreamLine, XTweet, XUser } from "../x-api.ts";
import { compilePhrase, fillPhrase } from "./phrase.ts";
import { LOCATIONS, PROTOCOLS, TOKENS, PHRASES, HASHTAGS, OPENERS, DOMAINS, FIRST, LAST } from "./vocabulary.ts";

const MULBERRY32_STEP = 0x6d2b79f5;

/** mulberry32's output once its state has stepped to `a`. */
function mulberry32(a: number): number {
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => mulberry32((a = (a + MULBERRY32_STEP) >>> 0));
}

/** Fills out[from..] with the draws that follow state `a`; returns the state after them. */
function fillDraws(out: Float64Array, from: number, a: number): number {
  for (let i = from; i < out.length; i++) out[i] = mulberry32((a = (a + MULBERRY32_STEP) >>> 0));
  return a;
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

/** The element a uniform draw u in [0, 1) lands on. */
const pick = <T>(xs: readonly T[], u: number): T => xs[Math.floor(u * xs.length)] as T;

/** Box-Muller from two draws, u1 first. */
function normal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
}

/** A made-up author, metrics in the same object: posts pick authors at random, one object to reach. */
interface Author {
  id: string;
  username: string;
  name: string;
  location: string;
  verified: boolean;
  followers: number;
  following: number;
  tweets: number;
  listed: number;
}

function makeAuthors(r: () => number, n: number): Author[] {
  const authors: Author[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST, r());
    const last = pick(LAST, r());
    const style = r();
    const username =
      style < 0.3 ? `${first}${last}${i}` : style < 0.6 ? `${first}_${pick(TOKENS, r()).toLowerCase()}${i}` : `${last}defi${i}`;
    const followers = Math.round(Math.exp(5.5 + 2.2 * normal(r(), r())));
    authors.push({
      id: syntheticId(15, i),
      username,
      name: style < 0.5 ? `${first[0]!.toUpperCase()}${first.slice(1)} ${last}` : `${first} | ${pick(PROTOCOLS, r())} maxi`,
      location: pick(LOCATIONS, r()),
      verified: r() < 0.03,
      followers,
      following: Math.round(Math.exp(5 + normal(r(), r()))),
      tweets: Math.round(Math.exp(7 + 1.5 * normal(r(), r()))),
      listed: Math.round(followers / (50 + 100 * r())),
    });
  }
  return authors;
}

// "1" / "15" followed by the zeros that pad a number of each length to 18 / 17 digits (padStart is slow).
const POST_ID_HEADS = Array.from({ length: 19 }, (_, len) => `1${"0".repeat(18 - len)}`);
const AUTHOR_ID_HEADS = Array.from({ length: 18 }, (_, len) => `15${"0".repeat(17 - len)}`);

/** `String(base * 10^18 + n)` for 0 ≤ n < 10^18, without BigInt (ids are made per post). */
function syntheticId(base: 1 | 15, n: number): string {
  const digits = String(n);
  const heads = base === 1 ? POST_ID_HEADS : AUTHOR_ID_HEADS;
  return (digits.length < heads.length ? heads[digits.length]! : String(base)) + digits;
}

/** Zipf-like index in [0, n) from a draw u: author 0 posts most. */
function zipf(u: number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.pow(n + 1, u) - 1));
}

function mood(u: number): "positive" | "neutral" | "negative" {
  return u < 0.38 ? "positive" : u < 0.7 ? "neutral" : "negative";
}

const PHRASE_TEMPLATES = {
  positive: PHRASES.positive.map(compilePhrase),
  neutral: PHRASES.neutral.map(compilePhrase),
  negative: PHRASES.negative.map(compilePhrase),
};
const CASHTAGS = TOKENS.map((t) => `$${t}`);
const URL_HEADS = DOMAINS.map((d) => `https://${d}/p/`);
/** The most draws one post takes besides one per rule: 15 always, 1 for a reply, 6 metrics. */
const DRAWS_PER_POST = 22;
const DRAW_BLOCK = 4096;

/**
 * Yields `count` stream lines. Authors' follower counts drift a little over time, so "latest
 * follower count" differs from max or first.
 */
export function* generateStreamLines(count: number, options: GeneratorOptions = {}): Generator<XStreamLine> {
  let state = (options.seed ?? 42) >>> 0;
  const r = () => mulberry32((state = (state + MULBERRY32_STEP) >>> 0));
  const authors = makeAuthors(r, options.authors ?? Math.max(10, Math.min(50_000, Math.ceil(count / 20))));
  const days = options.days ?? 7;
  const end = (options.end ?? new Date("2026-11-20T00:00:00Z")).getTime();
  const span = days * 86_400_000;
  const rules = options.rules ?? DEFAULT_SYNTHETIC_RULES;
  const hits: XMatchingRule[] = [];
  // The same sequence as r(), read from a block: r() was a call per draw (V8 does not inline it
  // here) returning a boxed double, ~25 per post.
  const maxDraws = DRAWS_PER_POST + rules.length;
  const draws = new Float64Array(Math.max(DRAW_BLOCK, 2 * maxDraws));
  let k = draws.length;
  for (let n = 0; n < count; n++) {
    if (k > draws.length - maxDraws) {
      draws.copyWithin(0, k);
      state = fillDraws(draws, draws.length - k, state);
      k = 0;
    }
    const firstDraw = k;
    const author = authors[zipf(draws[k++]!, authors.length)]!;
    author.followers = Math.max(0, author.followers + Math.round((draws[k++]! - 0.45) * 3));
    const createdMs = end - span + Math.floor((n / count) * span) + Math.floor(draws[k++]! * 60_000);
    const protocol = pick(PROTOCOLS, draws[k++]!);
    const tokenAt = Math.floor(draws[k++]! * TOKENS.length);
    const feel = mood(draws[k++]!);
    const tag1 = pick(HASHTAGS, draws[k++]!);
    const phrase = pick(PHRASE_TEMPLATES[feel], draws[k++]!);
    const opener = pick(OPENERS, draws[k++]!);
    const body = fillPhrase(phrase, protocol, CASHTAGS[tokenAt]!);
    let text = opener && body ? `${opener} ${body}` : opener || body;
    const withTag = draws[k++]! < 0.6;
    if (withTag) text = text ? `${text} #${tag1}` : `#${tag1}`;
    const withUrl = draws[k++]! < 0.25;
    const urlHead = pick(URL_HEADS, draws[k++]!);
    const shortUrl = withUrl ? `https://t.co/${n.toString(36)}` : "";
    if (withUrl) text = text ? `${text} ${shortUrl}` : shortUrl;
    const id = syntheticId(1, n);
    const popular = Math.exp(normal(draws[k++]!, draws[k++]!) * 1.5) * Math.log10(10 + author.followers);
    const isReply = draws[k++]! < 0.15;
    let h = 0;
    for (let i = 0; i < rules.length; i++) if (i === n % rules.length || draws[k++]! < 0.2) hits[h++] = rules[i]!;
    const repliedTo = isReply ? syntheticId(1, Math.floor(draws[k++]! * (n + 1))) : "";
    const publicMetrics = {
      retweet_count: Math.floor(popular * draws[k++]!),
      reply_count: Math.floor(popular * draws[k++]! * 0.5),
      like_count: Math.floor(popular * 3 * draws[k++]!),
      quote_count: Math.floor(popular * draws[k++]! * 0.2),
      bookmark_count: Math.floor(popular * draws[k++]! * 0.3),
      impression_count: Math.floor(popular * 100 * (1 + draws[k++]!)),
    };
    const entities: NonNullable<XTweet["entities"]> = {};
    if (phrase.hasCashtag) entities.cashtags = [{ tag: TOKENS[tokenAt]! }];
    if (withTag) entities.hashtags = [{ tag: tag1 }];
    if (withUrl) entities.urls = [{ url: shortUrl, expanded_url: urlHead + n }];
    // Past the block a read is undefined, not an error: stop before writing wrong posts.
    if (k - firstDraw > maxDraws) throw new Error(`synthetic generator: post ${n} took ${k - firstDraw} draws, more than the ${maxDraws} DRAWS_PER_POST keeps`);
    const authorId = author.id;
    const createdAt = isoOfMs(createdMs);
    // One literal per shape (key order as X sends it) rather than properties added one by one.
    const data: XTweet = isReply
      ? {
          id,
          text,
          author_id: authorId,
          created_at: createdAt,
          lang: "en",
          conversation_id: id,
          edit_history_tweet_ids: [id],
          referenced_tweets: [{ type: "replied_to", id: repliedTo }],
          public_metrics: publicMetrics,
          entities,
        }
      : {
          id,
          text,
          author_id: authorId,
          created_at: createdAt,
          lang: "en",
          conversation_id: id,
          edit_history_tweet_ids: [id],
          public_metrics: publicMetrics,
          entities,
        };
    const user: XUser = {
      id: authorId,
      username: author.username,
      name: author.name,
      location: author.location,
      verified: author.verified,
      public_metrics: {
        followers_count: author.followers,
        following_count: author.following,
        tweet_count: author.tweets,
        listed_count: author.listed,
      },
    };
    yield { data, includes: { users: [user] }, matching_rules: h ? hits.slice(0, h) : [rules[0]!] };
  }
}
