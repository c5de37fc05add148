/**
 * The local lake as a deletion target: rows leave the DuckDB table (and, after a checkpoint,
 * its file), lines leave every raw object, every error record whose original was the post, and
 * any delivery-stream journal a crash left behind (so the post cannot come back from there).
 * Shaped as the collector's `DeletionTarget` (lake does not import the collector).
 *
 * @example
 * const target = localDeletionTarget({ lakeDir: "lake", warehouse });
 * await target.deletePosts(["1999999999999999999"]); // { removedRows: 1, removedRawRecords: 2 }
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { listValue } from "@duckdb/node-api";
import { LAKE_PREFIXES, SCORED_TABLE_NAME, keysOfErrorLine, keysOfRawLine, type PostKeys } from "@defi-sentiment/shared";
import type { Warehouse } from "../warehouse.ts";
import { listLakeObjects, readObjectLines, rewriteObject } from "./lake-files.ts";

export interface LocalDeletionCounts {
  removedRows: number;
  removedRawRecords: number;
}

export interface LocalDeletionTarget {
  name: string;
  deletePosts(ids: string[]): Promise<LocalDeletionCounts>;
  deleteAuthorPosts(authorIds: string[]): Promise<LocalDeletionCounts>;
}

/** Raised when a lake object cannot be rewritten; names the object. */
export class LakeRewriteError extends Error {
  override name = "LakeRewriteError";
  constructor(
    readonly object: string,
    options: { cause: unknown },
  ) {
    super(`could not rewrite ${object}: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

/**
 * Removes lines matching `drop` from every raw and error object. Raw files whose text holds
 * none of `needles` are skipped without parsing (a cheap pre-check when few ids are deleted).
 */
function purgeObjects(lakeDir: string, drop: (k: PostKeys) => boolean, needles: string[] | null): number {
  let removed = 0;
  const run = (prefix: string, keys: (line: string) => PostKeys, prefilter: boolean) => {
    for (const rel of listLakeObjects(lakeDir, prefix)) {
      const file = path.join(lakeDir, rel);
      try {
        if (prefilter && needles) {
          const text = readObjectLines(file).join("\n");
          if (!needles.some((n) => text.includes(n))) continue;
        }
        removed += rewriteObject(file, (line) => !drop(keys(line)));
      } catch (err) {
        throw new LakeRewriteError(rel, { cause: err });
      }
    }
  };
  run(LAKE_PREFIXES.raw, keysOfRawLine, true);
  // Error records hold the original in base64: no text pre-check possible.
  run(LAKE_PREFIXES.errors, keysOfErrorLine, false);
  return removed + purgeJournals(lakeDir, drop);
}

/**
 * Records a crash left in the delivery stream's journals (`.stream/<name>/*.journal`, lines
 * `<arrivedAt> <base64 record>`) are processed on the next open; a deleted post must not come
 * back from there. Returns the lines removed.
 */
function purgeJournals(lakeDir: string, drop: (k: PostKeys) => boolean): number {
  const root = path.join(lakeDir, ".stream");
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const stream of readdirSync(root)) {
    const dir = path.join(root, stream);
    for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".journal")) : []) {
      const full = path.join(dir, file);
      const text = readFileSync(full, "utf8");
      const lines = text.split("\n");
      const tail = lines.pop() ?? ""; // a torn last write stays as it is (the stream drops it)
      const kept = lines.filter((line) => {
        const space = line.indexOf(" ");
        return space <= 0 || !drop(keysOfRawLine(Buffer.from(line.slice(space + 1), "base64").toString("utf8")));
      });
      if (kept.length === lines.length) continue;
      removed += lines.length - kept.length;
      writeFileSync(`${full}.tmp`, kept.map((l) => l + "\n").join("") + tail);
      renameSync(`${full}.tmp`, full);
    }
  }
  return removed;
}

export function localDeletionTarget(o: { lakeDir: string; warehouse: Warehouse; name?: string }): LocalDeletionTarget {
  const name = o.name ?? `local lake ${o.lakeDir}`;
  return {
    name,
    async deletePosts(ids) {
      if (ids.length === 0) return { removedRows: 0, removedRawRecords: 0 };
      const set = new Set(ids);
      const removedRows = await o.warehouse.deleteIds([...set]);
      // CHECKPOINT rewrites the database file so deleted rows do not linger in the WAL.
      await o.warehouse.checkpoint();
      const removedRawRecords = purgeObjects(o.lakeDir, (k) => k.id !== null && set.has(k.id), set.size <= 1000 ? [...set] : null);
      return { removedRows, removedRawRecords };
    },
    async deleteAuthorPosts(authorIds) {
      if (authorIds.length === 0) return { removedRows: 0, removedRawRecords: 0 };
      const authors = new Set(authorIds);
      const rows = await o.warehouse.query<{ id: string }>(
        `SELECT id FROM ${SCORED_TABLE_NAME} WHERE author_id IN (SELECT unnest($a::VARCHAR[]))`,
        { a: listValue([...authors]) },
      );
      const removedRows = await o.warehouse.deleteIds(rows.map((r) => r.id));
      await o.warehouse.checkpoint();
      const removedRawRecords = purgeObjects(o.lakeDir, (k) => k.author_id !== null && authors.has(k.author_id), authors.size <= 1000 ? [...authors] : null);
      return { removedRows, removedRawRecords };
    },
  };
}
