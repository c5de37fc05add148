/**
 * @module @defi-sentiment/scorer
 * Offline sentiment, entities and country for DeFi posts, and the Firehose transformation handler.
 */
export { SCORER_VERSION } from "./version.ts";
export { scoreText, type TextSentiment } from "./core/score-text.ts";
export { normaliseLocation } from "./core/normalise-location.ts";
export { extractEntities, type PostEntities } from "./core/extract-entities.ts";
export { scorePost } from "./core/score-post.ts";
export { handler } from "./firehose-handler.ts";
export { transformRecords, transformPacked, type TransformOptions, type LogLine } from "./transform-records.ts";
