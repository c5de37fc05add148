import { dtOf, isoOf, type Post, type ScoredPost } from "@defi-sentiment/shared";
import { SCORER_VERSION } from "../version.ts";
import { labelOf, normaliseValence, rawValence } from "./score-text.ts";
import { extractEntities } from "./extract-entities.ts";
import { normaliseLocation } from "./normalise-location.ts";

/** Derives every ScoredPost field from a Post. Pure; the clock comes in as `scoredAt`. */
export function scorePost(post: Post, scoredAt: Date): ScoredPost {
  // scoreText without its result object
  const score = normaliseValence(rawValence(post.text));
  const e = extractEntities(post);
  let isRetweet = false;
  let isReply = false;
  let isQuote = false;
  for (const r of post.referenced_posts) {
    if (r.type === "retweeted") isRetweet = true;
    else if (r.type === "replied_to") isReply = true;
    else if (r.type === "quoted") isQuote = true;
  }
  return {
    id: post.id,
    text: post.text,
    created_at: post.created_at,
    dt: dtOf(post.created_at),
    lang: post.lang,
    conversation_id: post.conversation_id,
    is_retweet: isRetweet,
    is_reply: isReply,
    is_quote: isQuote,
    author_id: post.author_id,
    author_username: post.author_username,
    author_name: post.author_name,
    author_location: post.author_location,
    author_country: normaliseLocation(post.author_location),
    author_verified: post.author_verified,
    author_followers_count: post.author_followers_count,
    like_count: post.like_count,
    retweet_count: post.retweet_count,
    reply_count: post.reply_count,
    quote_count: post.quote_count,
    engagement: post.like_count + post.retweet_count + post.reply_count + post.quote_count,
    sentiment_label: labelOf(score),
    sentiment_score: score,
    scorer_version: SCORER_VERSION,
    cashtags: e.cashtags,
    hashtags: e.hashtags,
    mentions: e.mentions,
    protocols: e.protocols,
    domains: e.domains,
    rule_ids: post.rule_ids,
    rule_tags: post.rule_tags,
    source: post.source,
    collected_at: post.collected_at,
    scored_at: isoOf(scoredAt),
  };
}
