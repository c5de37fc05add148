import { SCORED_TABLE_NAME } from "@defi-sentiment/shared";

/** N synthetic rows: heavy-tailed authors, a label mix, messy countries, 30 days. */
export function synthesiseRowsSql(n: number): string {
  return `INSERT INTO ${SCORED_TABLE_NAME}
SELECT
  CAST(1000000000000000000 + i AS VARCHAR) AS id,
  'synthetic post ' || i AS text,
  ts AS created_at,
  CAST(ts AS DATE) AS dt,
  'en' AS lang,
  NULL AS conversation_id,
  false, (h % 7) = 0, false,
  CAST(a AS VARCHAR) AS author_id,
  'user' || a AS author_username,
  'User ' || a AS author_name,
  loc AS author_location,
  CASE loc WHEN 'London' THEN 'GB' WHEN 'NYC' THEN 'US' WHEN 'Lagos' THEN 'NG' WHEN 'Berlin' THEN 'DE' WHEN 'Singapore' THEN 'SG' ELSE NULL END AS author_country,
  false,
  CAST(exp(5 + 3 * ((hash(a) % 1000) / 1000.0)) AS BIGINT) AS author_followers_count,
  h % 50, h % 11, h % 5, h % 3, (h % 50) + (h % 11) + (h % 5) + (h % 3),
  CASE WHEN h % 10 < 4 THEN 'positive' WHEN h % 10 < 7 THEN 'neutral' ELSE 'negative' END AS sentiment_label,
  ((h % 2001) - 1000) / 1000.0 AS sentiment_score,
  'bench' AS scorer_version,
  ['ETH'], ['DeFi'], [], ['Aave'], [], ['1900000000000000001'], ['defi-protocols'],
  'generator', ts, ts
FROM (
  SELECT i, CAST(hash(i) % 1000003 AS BIGINT) AS h,
    CAST(floor(pow(200001, (hash(i * 31) % 1000000) / 1000000.0)) AS BIGINT) AS a,
    TIMESTAMP '2026-10-20 00:00:00' + to_seconds(CAST(i * (30 * 86400.0 / ${n}) AS BIGINT)) AS ts,
    ['London', 'NYC', 'Metaverse', '', 'Lagos', 'Berlin', 'Web3', 'Singapore'][1 + CAST(hash(i * 17) % 8 AS INTEGER)] AS loc
  FROM range(${n}) AS r(i)
)`;
}

