/**
 * @module @defi-sentiment/shared
 * The one definition of a post, a scored row, the lake layout, the wire codecs and the SQL of
 * the three questions. Imports nothing of ours and no SDK.
 */
export * from "./x-api.ts";
export * from "./post.ts";
export * from "./fast-parse.ts";
export * from "./json-writer.ts";
export * from "./scored-post.ts";
export * from "./codecs.ts";
export * from "./firehose.ts";
export * from "./lake-layout.ts";
export * from "./iso-time.ts";
export * from "./post-line.ts";
export * from "./queries/questions.ts";
export * from "./synthetic/generator.ts";
