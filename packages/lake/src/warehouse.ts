/**
 * The local warehouse: an embedded DuckDB database standing in for Athena + Iceberg.
 * Its table, upsert and views are derived from packages/shared, so the answers match AWS.
 *
 * @example
 * const wh = await Warehouse.open("lake/warehouse.duckdb");
 * await wh.upsertNdjsonFile("scored.ndjson");
 * const share = await wh.ask("sentimentShare");
 */
import { DuckDBInstance, DuckDBTypeId, listValue, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import {
  QUESTIONS,
  SCORED_POST_COLUMNS,
  SCORED_POST_KEY,
  SCORED_POST_VERSION_COLUMN,
  SCORED_TABLE_NAME,
  duckdbType,
  encodeNdjson,
  viewDdl,
  type QuestionKey,
  type ScoredPost,
} from "@defi-sentiment/shared";

export type Row = Record<string, unknown>;

/** Athena (Trino) functions the shared SQL may use, as DuckDB macros (RUNTIME-NOTES §3). */
const ATHENA_SHIMS = [
  "CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p)",
  "CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)",
  "CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMP)",
  "CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
  "CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)",
  "CREATE OR REPLACE MACRO from_unixtime(t) AS to_timestamp(t)",
];

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${SCORED_TABLE_NAME} (\n${SCORED_POST_COLUMNS.map(
  (c) => `  ${q(c.name)} ${duckdbType(c.type)}${c.name === SCORED_POST_KEY ? " PRIMARY KEY" : ""}`,
).join(",\n")}\n)`;

/** `read_json` column spec, so every field is typed as the table expects. */
const READ_COLUMNS = `{${SCORED_POST_COLUMNS.map((c) => `${sqlString(c.name)}: ${sqlString(duckdbType(c.type))}`).join(", ")}}`;

const columnList = SCORED_POST_COLUMNS.map((c) => q(c.name)).join(", ");
const updateList = SCORED_POST_COLUMNS.filter((c) => c.name !== SCORED_POST_KEY)
  .map((c) => `${q(c.name)} = excluded.${q(c.name)}`)
  .join(", ");

/**
 * Upsert from NDJSON files: one row per id, and the version with the latest `collected_at` wins
 * (within the files, and against what the table holds), so replays and duplicates change nothing.
 */
export function upsertSql(files: string[]): string {
  const list = `[${files.map(sqlString).join(", ")}]`;
  return `INSERT INTO ${SCORED_TABLE_NAME} (${columnList})
SELECT ${columnList} FROM read_json(${list}, format = 'newline_delimited', columns = ${READ_COLUMNS})
QUALIFY row_number() OVER (PARTITION BY ${q(SCORED_POST_KEY)} ORDER BY ${q(SCORED_POST_VERSION_COLUMN)} DESC) = 1
ON CONFLICT (${q(SCORED_POST_KEY)}) DO UPDATE SET ${updateList}
WHERE excluded.${q(SCORED_POST_VERSION_COLUMN)} >= ${SCORED_TABLE_NAME}.${q(SCORED_POST_VERSION_COLUMN)}`;
}

export class Warehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** Where staging files go; beside the database file. */
    private readonly stagingDir: string,
  ) {}

  /** Opens (creating if needed) the warehouse at `file`, or in memory for `":memory:"`. */
  static async open(file: string, options: { threads?: number; readOnly?: boolean } = {}): Promise<Warehouse> {
    const stagingDir = file === ":memory:" ? path.join(process.cwd(), ".tmp", "staging") : path.join(path.dirname(file), ".staging");
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file, {
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
      threads: String(options.threads ?? 2),
      // Loads come in many upserts; checkpointing every 16 MiB of WAL (the default) rewrites
      // row groups over and over. The WAL is still fsync'd on every commit.
      checkpoint_threshold: "256MB",
      ...(options.readOnly ? { access_mode: "READ_ONLY" } : {}),
    });
    const conn = await instance.connect();
    const wh = new Warehouse(instance, conn, stagingDir);
    await conn.run("SET TimeZone = 'UTC'");
    if (!options.readOnly) await wh.migrate();
    return wh;
  }

  private async migrate(): Promise<void> {
    await this.conn.run(TABLE_DDL);
    for (const shim of ATHENA_SHIMS) await this.conn.run(shim);
    for (const question of Object.values(QUESTIONS)) await this.conn.run(viewDdl(question));
  }

  /** Upserts NDJSON files of ScoredPost rows; returns the table's row count after. */
  async upsertNdjsonFiles(files: string[]): Promise<void> {
    if (files.length === 0) return;
    await this.conn.run(upsertSql(files));
  }

  /** Upserts rows (written to a staging file first: DuckDB's JSON reader is the fast path). */
  async upsert(rows: readonly ScoredPost[]): Promise<void> {
    if (rows.length === 0) return;
    await this.upsertNdjson(encodeNdjson(rows));
  }

  /** Upserts NDJSON text of ScoredPost rows. */
  async upsertNdjson(ndjson: string): Promise<void> {
    if (!ndjson.trim()) return;
    mkdirSync(this.stagingDir, { recursive: true });
    const file = path.join(this.stagingDir, `${randomUUID()}.ndjson`);
    writeFileSync(file, ndjson);
    try {
      await this.upsertNdjsonFiles([file]);
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** Runs SQL and returns rows as JSON-friendly objects (numbers, strings, ISO dates). */
  async query<T extends Row = Row>(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    const convert = reader.columnTypes().map((t) => converterFor(t.typeId));
    const names = reader.columnNames();
    return reader.getRowObjectsJson().map((row) => {
      const out: Row = {};
      names.forEach((name, i) => (out[name] = convert[i]!(row[name])));
      return out as T;
    });
  }

  /** Answers one of the shared questions, over the table or over `source` (a view or CTE name). */
  async ask<T extends Row = Row>(key: QuestionKey, source?: string): Promise<T[]> {
    return this.query<T>(QUESTIONS[key].sql(source));
  }

  async count(): Promise<number> {
    const [row] = await this.query<{ n: number }>(`SELECT count(*) AS n FROM ${SCORED_TABLE_NAME}`);
    return row?.n ?? 0;
  }

  /** Deletes rows by id; returns how many were removed. */
  async deleteIds(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const before = await this.count();
    await this.conn.run(`DELETE FROM ${SCORED_TABLE_NAME} WHERE ${q(SCORED_POST_KEY)} IN (SELECT unnest($ids::VARCHAR[]))`, {
      ids: listValue([...ids]),
    });
    return before - (await this.count());
  }

  async checkpoint(): Promise<void> {
    await this.conn.run("CHECKPOINT");
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

const INTEGER_TYPES = new Set([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
]);
const TIMESTAMP_TYPES = new Set([DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_TZ]);

/** Counts come back as strings (they may exceed 2^53 in general; ours never do): make them numbers. Timestamps become ISO UTC. */
function converterFor(typeId: DuckDBTypeId): (v: unknown) => unknown {
  if (INTEGER_TYPES.has(typeId)) return (v) => (typeof v === "string" ? Number(v) : v);
  if (TIMESTAMP_TYPES.has(typeId))
    return (v) => (typeof v === "string" ? new Date(v.replace(" ", "T").replace(/(\+00(:00)?)?$/, "Z")).toISOString() : v);
  return (v) => v;
}
