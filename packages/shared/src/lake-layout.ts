/**
 * The lake layout, identical on a laptop and in S3. Everything is partitioned by UTC date
 * (`dt=YYYY-MM-DD`) and hour, in Hive style so DuckDB and Athena both prune on it.
 *
 *   raw/dt=…/hour=…/<file>.ndjson.gz            Posts as delivered (Firehose source backup)
 *   errors/<type>/dt=…/hour=…/<file>.ndjson.gz  records that failed, with the reason
 *   health/dt=…/hour=…/<file>.ndjson.gz         collector health records
 *   compliance/dt=…/<file>.ndjson               what was deleted, when (ids and counts)
 *   table/scored_posts/                         the scored table (Iceberg in AWS; DuckDB file locally)
 */

export const LAKE_PREFIXES = {
  raw: "raw/",
  errors: "errors/",
  health: "health/",
  compliance: "compliance/",
  table: "table/",
} as const;

/** Error kinds, named as Firehose names its `!{firehose:error-output-type}`. */
export const ERROR_TYPES = ["processing-failed", "delivery-failed", "oversize", "invalid-post"] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export const SCORED_TABLE_NAME = "scored_posts";
export const LOCAL_WAREHOUSE_FILE = "warehouse.duckdb";

/** UTC date of an ISO timestamp or Date, `YYYY-MM-DD`. */
export function dtOf(at: string | Date): string {
  const d = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`dtOf: not a timestamp: ${String(at)}`);
  return d.toISOString().slice(0, 10);
}

/** UTC hour of an ISO timestamp or Date, `HH`. */
export function hourOf(at: string | Date): string {
  const d = typeof at === "string" ? new Date(at) : at;
  return d.toISOString().slice(11, 13);
}

export function partitionPrefix(base: string, at: string | Date): string {
  return `${base}dt=${dtOf(at)}/hour=${hourOf(at)}/`;
}

export const rawPrefix = (at: string | Date) => partitionPrefix(LAKE_PREFIXES.raw, at);
export const healthPrefix = (at: string | Date) => partitionPrefix(LAKE_PREFIXES.health, at);
export const errorPrefix = (type: ErrorType, at: string | Date) =>
  partitionPrefix(`${LAKE_PREFIXES.errors}${type}/`, at);

/**
 * Object name in Firehose's own pattern, `<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<id>`,
 * plus our extension.
 */
export function objectName(stream: string, at: Date, id: string, ext = ".ndjson.gz"): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[T:]/g, "-");
  return `${stream}-1-${stamp}-${id}${ext}`;
}

/** The same prefixes as Firehose S3 prefix expressions (arrival time; Firehose has no post time). */
export const FIREHOSE_PREFIXES = {
  raw: `${LAKE_PREFIXES.raw}dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`,
  errors: `${LAKE_PREFIXES.errors}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`,
  health: `${LAKE_PREFIXES.health}dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`,
} as const;

/** Globs for readers (DuckDB `read_json`, replay). */
export const LAKE_GLOBS = {
  raw: `${LAKE_PREFIXES.raw}dt=*/hour=*/*.ndjson.gz`,
  health: `${LAKE_PREFIXES.health}dt=*/hour=*/*.ndjson.gz`,
  errors: `${LAKE_PREFIXES.errors}*/dt=*/hour=*/*.ndjson.gz`,
} as const;

/** An error record, as written under `errors/<type>/`. */
export interface ErrorRecord {
  type: ErrorType;
  reason: string;
  /** Where the failure was seen: record id, file and line, or batch. */
  where: string;
  at: string;
  /** The original record, base64 (as Firehose writes `rawData`). */
  raw_data: string;
}
