/**
 * Output columns of each question's view. Athena stores a view with its column list and type,
 * and QuickSight data sets declare their input columns, so both need them; the names and order
 * are checked against the shared SQL by parsing it (view-columns.test.ts).
 */
import type { QuestionKey } from "@defi-sentiment/shared";

export type ViewColumnType = "string" | "bigint" | "double" | "date" | "timestamp" | "array<string>";
export type ViewColumn = readonly [name: string, type: ViewColumnType];

const perLabel: ViewColumn[] = [
  ["positive", "bigint"],
  ["neutral", "bigint"],
  ["negative", "bigint"],
];
const influencer: ViewColumn[] = [
  ["author_id", "string"],
  ["username", "string"],
  ["followers", "bigint"],
  ["posts", "bigint"],
  ["engagement", "bigint"],
  ["avg_score", "double"],
  ...perLabel,
];

const tagSentiment: ViewColumn[] = [["tag", "string"], ["posts", "bigint"], ...perLabel, ["avg_score", "double"]];
const post: ViewColumn[] = [
  ["id", "string"],
  ["text", "string"],
  ["created_at", "timestamp"],
  ["author_id", "string"],
  ["author_username", "string"],
  ["author_name", "string"],
  ["author_location", "string"],
  ["author_followers_count", "bigint"],
  ["sentiment_label", "string"],
  ["sentiment_score", "double"],
  ["engagement", "bigint"],
  ["cashtags", "array<string>"],
  ["hashtags", "array<string>"],
  ["protocols", "array<string>"],
];

export const VIEW_COLUMNS: Record<QuestionKey, readonly ViewColumn[]> = {
  overview: [
    ["posts", "bigint"],
    ["authors", "bigint"],
    ...perLabel,
    ["avg_score", "double"],
    ["unknown_location", "bigint"],
    ["first_post_at", "timestamp"],
    ["last_post_at", "timestamp"],
  ],
  sentimentShare: [
    ["sentiment_label", "string"],
    ["posts", "bigint"],
    ["share", "double"],
  ],
  sentimentDaily: [["day", "date"], ["posts", "bigint"], ...perLabel, ["avg_score", "double"]],
  sentimentHourly: [["hour", "timestamp"], ["posts", "bigint"], ...perLabel, ["avg_score", "double"]],
  influencersByPosts: influencer,
  influencersByFollowers: influencer,
  influencersByEngagement: influencer,
  countries: [
    ["country", "string"],
    ["posts", "bigint"],
    ["share", "double"],
  ],
  unresolvedLocations: [
    ["location", "string"],
    ["posts", "bigint"],
  ],
  topCashtags: tagSentiment,
  topHashtags: tagSentiment,
  topProtocols: tagSentiment,
  ruleTags: [
    ["tag", "string"],
    ["posts", "bigint"],
  ],
  samplePosts: post,
  latestPosts: post,
};

/** Glue (Hive) type of a view column. */
export const hiveType = (t: ViewColumnType): string => t;

/** Trino type Athena records in a view's definition (Iceberg timestamps are microsecond precision). */
export function trinoType(t: ViewColumnType): string {
  switch (t) {
    case "string":
      return "varchar";
    case "timestamp":
      return "timestamp(6)";
    case "array<string>":
      return "array(varchar)";
    default:
      return t;
  }
}

/** QuickSight input column type. */
export function quicksightType(t: ViewColumnType): "STRING" | "INTEGER" | "DECIMAL" | "DATETIME" {
  switch (t) {
    case "string":
    case "array<string>": // QuickSight has no array type; Athena hands arrays over as text
      return "STRING";
    case "bigint":
      return "INTEGER";
    case "double":
      return "DECIMAL";
    case "date":
    case "timestamp":
      return "DATETIME";
  }
}
