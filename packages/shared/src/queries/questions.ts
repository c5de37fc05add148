/**
 * The SQL that answers the three questions, written once. It runs on DuckDB locally and as
 * Athena (Trino) views in AWS, so it uses only the shared dialect: `count(*) FILTER`, `max_by`,
 * `date_trunc`, window sums, `CAST(… AS double)`.
 *
 * Each query reads from `source` (the table, or a filtered view of it), so the dashboard can
 * apply a date range or rule tag and still ask exactly the same question.
 */
import { SCORED_TABLE_NAME } from "../lake-layout.ts";
import { SENTIMENT_LABELS } from "../scored-post.ts";

export interface Question {
  /** View name in Athena / DuckDB. */
  name: string;
  title: string;
  sql: (source?: string) => string;
}

const share = "round(CAST(count(*) AS double) / sum(count(*)) OVER (), 4)";
const perLabel = `count(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
    count(*) FILTER (WHERE sentiment_label = 'neutral') AS neutral,
    count(*) FILTER (WHERE sentiment_label = 'negative') AS negative`;

/**
 * Which of an author's rows is the latest: the latest `collected_at`, ties (posts collected in
 * the same instant) broken by post id, so the answer never depends on scan order. One sortable
 * string: both dialects cast a timestamp to 'YYYY-MM-DD hh:mm:ss[.fraction]', and the space sorts
 * before any digit or '.', so a shorter fraction compares as the earlier time.
 */
export const LATEST_ROW_KEY = "CAST(collected_at AS VARCHAR) || ' ' || id";

const authors = (src: string) => `SELECT author_id,
    max_by(author_username, ${LATEST_ROW_KEY}) AS username,
    max_by(author_followers_count, ${LATEST_ROW_KEY}) AS followers,
    count(*) AS posts,
    sum(engagement) AS engagement,
    round(avg(sentiment_score), 4) AS avg_score,
    ${perLabel}
  FROM ${src}
  GROUP BY author_id`;

const influencers = (name: string, title: string, order: string): Question => ({
  name,
  title,
  sql: (src = SCORED_TABLE_NAME) => `SELECT * FROM (${authors(src)}) AS a
ORDER BY ${order}, author_id
LIMIT 25`,
});

/**
 * The tag lists the questions count, and how each normalises a tag (`tag` is the unnested
 * element): one definition for the question SQL and the local warehouse's rollups.
 */
export const TAG_COUNTS = {
  topCashtags: { column: "cashtags", expr: "upper(tag)" },
  topHashtags: { column: "hashtags", expr: "lower(tag)" },
  topProtocols: { column: "protocols", expr: "tag" },
  ruleTags: { column: "rule_tags", expr: "tag" },
} as const;

/** Top tags of one array column (`tag` is the unnested element, `expr` normalises its case). */
const tagSentiment = (name: string, title: string, column: string, expr: string): Question => ({
  name,
  title,
  sql: (src = SCORED_TABLE_NAME) => `SELECT ${expr} AS tag, count(*) AS posts,
  ${perLabel},
  round(avg(sentiment_score), 4) AS avg_score
FROM ${src} CROSS JOIN UNNEST(${column}) AS t(tag)
GROUP BY ${expr}
ORDER BY posts DESC, tag
LIMIT 20`,
});

/** What a reader needs to see one post. */
const postColumns = `id, text, created_at, author_id, author_username, author_name, author_location,
  author_followers_count, sentiment_label, sentiment_score, engagement, cashtags, hashtags, protocols`;

export const QUESTIONS = {
  overview: {
    name: "overview",
    title: "Posts, authors and time span",
    sql: (src = SCORED_TABLE_NAME) => `SELECT count(*) AS posts,
  count(DISTINCT author_id) AS authors,
  ${perLabel},
  round(avg(sentiment_score), 4) AS avg_score,
  count(*) FILTER (WHERE author_country IS NULL) AS unknown_location,
  min(created_at) AS first_post_at,
  max(created_at) AS last_post_at
FROM ${src}`,
  },
  sentimentShare: {
    name: "sentiment_share",
    title: "Is sentiment about DeFi positive?",
    sql: (src = SCORED_TABLE_NAME) => `SELECT sentiment_label, count(*) AS posts, ${share} AS share
FROM ${src}
GROUP BY sentiment_label
ORDER BY posts DESC, sentiment_label`,
  },
  sentimentDaily: {
    name: "sentiment_daily",
    title: "How sentiment moves, by day",
    sql: (src = SCORED_TABLE_NAME) => `SELECT dt AS day, count(*) AS posts,
  ${perLabel},
  round(avg(sentiment_score), 4) AS avg_score
FROM ${src}
GROUP BY dt
ORDER BY dt`,
  },
  sentimentHourly: {
    name: "sentiment_hourly",
    title: "How sentiment moves, by hour",
    sql: (src = SCORED_TABLE_NAME) => `SELECT date_trunc('hour', created_at) AS hour, count(*) AS posts,
  ${perLabel},
  round(avg(sentiment_score), 4) AS avg_score
FROM ${src}
GROUP BY date_trunc('hour', created_at)
ORDER BY hour`,
  },
  influencersByPosts: influencers("influencers_by_posts", "Major influencers by number of posts", "posts DESC"),
  influencersByFollowers: influencers(
    "influencers_by_followers",
    "Major influencers by latest follower count",
    "followers DESC NULLS LAST",
  ),
  influencersByEngagement: influencers(
    "influencers_by_engagement",
    "Major influencers by engagement (likes + reposts + replies + quotes)",
    "engagement DESC",
  ),
  countries: {
    name: "countries",
    title: "Where posts come from",
    sql: (src = SCORED_TABLE_NAME) => `SELECT coalesce(author_country, 'unknown') AS country, count(*) AS posts, ${share} AS share
FROM ${src}
GROUP BY coalesce(author_country, 'unknown')
ORDER BY posts DESC, country`,
  },
  unresolvedLocations: {
    name: "unresolved_locations",
    title: "Author locations that name no country",
    sql: (src = SCORED_TABLE_NAME) => `SELECT author_location AS location, count(*) AS posts
FROM ${src}
WHERE author_country IS NULL AND author_location IS NOT NULL
GROUP BY author_location
ORDER BY posts DESC, location
LIMIT 50`,
  },
  topCashtags: tagSentiment("top_cashtags", "Most mentioned cashtags, with their sentiment", TAG_COUNTS.topCashtags.column, TAG_COUNTS.topCashtags.expr),
  topHashtags: tagSentiment("top_hashtags", "Most used hashtags, with their sentiment", TAG_COUNTS.topHashtags.column, TAG_COUNTS.topHashtags.expr),
  topProtocols: tagSentiment("top_protocols", "Most mentioned DeFi protocols, with their sentiment", TAG_COUNTS.topProtocols.column, TAG_COUNTS.topProtocols.expr),
  ruleTags: {
    name: "rule_tags",
    title: "Posts per stream rule tag",
    sql: (src = SCORED_TABLE_NAME) => `SELECT ${TAG_COUNTS.ruleTags.expr} AS tag, count(*) AS posts
FROM ${src} CROSS JOIN UNNEST(${TAG_COUNTS.ruleTags.column}) AS t(tag)
GROUP BY ${TAG_COUNTS.ruleTags.expr}
ORDER BY posts DESC, tag`,
  },
  samplePosts: {
    name: "sample_posts",
    title: "Most engaging posts of each sentiment",
    // One top-N per label (a window over every row costs seconds at 1M rows).
    sql: (src = SCORED_TABLE_NAME) => `SELECT * FROM (
${SENTIMENT_LABELS.map((l) => `(SELECT ${postColumns} FROM ${src} WHERE sentiment_label = '${l}' ORDER BY engagement DESC, id LIMIT 5)`).join("\nUNION ALL\n")}
) AS p
ORDER BY sentiment_label, engagement DESC, id`,
  },
  latestPosts: {
    name: "latest_posts",
    title: "Latest posts",
    sql: (src = SCORED_TABLE_NAME) => `SELECT ${postColumns}
FROM ${src}
ORDER BY created_at DESC, id DESC
LIMIT 50`,
  },
} satisfies Record<string, Question>;

export type QuestionKey = keyof typeof QUESTIONS;

/** `CREATE OR REPLACE VIEW` for a question, as Athena and DuckDB both accept it. */
export function viewDdl(q: Question, source: string = SCORED_TABLE_NAME): string {
  return `CREATE OR REPLACE VIEW ${q.name} AS\n${q.sql(source)}`;
}
