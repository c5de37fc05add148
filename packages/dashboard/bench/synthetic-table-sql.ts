/**
 * `INSERT … SELECT` that synthesises N scored posts inside DuckDB (1M in a few seconds): Zipf-like
 * authors, log-normal followers, a label mix that drifts over 30 days, varied tags, protocols,
 * rule tags and messy locations (a third resolve to no country). SYNTHETIC.
 */
import { SCORED_TABLE_NAME } from "@defi-sentiment/shared";

/** DuckDB `hash` is UBIGINT; list indexes want BIGINT. */
const hb = (x: string) => `CAST(hash(${x}) % 4294967296 AS BIGINT)`;
const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(", ")}]`;
const TOKENS = ["ETH", "BTC", "AAVE", "UNI", "LDO", "CRV", "PENDLE", "ENA", "SOL", "ARB", "OP", "MKR", "GMX", "JUP", "USDC", "DAI"];
const TAGS = ["DeFi", "Ethereum", "crypto", "yield", "airdrop", "staking", "Web3", "stablecoins", "DEX", "L2", "restaking", "RWA"];
const PROTOCOLS = ["Uniswap", "Aave", "Curve", "Lido", "MakerDAO", "Pendle", "EigenLayer", "GMX", "Morpho", "Ethena", "Hyperliquid", "Jupiter"];
const PLACES: [string, string | null][] = [
  ["New York, NY", "US"], ["London", "GB"], ["Berlin, Germany", "DE"], ["Lagos, Nigeria", "NG"], ["Singapore", "SG"],
  ["Bangalore, India", "IN"], ["Toronto, Canada", "CA"], ["Paris, France", "FR"], ["Dubai, UAE", "AE"], ["São Paulo, Brasil", "BR"],
  ["Seoul, South Korea", "KR"], ["Zug, Switzerland", "CH"], ["Metaverse", null], ["Earth", null], ["on-chain", null],
  ["wherever the yield is", null], ["Web3", null], ["localhost", null],
];

export function syntheticTableSql(n: number, end = "2026-11-20"): string {
  return `INSERT INTO ${SCORED_TABLE_NAME}
SELECT
  CAST(1000000000000000000 + i AS VARCHAR), 'synthetic post ' || i || ' about $' || tok || ' on ' || proto,
  ts, CAST(ts AS DATE), 'en', NULL, false, h % 7 = 0, false,
  CAST(1500000000000000000 + a AS VARCHAR), 'user' || a, 'User ' || a,
  CASE WHEN h % 5 = 0 THEN NULL ELSE ${list(PLACES.map((p) => p[0]))}[1 + (${hb("a")} % ${PLACES.length})] END,
  CASE WHEN h % 5 = 0 THEN NULL ELSE [${PLACES.map((p) => (p[1] ? `'${p[1]}'` : "NULL")).join(", ")}][1 + (${hb("a")} % ${PLACES.length})] END,
  false, CAST(exp(5 + 3.5 * ((${hb("a * 7")} % 1000) / 1000.0)) AS BIGINT) + (i % 3),
  h % 50, h % 11, h % 5, h % 3, (h % 50) + (h % 11) + (h % 5) + (h % 3),
  label, CASE label WHEN 'positive' THEN 0.6 WHEN 'negative' THEN -0.6 ELSE 0.0 END, 'bench',
  [tok], CASE WHEN h % 3 = 0 THEN [] ELSE [${list(TAGS)}[1 + (h % ${TAGS.length})]] END, [], [proto], [],
  ['1900000000000000001'], [${list(["defi-protocols", "defi-tokens", "defi-topics"])}[1 + (i % 3)]],
  'generator', ts, ts
FROM (
  SELECT *, CASE WHEN r < 0.33 + 0.1 * (i / ${n}.0) THEN 'positive' WHEN r < 0.68 THEN 'neutral' ELSE 'negative' END AS label,
    ${list(TOKENS)}[1 + CAST(floor(pow(${TOKENS.length}, (${hb("i * 13")} % 1000) / 1000.0)) AS BIGINT) - 1] AS tok,
    ${list(PROTOCOLS)}[1 + CAST(floor(pow(${PROTOCOLS.length}, (${hb("i * 17")} % 1000) / 1000.0)) AS BIGINT) - 1] AS proto
  FROM (
    SELECT i, CAST(${hb("i")} % 1000003 AS BIGINT) AS h, (${hb("i * 11")} % 100000) / 100000.0 AS r,
      CAST(floor(pow(50001, (${hb("i * 31")} % 1000000) / 1000000.0)) AS BIGINT) AS a,
      TIMESTAMP '${end}' - INTERVAL 30 DAY + to_microseconds(CAST(i * (30 * 86400000000 // ${n}) AS BIGINT)) AS ts
    FROM range(${n}) AS t(i)
  )
)`;
}
