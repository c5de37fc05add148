/**
 * Deletes posts from the Iceberg table in AWS with Athena SQL: count the rows per partition,
 * `DELETE FROM … WHERE id IN (…)`, then (by default) rewrite the touched partitions and expire
 * old snapshots, so the deleted rows leave the data files and not just the current snapshot:
 *
 *   OPTIMIZE <table> REWRITE DATA USING BIN_PACK WHERE dt IN (…)
 *   VACUUM <table>
 *
 * VACUUM removes snapshots older than the table's `vacuum_max_snapshot_age_seconds`; infra
 * sets it (see docs/lifecycle.md) so a deletion is physically gone within 24 hours.
 */
import type { AthenaClient } from "@aws-sdk/client-athena";
import { SCORED_TABLE_NAME } from "@defi-sentiment/shared";

export interface AthenaDeletionTargetOptions {
  /** A client, or the promise of one (`awsLakeLifecycle` loads the SDK only once the lake is used). */
  athena: AthenaClient | Promise<AthenaClient>;
  database: string;
  workGroup: string;
  table?: string;
  /** Ids per statement (Athena queries are limited to 256 KB of text). Default 1000. */
  batchSize?: number;
  /** Rewrite touched partitions and VACUUM after deleting. Default true. */
  compact?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Status polls per query before giving up. Default 600. */
  maxPolls?: number;
  name?: string;
}

/** An Athena statement that failed or never finished; names the statement kind and query id. */
export class AthenaQueryError extends Error {
  override name = "AthenaQueryError";
  constructor(
    readonly statement: string,
    readonly queryExecutionId: string | null,
    detail: string,
  ) {
    super(`athena ${statement} (query ${queryExecutionId ?? "not started"}): ${detail}`);
  }
}

const ID = /^\d{1,19}$/;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `('1','2')` from validated ids; anything not an id is refused (no SQL from outside gets in). */
export function idList(ids: readonly string[], what = "id"): string {
  for (const [i, id] of ids.entries()) if (!ID.test(id)) throw new RangeError(`${what}s[${i}]: ${JSON.stringify(id)} is not an X id`);
  return `(${ids.map((id) => `'${id}'`).join(", ")})`;
}

export interface AthenaRunner {
  /** Runs a statement to completion; returns its query id. */
  run(statement: string, sql: string): Promise<string>;
  /** Runs a query and returns its rows as strings, without the header row. */
  rows(statement: string, sql: string): Promise<string[][]>;
}

/** Runs Athena statements in a workgroup, polling each to SUCCEEDED (or raising `AthenaQueryError`). */
export function athenaRunner(o: { athena: AthenaClient | Promise<AthenaClient>; database: string; workGroup: string; sleep?: (ms: number) => Promise<void>; maxPolls?: number }): AthenaRunner {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxPolls = o.maxPolls ?? 600;
  // The SDK's commands load at the first statement, not when the collector is imported.
  const sdk = () => Promise.all([o.athena, import("@aws-sdk/client-athena")]);
  async function run(statement: string, sql: string): Promise<string> {
    const [athena, { StartQueryExecutionCommand, GetQueryExecutionCommand }] = await sdk();
    const started = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: o.workGroup, QueryExecutionContext: { Database: o.database } }));
    const id = started.QueryExecutionId ?? null;
    if (!id) throw new AthenaQueryError(statement, null, "no QueryExecutionId returned");
    for (let poll = 0; poll < maxPolls; poll++) {
      const got = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = got.QueryExecution?.Status?.State;
      if (state === "SUCCEEDED") return id;
      if (state === "FAILED" || state === "CANCELLED") throw new AthenaQueryError(statement, id, `${state}: ${got.QueryExecution?.Status?.StateChangeReason ?? "no reason given"}`);
      await sleep(Math.min(5000, 250 * 2 ** Math.min(poll, 5)));
    }
    throw new AthenaQueryError(statement, id, `not finished after ${maxPolls} polls`);
  }
  async function rows(statement: string, sql: string): Promise<string[][]> {
    const id = await run(statement, sql);
    const [athena, { GetQueryResultsCommand }] = await sdk();
    const out: string[][] = [];
    let token: string | undefined;
    do {
      const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
      for (const r of page.ResultSet?.Rows ?? []) out.push((r.Data ?? []).map((d) => d.VarCharValue ?? ""));
      token = page.NextToken;
    } while (token);
    return out.slice(1); // the first row is the header
  }
  return { run, rows };
}

/** The ids the Iceberg table holds for posts created in a window (what a compliance job checks). */
export async function athenaHeldPostIds(o: { athena: AthenaClient | Promise<AthenaClient>; database: string; workGroup: string; table?: string; window: { start: string; end: string }; sleep?: (ms: number) => Promise<void> }): Promise<string[]> {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
  for (const [k, v] of Object.entries(o.window)) if (!iso.test(v)) throw new RangeError(`window.${k}: ${JSON.stringify(v)} is not an ISO UTC timestamp`);
  const table = `${ident(o.database)}.${ident(o.table ?? SCORED_TABLE_NAME)}`;
  const ts = (v: string) => `from_iso8601_timestamp('${v}')`;
  const rows = await athenaRunner(o).rows(
    "held ids",
    `SELECT id FROM ${table} WHERE dt BETWEEN DATE '${o.window.start.slice(0, 10)}' AND DATE '${o.window.end.slice(0, 10)}' AND created_at BETWEEN ${ts(o.window.start)} AND ${ts(o.window.end)}`,
  );
  return rows.map((r) => r[0]!).filter((id) => ID.test(id));
}

export function athenaDeletionTarget(o: AthenaDeletionTargetOptions) {
  const table = `${ident(o.database)}.${ident(o.table ?? SCORED_TABLE_NAME)}`;
  const batchSize = o.batchSize ?? 1000;
  const { run, rows } = athenaRunner(o);

  async function deleteWhere(column: "id" | "author_id", values: string[]) {
    let removedRows = 0;
    const days = new Set<string>();
    for (let i = 0; i < values.length; i += batchSize) {
      const list = idList(values.slice(i, i + batchSize), column);
      const counts = await rows("count", `SELECT CAST(dt AS varchar) AS dt, count(*) AS n FROM ${table} WHERE ${column} IN ${list} GROUP BY 1`);
      const n = counts.reduce((sum, [, c]) => sum + Number(c), 0);
      if (n === 0) continue;
      for (const [dt] of counts) if (dt) days.add(dt);
      await run("delete", `DELETE FROM ${table} WHERE ${column} IN ${list}`);
      removedRows += n;
    }
    if ((o.compact ?? true) && days.size > 0) {
      const dts = [...days].sort().map((d) => `DATE '${/^\d{4}-\d{2}-\d{2}$/.test(d) ? d : "1970-01-01"}'`).join(", ");
      await run("optimize", `OPTIMIZE ${table} REWRITE DATA USING BIN_PACK WHERE dt IN (${dts})`);
      await run("vacuum", `VACUUM ${table}`);
    }
    return { removedRows, removedRawRecords: 0 };
  }

  return {
    name: o.name ?? `athena ${o.database}.${o.table ?? SCORED_TABLE_NAME}`,
    deletePosts: (ids: string[]) => deleteWhere("id", [...new Set(ids)]),
    deleteAuthorPosts: (authorIds: string[]) => deleteWhere("author_id", [...new Set(authorIds)]),
  };
}
