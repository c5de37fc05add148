/**
 * The ScoredPost: one row of the analytics table (DuckDB locally, Iceberg in AWS), and the
 * record the Firehose transformation emits. Its column list and types are declared once here;
 * the DuckDB DDL, the Glue/Iceberg columns and the upsert statement are derived from them.
 */
import { z } from "zod";
import { XIdSchema } from "./x-api.ts";
import { POST_SOURCES } from "./post.ts";

export const SENTIMENT_LABELS = ["positive", "neutral", "negative"] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

const count = z.number().int().nonnegative();
const isoTime = z.iso.datetime({ offset: true });

export const ScoredPostSchema = z.object({
  id: XIdSchema,
  text: z.string(),
  created_at: isoTime,
  dt: z.iso.date(),
  lang: z.string().nullable(),
  conversation_id: XIdSchema.nullable(),
  is_retweet: z.boolean(),
  is_reply: z.boolean(),
  is_quote: z.boolean(),
  author_id: XIdSchema,
  author_username: z.string().nullable(),
  author_name: z.string().nullable(),
  author_location: z.string().nullable(),
  author_country: z.string().regex(/^[A-Z]{2}$/).nullable(),
  author_verified: z.boolean().nullable(),
  author_followers_count: count.nullable(),
  like_count: count,
  retweet_count: count,
  reply_count: count,
  quote_count: count,
  engagement: count,
  sentiment_label: z.enum(SENTIMENT_LABELS),
  sentiment_score: z.number().min(-1).max(1),
  scorer_version: z.string().min(1),
  cashtags: z.array(z.string()),
  hashtags: z.array(z.string()),
  mentions: z.array(z.string()),
  protocols: z.array(z.string()),
  domains: z.array(z.string()),
  rule_ids: z.array(z.string()),
  rule_tags: z.array(z.string()),
  source: z.enum(POST_SOURCES),
  collected_at: isoTime,
  scored_at: isoTime,
});
export type ScoredPost = z.infer<typeof ScoredPostSchema>;

/** Logical column types; each store maps them to its own (see `duckdbType`, `glueType`). */
export type ColumnType = "string" | "bigint" | "double" | "boolean" | "timestamp" | "date" | "array<string>";

/** Every ScoredPost field, in table order. The mapped type makes a missing or extra key a compile error. */
export const SCORED_POST_COLUMN_TYPES: { [K in keyof ScoredPost]-?: ColumnType } = {
  id: "string",
  text: "string",
  created_at: "timestamp",
  dt: "date",
  lang: "string",
  conversation_id: "string",
  is_retweet: "boolean",
  is_reply: "boolean",
  is_quote: "boolean",
  author_id: "string",
  author_username: "string",
  author_name: "string",
  author_location: "string",
  author_country: "string",
  author_verified: "boolean",
  author_followers_count: "bigint",
  like_count: "bigint",
  retweet_count: "bigint",
  reply_count: "bigint",
  quote_count: "bigint",
  engagement: "bigint",
  sentiment_label: "string",
  sentiment_score: "double",
  scorer_version: "string",
  cashtags: "array<string>",
  hashtags: "array<string>",
  mentions: "array<string>",
  protocols: "array<string>",
  domains: "array<string>",
  rule_ids: "array<string>",
  rule_tags: "array<string>",
  source: "string",
  collected_at: "timestamp",
  scored_at: "timestamp",
};

export interface Column {
  name: keyof ScoredPost;
  type: ColumnType;
}

export const SCORED_POST_COLUMNS: readonly Column[] = Object.entries(SCORED_POST_COLUMN_TYPES).map(
  ([name, type]) => ({ name: name as keyof ScoredPost, type }),
);

/** The table's key: one row per post id; the row with the latest `collected_at` wins. */
export const SCORED_POST_KEY = "id" satisfies keyof ScoredPost;
export const SCORED_POST_VERSION_COLUMN = "collected_at" satisfies keyof ScoredPost;
/** The table's partition column (the post's UTC date). */
export const SCORED_POST_PARTITION = "dt" satisfies keyof ScoredPost;

export function duckdbType(t: ColumnType): string {
  switch (t) {
    case "string":
      return "VARCHAR";
    case "bigint":
      return "BIGINT";
    case "double":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "timestamp":
      // UTC instants without a zone, as Iceberg/Glue `timestamp`; the warehouse runs in UTC.
      return "TIMESTAMP";
    case "date":
      return "DATE";
    case "array<string>":
      return "VARCHAR[]";
  }
}

/** Glue Data Catalog (Hive/Iceberg) type names. */
export function glueType(t: ColumnType): string {
  return t === "timestamp" ? "timestamp" : t;
}
