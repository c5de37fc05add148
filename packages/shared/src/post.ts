/**
 * The normalised Post: what the collector delivers (one Firehose record each) and what the raw
 * lake holds. Flat, author embedded, every id a string.
 */
import { z } from "zod";
import { canonicalIso, isoOf } from "./iso-time.ts";
import {
  XIdSchema,
  type XIncludes,
  type XMatchingRule,
  type XSearchPage,
  type XStreamLine,
  type XTweet,
  type XUser,
} from "./x-api.ts";

export const POST_SOURCES = ["stream", "search", "replay", "generator"] as const;
export type PostSource = (typeof POST_SOURCES)[number];

const count = z.number().int().nonnegative();
const isoTime = z.iso.datetime({ offset: true });

export const PostSchema = z.object({
  id: XIdSchema,
  text: z.string(),
  created_at: isoTime,
  lang: z.string().nullable(),
  conversation_id: XIdSchema.nullable(),
  edit_history_tweet_ids: z.array(XIdSchema),
  referenced_posts: z.array(z.object({ type: z.enum(["retweeted", "quoted", "replied_to"]), id: XIdSchema })),
  author_id: XIdSchema,
  author_username: z.string().nullable(),
  author_name: z.string().nullable(),
  author_location: z.string().nullable(),
  author_verified: z.boolean().nullable(),
  author_followers_count: count.nullable(),
  author_following_count: count.nullable(),
  author_tweet_count: count.nullable(),
  author_listed_count: count.nullable(),
  like_count: count,
  retweet_count: count,
  reply_count: count,
  quote_count: count,
  bookmark_count: count.nullable(),
  impression_count: count.nullable(),
  hashtags: z.array(z.string()),
  cashtags: z.array(z.string()),
  mentions: z.array(z.string()),
  urls: z.array(z.string()),
  rule_ids: z.array(z.string()),
  rule_tags: z.array(z.string()),
  source: z.enum(POST_SOURCES),
  collected_at: isoTime,
});
export type Post = z.infer<typeof PostSchema>;

/** Raised when an X payload cannot become a Post; `path` says where in the payload. */
export class PostNormalisationError extends Error {
  override name = "PostNormalisationError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const tags = (list: { tag: string }[] | undefined) => (list ?? []).map((t) => t.tag);

function ruleTagsOf(rules: XMatchingRule[] | undefined): string[] {
  const out: string[] = [];
  for (const r of rules ?? []) if (r.tag) out.push(r.tag);
  return out;
}

/** Normalises one X tweet with its includes. Long posts use `note_tweet` text and entities. */
export function postFromX(
  tweet: XTweet,
  includes: XIncludes | undefined,
  matchingRules: XMatchingRule[] | undefined,
  source: PostSource,
  collectedAt: Date,
  path = "data",
): Post {
  if (!tweet.author_id) throw new PostNormalisationError("author_id missing (request expansions=author_id)", `${path}.author_id`);
  if (!tweet.created_at) throw new PostNormalisationError("created_at missing (request tweet.fields=created_at)", `${path}.created_at`);
  const author: XUser | undefined = includes?.users?.find((u) => u.id === tweet.author_id);
  const m = tweet.public_metrics;
  const um = author?.public_metrics;
  const note = tweet.note_tweet;
  const location = author?.location?.trim();
  const entities = note?.entities ?? tweet.entities;
  return {
    id: tweet.id,
    text: note?.text ?? tweet.text,
    created_at: canonicalIso(tweet.created_at),
    lang: tweet.lang ?? null,
    conversation_id: tweet.conversation_id ?? null,
    edit_history_tweet_ids: tweet.edit_history_tweet_ids ?? [tweet.id],
    referenced_posts: (tweet.referenced_tweets ?? []).map((r) => ({ type: r.type, id: r.id })),
    author_id: tweet.author_id,
    author_username: author?.username ?? null,
    author_name: author?.name ?? null,
    author_location: location ? location : null,
    author_verified: author ? (author.verified ?? (author.verified_type ? author.verified_type !== "none" : null)) : null,
    author_followers_count: um?.followers_count ?? null,
    author_following_count: um?.following_count ?? null,
    author_tweet_count: um?.tweet_count ?? null,
    author_listed_count: um?.listed_count ?? null,
    like_count: m?.like_count ?? 0,
    retweet_count: m?.retweet_count ?? 0,
    reply_count: m?.reply_count ?? 0,
    quote_count: m?.quote_count ?? 0,
    bookmark_count: m?.bookmark_count ?? null,
    impression_count: m?.impression_count ?? null,
    // fields written out, not spread: one object built in one shape, per post of millions
    hashtags: tags(entities?.hashtags),
    cashtags: tags(entities?.cashtags),
    mentions: (entities?.mentions ?? []).map((m) => m.username),
    urls: (entities?.urls ?? []).map((u) => u.expanded_url ?? u.url),
    rule_ids: (matchingRules ?? []).map((r) => String(r.id)),
    rule_tags: ruleTagsOf(matchingRules),
    source,
    collected_at: isoOf(collectedAt),
  };
}

export function postFromStreamLine(line: XStreamLine, source: PostSource, collectedAt: Date): Post {
  return postFromX(line.data, line.includes, line.matching_rules, source, collectedAt);
}

/** Every tweet of a search page becomes a Post; a tweet that cannot is reported, not thrown. */
export function postsFromSearchPage(
  page: XSearchPage,
  source: PostSource,
  collectedAt: Date,
  ruleTag?: string,
): { posts: Post[]; errors: PostNormalisationError[] } {
  const posts: Post[] = [];
  const errors: PostNormalisationError[] = [];
  (page.data ?? []).forEach((tweet, i) => {
    try {
      const post = postFromX(tweet, page.includes, undefined, source, collectedAt, `data[${i}]`);
      posts.push(ruleTag ? { ...post, rule_tags: [ruleTag] } : post);
    } catch (err) {
      if (err instanceof PostNormalisationError) errors.push(err);
      else throw err;
    }
  });
  return { posts, errors };
}
