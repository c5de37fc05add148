/**
 * Rollups of the scored table that the local warehouse keeps current on every upsert and delete,
 * so the unfiltered answers read thousands of rows instead of millions. Athena needs none: it
 * scales out. Each rollup answer must equal the shared question SQL over the table (tested), so
 * the shared SQL stays the one definition of every answer; these are caches of it.
 *
 * Upserts change rollups by deltas: +1 for each row that lands, -1 for each row it replaces
 * (a post's later version: same author, since X never moves a post to another author, and a
 * later `collected_at`, so it also takes over the author's latest username and followers).
 * Deletes are rare (compliance), so the groups they touch are rebuilt from the table.
 */
import { LATEST_ROW_KEY, SCORED_TABLE_NAME, SENTIMENT_LABELS, TAG_COUNTS, type QuestionKey } from "@defi-sentiment/shared";

const T = SCORED_TABLE_NAME;

/** Bump when a rollup's definition changes: warehouses then rebuild them from the table on open. */
export const ROLLUP_VERSION = 3;

/** Nullable country as a key (primary key columns are NOT NULL); never a real ISO code. */
const NO_COUNTRY = "";

export const ROLLUP_DDL = [
  `CREATE TABLE IF NOT EXISTS rollup_authors (
  author_id VARCHAR PRIMARY KEY,
  posts BIGINT NOT NULL,
  engagement BIGINT NOT NULL,
  score_sum DOUBLE NOT NULL,
${SENTIMENT_LABELS.map((l) => `  ${l} BIGINT NOT NULL,`).join("\n")}
  username VARCHAR,
  username_at VARCHAR,
  followers BIGINT,
  followers_at VARCHAR
)`,
  `CREATE TABLE IF NOT EXISTS rollup_hours (
  hour TIMESTAMP NOT NULL,
  dt DATE NOT NULL,
  country VARCHAR NOT NULL,
  sentiment_label VARCHAR NOT NULL,
  posts BIGINT NOT NULL,
  score_sum DOUBLE NOT NULL,
  first_at TIMESTAMP,
  last_at TIMESTAMP,
  PRIMARY KEY (hour, dt, country, sentiment_label)
)`,
  `CREATE TABLE IF NOT EXISTS rollup_locations (
  location VARCHAR PRIMARY KEY,
  posts BIGINT NOT NULL
)`,
  // kind: a TAG_COUNTS key; tags are strings (the schema has no null elements)
  `CREATE TABLE IF NOT EXISTS rollup_tags (
  kind VARCHAR NOT NULL,
  tag VARCHAR NOT NULL,
  sentiment_label VARCHAR NOT NULL,
  posts BIGINT NOT NULL,
  score_sum DOUBLE NOT NULL,
  PRIMARY KEY (kind, tag, sentiment_label)
)`,
];

export const ROLLUP_TABLES = ["rollup_authors", "rollup_hours", "rollup_locations", "rollup_tags"] as const;

const TAG_KINDS = Object.entries(TAG_COUNTS);

/** A condition on one kind's normalised tag (`expr`), e.g. to keep only some tags. */
type TagFilter = (kind: string, expr: string) => string;

/**
 * Rows a merge adds to the rollups: `src` has the table's columns, plus a weight `w` (+1 for a row
 * that lands, -1 for one it replaces) when `weighted`; unweighted, every row lands (the bulk
 * path), and plain counts and sums cost less than weighted ones.
 */
interface Delta {
  src: string;
  weighted: boolean;
}

/** The aggregates of a delta: row count, weighted sum, count per label. */
const count = (d: Delta) => (d.weighted ? "sum(w)" : "count(*)");
const sumOf = (d: Delta, x: string) => (d.weighted ? `sum(w * ${x})` : `sum(${x})`);
const labelCounts = (d: Delta) =>
  SENTIMENT_LABELS.map((l) => `${d.weighted ? `coalesce(sum(w) FILTER (WHERE sentiment_label = '${l}'), 0)` : `count(*) FILTER (WHERE sentiment_label = '${l}')`} AS ${l}`).join(", ");
/** Only the columns a merge reads: the unnest and the aggregates then carry no wide rows. */
const cols = (d: Delta, names: string) => `${d.weighted ? "w, " : ""}${names}`;

/**
 * (kind, normalised tag, `columns`) for every tag of every row of `src`, optionally filtered;
 * with `group`, aggregated per kind, tag and label instead (each kind on its own: no regrouping of the union).
 */
const tagsOf = (src: string, columns: string, where: TagFilter = () => "TRUE", group?: string) =>
  TAG_KINDS.map(
    ([kind, { column, expr }]) =>
      `SELECT '${kind}' AS kind, ${expr} AS tag, ${group ?? columns} FROM (SELECT ${columns}, UNNEST(${column}) AS tag FROM ${src}) WHERE tag IS NOT NULL AND (${where(kind, expr)})${group ? ` GROUP BY ${expr}, sentiment_label` : ""}`,
  ).join("\nUNION ALL\n");

/** The latest non-null value of `column` (by `latest_key`, nulls skipped as max_by does), and its key. */
const latest = (column: string, as: string, filter?: string) => {
  const f = (cond: string) => (filter ? `${filter} AND ${cond}` : cond);
  return `max_by(${column}, latest_key)${filter ? ` FILTER (WHERE ${filter})` : ""} AS ${as}, max(latest_key) FILTER (WHERE ${f(`${column} IS NOT NULL`)}) AS ${as}_at`;
};

/** `field` and its key from `x` when at least as late as in `r` (a tie is the same row: the newer version of it wins). */
const takeLater = (field: string) =>
  `${field} = CASE WHEN x.${field}_at >= r.${field}_at OR r.${field}_at IS NULL THEN x.${field} ELSE r.${field} END,
  ${field}_at = greatest(r.${field}_at, x.${field}_at)`;

// Authors and hours merge by MERGE INTO (a join with the rollup) rather than INSERT … ON
// CONFLICT (an index probe and conflict per group): about a tenth less CPU for the thousands
// of authors a batch touches, still at 400k authors. Tags, a few hundred groups over three
// string keys, are cheaper by ON CONFLICT.

/** The latest username and followers come from rows that land (w > 0) only. */
function mergeAuthors(d: Delta): string {
  const landing = d.weighted ? "w > 0" : undefined;
  // the shared LATEST_ROW_KEY once per row (its casts cost), as a column
  return `MERGE INTO rollup_authors AS r
USING (SELECT author_id, ${count(d)} AS posts, ${sumOf(d, "engagement")} AS engagement, ${sumOf(d, "sentiment_score")} AS score_sum, ${labelCounts(d)},
  ${latest("author_username", "username", landing)},
  ${latest("author_followers_count", "followers", landing)}
  FROM (SELECT ${cols(d, "author_id, engagement, sentiment_score, sentiment_label, author_username, author_followers_count")}, ${LATEST_ROW_KEY} AS latest_key FROM ${d.src})
  GROUP BY author_id) AS x
ON r.author_id = x.author_id
WHEN MATCHED THEN UPDATE SET
  posts = r.posts + x.posts,
  engagement = r.engagement + x.engagement,
  score_sum = r.score_sum + x.score_sum,
${SENTIMENT_LABELS.map((l) => `  ${l} = r.${l} + x.${l},`).join("\n")}
  ${takeLater("username")},
  ${takeLater("followers")}
WHEN NOT MATCHED THEN INSERT BY NAME`;
}

/**
 * Recomputes the latest username and followers of the authors in `authors` from the table: when
 * a later version of a post has none, the value it replaced may have been the latest.
 */
export function refreshAuthorFieldsSql(authors: string): string {
  return `UPDATE rollup_authors SET username = r.username, username_at = r.username_at, followers = r.followers, followers_at = r.followers_at
FROM (SELECT author_id, ${latest("author_username", "username")}, ${latest("author_followers_count", "followers")}
  FROM (SELECT author_id, author_username, author_followers_count, ${LATEST_ROW_KEY} AS latest_key FROM ${T} WHERE author_id IN (SELECT author_id FROM ${authors})) GROUP BY author_id) AS r
WHERE rollup_authors.author_id = r.author_id`;
}

function mergeHours(d: Delta): string {
  return `MERGE INTO rollup_hours AS r
USING (SELECT date_trunc('hour', created_at) AS hour, dt, coalesce(author_country, '${NO_COUNTRY}') AS country, sentiment_label,
  ${count(d)} AS posts, ${sumOf(d, "sentiment_score")} AS score_sum, min(created_at) AS first_at, max(created_at) AS last_at
  FROM (SELECT ${cols(d, "created_at, dt, author_country, sentiment_label, sentiment_score")} FROM ${d.src})
  GROUP BY ALL) AS x
ON r.hour = x.hour AND r.dt = x.dt AND r.country = x.country AND r.sentiment_label = x.sentiment_label
WHEN MATCHED THEN UPDATE SET
  posts = r.posts + x.posts,
  score_sum = r.score_sum + x.score_sum,
  first_at = least(r.first_at, x.first_at),
  last_at = greatest(r.last_at, x.last_at)
WHEN NOT MATCHED THEN INSERT BY NAME`;
}

function mergeLocations(d: Delta): string {
  return `INSERT INTO rollup_locations
SELECT author_location, ${count(d)} FROM (SELECT ${cols(d, "author_location, author_country")} FROM ${d.src})
WHERE author_country IS NULL AND author_location IS NOT NULL
GROUP BY author_location
ON CONFLICT (location) DO UPDATE SET posts = rollup_locations.posts + excluded.posts`;
}

function mergeTags(d: Delta, where?: TagFilter): string {
  return `INSERT INTO rollup_tags
${tagsOf(d.src, cols(d, "sentiment_label, sentiment_score"), where, `sentiment_label, ${count(d)}, ${sumOf(d, "sentiment_score")}`)}
ON CONFLICT (kind, tag, sentiment_label) DO UPDATE SET
  posts = rollup_tags.posts + excluded.posts,
  score_sum = rollup_tags.score_sum + excluded.score_sum`;
}

/**
 * Statements that add the rows of `added` and take away the rows of `removed` (relations with
 * the table's columns; `removed` null when nothing is replaced), then drop emptied groups.
 */
export function applyDeltaSql(added: string, removed: string | null): string[] {
  const d: Delta = removed === null ? { src: added, weighted: false } : { src: `(SELECT 1 AS w, * FROM ${added} UNION ALL SELECT -1 AS w, * FROM ${removed})`, weighted: true };
  const merges = [mergeAuthors(d), mergeHours(d), mergeLocations(d), mergeTags(d)];
  // only a removal can empty a group
  return removed === null ? merges : [...merges, ...ROLLUP_TABLES.map((t) => `DELETE FROM ${t} WHERE posts = 0`)];
}

/**
 * Statements that rebuild the groups touched by the rows of `touched` (taken before they are
 * deleted) from what the table holds now: every author and every hour they appear in.
 */
export function rebuildTouchedSql(touched: string): string[] {
  const rowsOf = (cond: string): Delta => ({ src: `(SELECT * FROM ${T} WHERE ${cond})`, weighted: false });
  return [
    `DELETE FROM rollup_authors WHERE author_id IN (SELECT author_id FROM ${touched})`,
    mergeAuthors(rowsOf(`author_id IN (SELECT author_id FROM ${touched})`)),
    `DELETE FROM rollup_hours WHERE hour IN (SELECT date_trunc('hour', created_at) FROM ${touched})`,
    mergeHours(rowsOf(`date_trunc('hour', created_at) IN (SELECT date_trunc('hour', created_at) FROM ${touched})`)),
    `DELETE FROM rollup_locations WHERE location IN (SELECT author_location FROM ${touched})`,
    mergeLocations(rowsOf(`author_location IN (SELECT author_location FROM ${touched})`)),
    `CREATE OR REPLACE TEMP TABLE _touched_tags AS SELECT DISTINCT kind, tag FROM (${tagsOf(touched, "sentiment_label")})`,
    "DELETE FROM rollup_tags WHERE EXISTS (SELECT 1 FROM _touched_tags x WHERE x.kind = rollup_tags.kind AND x.tag = rollup_tags.tag)",
    mergeTags({ src: T, weighted: false }, (kind, expr) => `${expr} IN (SELECT tag FROM _touched_tags WHERE kind = '${kind}')`),
  ];
}

/** Statements that rebuild every rollup from the table (an existing warehouse, or a repair). */
export function rebuildAllSql(): string[] {
  return [...ROLLUP_TABLES.map((t) => `DELETE FROM ${t}`), ...applyDeltaSql(T, null)];
}

const perLabel = SENTIMENT_LABELS.map((l) => `coalesce(sum(posts) FILTER (WHERE sentiment_label = '${l}'), 0) AS ${l}`).join(",\n  ");
const avg = "round(sum(score_sum) / sum(posts), 4) AS avg_score";
const share = "round(CAST(sum(posts) AS double) / sum(sum(posts)) OVER (), 4)";

const influencers = (order: string) => `SELECT author_id, username, followers, posts, engagement,
  round(score_sum / posts, 4) AS avg_score, ${SENTIMENT_LABELS.join(", ")}
FROM rollup_authors
ORDER BY ${order}, author_id
LIMIT 25`;

/**
 * The unfiltered answers from the rollups: same columns, same order, same values as the shared
 * question SQL over the table (floating-point sums may differ in the last bits before rounding).
 */
export const ROLLUP_ANSWERS: Partial<Record<QuestionKey, string>> = {
  overview: `SELECT coalesce(sum(posts), 0) AS posts,
  (SELECT count(*) FROM rollup_authors) AS authors,
  ${perLabel},
  ${avg},
  coalesce(sum(posts) FILTER (WHERE country = '${NO_COUNTRY}'), 0) AS unknown_location,
  min(first_at) AS first_post_at,
  max(last_at) AS last_post_at
FROM rollup_hours`,
  sentimentShare: `SELECT sentiment_label, sum(posts) AS posts, ${share} AS share
FROM rollup_hours
GROUP BY sentiment_label
ORDER BY posts DESC, sentiment_label`,
  sentimentDaily: `SELECT dt AS day, sum(posts) AS posts,
  ${perLabel},
  ${avg}
FROM rollup_hours
GROUP BY dt
ORDER BY dt`,
  sentimentHourly: `SELECT hour, sum(posts) AS posts,
  ${perLabel},
  ${avg}
FROM rollup_hours
GROUP BY hour
ORDER BY hour`,
  countries: `SELECT coalesce(nullif(country, '${NO_COUNTRY}'), 'unknown') AS country, sum(posts) AS posts, ${share} AS share
FROM rollup_hours
GROUP BY coalesce(nullif(country, '${NO_COUNTRY}'), 'unknown')
ORDER BY posts DESC, country`,
  unresolvedLocations: `SELECT location, posts FROM rollup_locations
ORDER BY posts DESC, location
LIMIT 50`,
  ...Object.fromEntries(
    TAG_KINDS.map(([kind]) => [
      kind,
      kind === "ruleTags"
        ? `SELECT tag, sum(posts) AS posts FROM rollup_tags WHERE kind = '${kind}' GROUP BY tag ORDER BY posts DESC, tag`
        : `SELECT tag, sum(posts) AS posts,
  ${perLabel},
  ${avg}
FROM rollup_tags WHERE kind = '${kind}'
GROUP BY tag
ORDER BY posts DESC, tag
LIMIT 20`,
    ]),
  ),
  influencersByPosts: influencers("posts DESC"),
  influencersByFollowers: influencers("followers DESC NULLS LAST"),
  influencersByEngagement: influencers("engagement DESC"),
};
