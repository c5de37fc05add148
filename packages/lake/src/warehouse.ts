/**
 * The local warehouse: an embedded DuckDB database standing in for Athena + Iceberg.
 * Its table, upsert and views are derived from packages/shared, so the answers match AWS.
 *
 * @example
 * const wh = await Warehouse.open("lake/warehouse.duckdb");
 * await wh.upsertNdjsonFile("scored.ndjson");
 * const share = await wh.ask("sentimentShare");
 */
import { DuckDBInstance, DuckDBTypeId, LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { mkdirSync, rmSync } from "node:fs";
import { open, writeFile } from "node:fs/promises";
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
import { ROLLUP_ANSWERS, ROLLUP_DDL, ROLLUP_TABLES, ROLLUP_VERSION, applyDeltaSql, rebuildAllSql, rebuildTouchedSql, refreshAuthorFieldsSql } from "./rollups.ts";

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

/** Rows of NDJSON files, typed as the table (duplicates and all). */
function readRowsSql(files: string[]): string {
  const list = `[${files.map(sqlString).join(", ")}]`;
  return `SELECT ${columnList} FROM read_json(${list}, format = 'newline_delimited', columns = ${READ_COLUMNS})`;
}

/** The rows of `relation`, one per id: the latest `collected_at`. */
function latestPerIdSql(relation: string): string {
  return `SELECT * FROM ${relation} QUALIFY row_number() OVER (PARTITION BY ${q(SCORED_POST_KEY)} ORDER BY ${q(SCORED_POST_VERSION_COLUMN)} DESC) = 1`;
}

/**
 * What `id IN (…)` should hold for `ids` (also in `relation`): a few as literals, which DuckDB
 * looks up in the primary-key index; many as the relation, since one scan of the ids beats
 * thousands of index probes.
 */
function idsIn(ids: readonly string[], relation: string): string {
  return ids.length <= 1000 ? ids.map(sqlString).join(", ") : `SELECT ${q(SCORED_POST_KEY)} FROM ${relation}`;
}

export class Warehouse {
  /** Writes run one at a time, each in its own transaction on its own connection. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Whether the rollups are current (answers without a source come from them). */
  private rollups = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    /** Reads: the dashboard and reports, never seeing a write half done. */
    private readonly conn: DuckDBConnection,
    private readonly writer: DuckDBConnection,
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
      // row groups over and over. 64 MiB costs no more in all than 256 MiB did, and leaves a
      // quarter as much to checkpoint on close, when nothing else runs beside it (1M posts:
      // about 0.7 s instead of 2.7 s). The WAL is still fsync'd on every commit.
      checkpoint_threshold: "64MB",
      // Every question orders its rows; inserts need not keep file order (less work per upsert).
      preserve_insertion_order: "false",
      ...(options.readOnly ? { access_mode: "READ_ONLY" } : {}),
    });
    const conn = await instance.connect();
    const writer = await instance.connect();
    const wh = new Warehouse(instance, conn, writer, stagingDir);
    for (const c of [conn, writer]) await c.run("SET TimeZone = 'UTC'");
    if (!options.readOnly) await wh.migrate();
    wh.rollups = await wh.rollupsCurrent();
    return wh;
  }

  private async migrate(): Promise<void> {
    await this.conn.run(TABLE_DDL);
    for (const shim of ATHENA_SHIMS) await this.conn.run(shim);
    for (const question of Object.values(QUESTIONS)) await this.conn.run(viewDdl(question));
    if (!(await this.rollupsCurrent())) await this.rebuildRollups();
  }

  private async rollupsCurrent(): Promise<boolean> {
    const [exists] = await this.query<{ n: number }>("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'rollup_state' AND NOT temporary");
    if (!exists?.n) return false;
    const [state] = await this.query<{ version: number | null }>("SELECT max(version) AS version FROM rollup_state");
    return state?.version === ROLLUP_VERSION;
  }

  /**
   * DuckDB's worker threads. A bulk load on two cores wants one (parallel upserts of small
   * batches cost about half as much CPU again, taken from scoring); queries want every core.
   */
  async setThreads(threads: number): Promise<void> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    await this.conn.run(`SET threads = ${threads}`);
  }

  /** Rebuilds the rollups from the table (a warehouse from before them, or a new definition). */
  async rebuildRollups(): Promise<void> {
    await this.write(async (w) => {
      for (const ddl of [...ROLLUP_TABLES.map((t) => `DROP TABLE IF EXISTS ${t}`), ...ROLLUP_DDL]) await w.run(ddl);
      for (const sql of rebuildAllSql()) await w.run(sql);
      await w.run("CREATE OR REPLACE TABLE rollup_state AS SELECT CAST($v AS INTEGER) AS version", { v: ROLLUP_VERSION });
    });
    this.rollups = true;
  }

  /** Runs `body` on the writer connection, after every earlier write. */
  private serial<T>(body: (w: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.writes.catch(() => {}).then(() => body(this.writer));
    this.writes = run;
    return run;
  }

  /** Runs `body` in a transaction on the writer connection, after every earlier write. */
  private write<T>(body: (w: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.serial((w) => transaction(w, () => body(w)));
  }

  /**
   * Upserts NDJSON files of ScoredPost rows: one row per id, and the version with the latest
   * `collected_at` wins (within the files, and against what the table holds), so replays and
   * duplicates change nothing. The rollups move by the same rows in the same transaction.
   */
  async upsertNdjsonFiles(files: string[]): Promise<void> {
    if (files.length === 0) return;
    await this.serial(async (w) => {
      // A temp table: never durable, so staging it outside the transaction is safe, and it
      // survives the rollback of a first attempt.
      await w.run(`CREATE OR REPLACE TEMP TABLE _staged AS ${readRowsSql(files)}`);
      // Usually every id is new and appears once: a plain insert (the primary key checks it)
      // costs a third of ON CONFLICT and needs no dedupe. Any duplicate fails it, and the
      // batch takes the general path instead.
      try {
        await transaction(w, async () => {
          await w.run(`INSERT INTO ${SCORED_TABLE_NAME} SELECT * FROM _staged`);
          if (this.rollups) for (const sql of applyDeltaSql("_staged", null)) await w.run(sql);
        });
        return;
      } catch {
        // the general path reports any error that is not a duplicate
      }
      await w.run(`CREATE OR REPLACE TEMP TABLE _staged AS ${latestPerIdSql("_staged")}`);
      await transaction(w, () => this.mergeStaged(w));
    });
  }

  /** Upserts `_staged` (one row per id) when some ids may already be held. */
  private async mergeStaged(w: DuckDBConnection): Promise<void> {
    const key = q(SCORED_POST_KEY);
    const version = q(SCORED_POST_VERSION_COLUMN);
    const staged = Number((await w.runAndReadAll("SELECT count(*) FROM _staged")).getRows()[0]![0]);
    // New ids go straight in; only ids already held need their old rows.
    const inserted = await w.runAndReadAll(`INSERT INTO ${SCORED_TABLE_NAME} SELECT * FROM _staged ON CONFLICT DO NOTHING RETURNING ${key}`);
    if (inserted.currentRowCount === staged) {
      if (this.rollups) for (const sql of applyDeltaSql("_staged", null)) await w.run(sql);
      return;
    }
    await w.run("CREATE OR REPLACE TEMP TABLE _inserted AS SELECT unnest($ids) AS id", { ids: listValue(inserted.getRows().map((r) => String(r[0]))) }, { ids: LIST(VARCHAR) });
    await w.run(`CREATE OR REPLACE TEMP TABLE _held AS SELECT ${key} FROM _staged WHERE ${key} NOT IN (SELECT id FROM _inserted)`);
    const held = (await w.runAndReadAll(`SELECT ${key} FROM _held`)).getRows().map((r) => String(r[0]));
    await w.run(`CREATE OR REPLACE TEMP TABLE _old AS SELECT * FROM ${SCORED_TABLE_NAME} WHERE ${key} IN (${idsIn(held, "_held")})`);
    // The latest collected_at wins; the winners replace their rows by delete + insert (a
    // third of the cost of ON CONFLICT DO UPDATE over every column).
    await w.run(`CREATE OR REPLACE TEMP TABLE _won AS SELECT s.* FROM _staged s JOIN _old o USING (${key}) WHERE s.${version} >= o.${version}`);
    const won = (await w.runAndReadAll(`SELECT ${key} FROM _won`)).getRows().map((r) => String(r[0]));
    if (won.length > 0) {
      await w.run(`DELETE FROM ${SCORED_TABLE_NAME} WHERE ${key} IN (${idsIn(won, "_won")})`);
      await w.run(`INSERT INTO ${SCORED_TABLE_NAME} SELECT * FROM _won`);
    }
    if (this.rollups) {
      const added = `(SELECT * FROM _staged WHERE ${key} NOT IN (SELECT ${key} FROM _held) UNION ALL SELECT * FROM _won)`;
      const removed = `(SELECT * FROM _old WHERE ${key} IN (SELECT ${key} FROM _won))`;
      for (const sql of applyDeltaSql(added, removed)) await w.run(sql);
      const stale = "(SELECT author_id FROM _won WHERE author_username IS NULL OR author_followers_count IS NULL)";
      if (Number((await w.runAndReadAll(`SELECT count(*) FROM ${stale}`)).getRows()[0]![0]) > 0) await w.run(refreshAuthorFieldsSql(stale));
    }
  }

  /** Upserts rows (written to a staging file first: DuckDB's JSON reader is the fast path). */
  async upsert(rows: readonly ScoredPost[]): Promise<void> {
    if (rows.length === 0) return;
    await this.upsertNdjson(encodeNdjson(rows));
  }

  /** Upserts NDJSON of ScoredPost rows (text, its UTF-8 bytes, or those bytes in pieces, e.g. one row each). */
  async upsertNdjson(ndjson: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (typeof ndjson === "string" ? !ndjson.trim() : isBytes(ndjson) ? ndjson.byteLength === 0 : !ndjson.some((b) => b.byteLength > 0)) return;
    mkdirSync(this.stagingDir, { recursive: true });
    const file = path.join(this.stagingDir, `${randomUUID()}.ndjson`);
    // written on libuv's pool: the event loop keeps collecting meanwhile; pieces go out by writev, never concatenated
    if (typeof ndjson === "string" || isBytes(ndjson)) await writeFile(file, ndjson);
    else await writePieces(file, ndjson);
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
    const rollup = ROLLUP_ANSWERS[key];
    if (rollup && this.rollups && (source === undefined || source === SCORED_TABLE_NAME)) return this.query<T>(rollup);
    return this.query<T>(QUESTIONS[key].sql(source));
  }

  async count(): Promise<number> {
    const [row] = await this.query<{ n: number }>(`SELECT count(*) AS n FROM ${SCORED_TABLE_NAME}`);
    return row?.n ?? 0;
  }

  /** Deletes rows by id; returns how many were removed. The rollup groups they were in are rebuilt. */
  async deleteIds(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.write(async (w) => {
      const params = { ids: listValue([...ids]) };
      const key = q(SCORED_POST_KEY);
      await w.run(`CREATE OR REPLACE TEMP TABLE _gone AS SELECT * FROM ${SCORED_TABLE_NAME} WHERE ${key} IN (SELECT unnest($ids::VARCHAR[]))`, params);
      await w.run(`DELETE FROM ${SCORED_TABLE_NAME} WHERE ${key} IN (SELECT ${key} FROM _gone)`);
      if (this.rollups) for (const sql of rebuildTouchedSql("_gone")) await w.run(sql);
      return Number((await w.runAndReadAll("SELECT count(*) FROM _gone")).getRows()[0]![0]);
    });
  }

  async checkpoint(): Promise<void> {
    await this.conn.run("CHECKPOINT");
  }

  close(): void {
    this.writer.closeSync();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

const isBytes = (v: Uint8Array | readonly Uint8Array[]): v is Uint8Array => v instanceof Uint8Array;

/** Writes `pieces` one after another into a new file (writev in groups within the OS's iovec limit). */
async function writePieces(file: string, pieces: readonly Uint8Array[]): Promise<void> {
  const handle = await open(file, "w");
  try {
    for (let i = 0; i < pieces.length; i += 1024) {
      const group = pieces.slice(i, i + 1024);
      const length = group.reduce((n, b) => n + b.byteLength, 0);
      let written = (await handle.writev(group as NodeJS.ArrayBufferView[])).bytesWritten;
      if (written < length) {
        // a short write (rare): the rest from one copy, at the file's current position
        const all = Buffer.concat(group);
        while (written < length) written += (await handle.write(all, written, length - written)).bytesWritten;
      }
    }
  } finally {
    await handle.close();
  }
}

/** Runs `body` in a transaction on `w`: all of it is committed, or none. */
async function transaction<T>(w: DuckDBConnection, body: () => Promise<T>): Promise<T> {
  await w.run("BEGIN TRANSACTION");
  try {
    const out = await body();
    await w.run("COMMIT");
    return out;
  } catch (err) {
    await w.run("ROLLBACK").catch(() => {});
    throw err;
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
