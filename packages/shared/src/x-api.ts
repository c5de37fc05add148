/**
 * The X API v2 objects we consume, as the API sends them.
 *
 * Schemas are loose (`z.looseObject`) so new fields X adds never break collection; the fields the
 * pipeline needs are typed. Ids are strings in v2, except `matching_rules[].id`, which real
 * stream payloads carry as numbers above 2^53: parse stream lines with `parseJsonSafe`
 * (codecs.ts) so they arrive here as strings.
 */
import { z } from "zod";

export const XIdSchema = z.string().regex(/^\d{1,25}$/, "expected a numeric id string");
const idLike = z.union([XIdSchema, z.number().int().nonnegative().transform(String)]);
const count = z.number().int().nonnegative();

export const XEntitiesSchema = z.looseObject({
  hashtags: z.array(z.looseObject({ tag: z.string() })).optional(),
  cashtags: z.array(z.looseObject({ tag: z.string() })).optional(),
  mentions: z.array(z.looseObject({ username: z.string() })).optional(),
  urls: z
    .array(z.looseObject({ url: z.string(), expanded_url: z.string().optional(), display_url: z.string().optional() }))
    .optional(),
});
export type XEntities = z.infer<typeof XEntitiesSchema>;

export const XReferencedTweetSchema = z.looseObject({
  type: z.enum(["retweeted", "quoted", "replied_to"]),
  id: XIdSchema,
});

export const XTweetPublicMetricsSchema = z.looseObject({
  retweet_count: count,
  reply_count: count,
  like_count: count,
  quote_count: count,
  bookmark_count: count.optional(),
  impression_count: count.optional(),
});

export const XTweetSchema = z.looseObject({
  id: XIdSchema,
  text: z.string(),
  author_id: XIdSchema.optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  lang: z.string().optional(),
  conversation_id: XIdSchema.optional(),
  edit_history_tweet_ids: z.array(XIdSchema).optional(),
  referenced_tweets: z.array(XReferencedTweetSchema).optional(),
  public_metrics: XTweetPublicMetricsSchema.optional(),
  entities: XEntitiesSchema.optional(),
  note_tweet: z.looseObject({ text: z.string(), entities: XEntitiesSchema.optional() }).optional(),
});
export type XTweet = z.infer<typeof XTweetSchema>;

export const XUserPublicMetricsSchema = z.looseObject({
  followers_count: count,
  following_count: count,
  tweet_count: count,
  listed_count: count,
  like_count: count.optional(),
});

export const XUserSchema = z.looseObject({
  id: XIdSchema,
  username: z.string(),
  name: z.string(),
  location: z.string().optional(),
  verified: z.boolean().optional(),
  verified_type: z.string().optional(),
  public_metrics: XUserPublicMetricsSchema.optional(),
  created_at: z.string().optional(),
});
export type XUser = z.infer<typeof XUserSchema>;

export const XIncludesSchema = z.looseObject({
  users: z.array(XUserSchema).optional(),
  tweets: z.array(z.looseObject({ id: XIdSchema })).optional(),
});
export type XIncludes = z.infer<typeof XIncludesSchema>;

// Real stream lines carry `"tag": null` for rules created without a tag.
export const XMatchingRuleSchema = z.looseObject({ id: idLike, tag: z.string().nullish() });
export type XMatchingRule = z.infer<typeof XMatchingRuleSchema>;

export const XProblemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  type: z.string().optional(),
  value: z.unknown().optional(),
  resource_id: z.string().optional(),
});

/** One line of the filtered stream, or one tweet lookup: `{data, includes, matching_rules}`. */
export const XStreamLineSchema = z.looseObject({
  data: XTweetSchema,
  includes: XIncludesSchema.optional(),
  matching_rules: z.array(XMatchingRuleSchema).optional(),
  errors: z.array(XProblemSchema).optional(),
});
export type XStreamLine = z.infer<typeof XStreamLineSchema>;

/** A page of recent search (or any multi-tweet response). */
export const XSearchPageSchema = z.looseObject({
  data: z.array(XTweetSchema).optional(),
  includes: XIncludesSchema.optional(),
  errors: z.array(XProblemSchema).optional(),
  meta: z
    .looseObject({
      result_count: count.optional(),
      next_token: z.string().optional(),
      newest_id: XIdSchema.optional(),
      oldest_id: XIdSchema.optional(),
    })
    .optional(),
});
export type XSearchPage = z.infer<typeof XSearchPageSchema>;

/** Fields and expansions the three questions need; the collector requests exactly these. */
export const X_REQUEST_FIELDS = {
  "tweet.fields": [
    "author_id",
    "created_at",
    "lang",
    "public_metrics",
    "entities",
    "edit_history_tweet_ids",
    "referenced_tweets",
    "conversation_id",
    "note_tweet",
  ],
  expansions: ["author_id", "referenced_tweets.id"],
  "user.fields": ["username", "name", "location", "public_metrics", "verified", "verified_type", "created_at"],
} as const;
