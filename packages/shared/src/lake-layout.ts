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
import { isCanonicalIso } from "./iso-time.ts";

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

/** UTC timestamps as X and our records write them; their date and hour depend on the first 13 characters only. */
const UTC_ISO = /^\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?Z$/;
const hourCache = new Map<string, { dt: string; hour: string }>();

// The last hour looked up: records come in time order, so most share the hour of the one before.
let lastKey = "";
let lastParts = { dt: "", hour: "" };

/** Date and hour of a timestamp; UTC strings are looked up by their hour (partitioning runs per record). */
function utcParts(at: string | Date): { dt: string; hour: string } {
  if (typeof at !== "string") return partsOf(at, at);
  // X's own form ("2026-11-03T23:59:58.000Z") within the last hour: no regex, no map lookup
  if (lastKey !== "" && at.startsWith(lastKey) && isCanonicalIso(at)) return lastParts;
  if (!UTC_ISO.test(at)) return partsOf(new Date(at), at);
  const key = at.slice(0, 13);
  let parts = hourCache.get(key);
  if (!parts) {
    if (hourCache.size > 10_000) hourCache.clear();
    parts = partsOf(new Date(`${key}:00:00Z`), at);
    hourCache.set(key, parts);
  }
  lastKey = key;
  lastParts = parts;
  return parts;
}

function partsOf(d: Date, at: string | Date): { dt: string; hour: string } {
  if (Number.isNaN(d.getTime())) throw new RangeError(`dtOf: not a timestamp: ${String(at)}`);
  const iso = d.toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** UTC date of an ISO timestamp or Date, `YYYY-MM-DD`. */
export function dtOf(at: string | Date): string {
  return utcParts(at).dt;
}

/** UTC hour of an ISO timestamp or Date, `HH`. */
export function hourOf(at: string | Date): string {
  return utcParts(at).hour;
}

export function partitionPrefix(base: string, at: string | Date): string {
  const { dt, hour } = utcParts(at);
  return `${base}dt=${dt}/hour=${hour}/`;
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
