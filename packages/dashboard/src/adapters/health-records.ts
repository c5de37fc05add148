/**
 * Reads the collector's health records (`<lake>/health/dt=…/hour=…/*.ndjson.gz`) with DuckDB,
 * tolerant of fields that some records lack. Only the newest files are read.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { LAKE_PREFIXES } from "@defi-sentiment/shared";
import type { Row, Warehouse } from "@defi-sentiment/lake";

/** Newest health files first (partition folders and Firehose object names sort by time). */
export function newestHealthFiles(lakeDir: string, limit = 3): string[] {
  const root = path.join(lakeDir, LAKE_PREFIXES.health);
  if (!existsSync(root)) return [];
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => /^dt=[^/]+\/hour=[^/]+\/[^/]+\.ndjson\.gz$/.test(f.split(path.sep).join("/")))
    .sort()
    .reverse();
  return files.slice(0, limit).map((f) => path.join(root, f));
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function readHealthRecords(wh: Warehouse, lakeDir: string): Promise<Row[]> {
  const files = newestHealthFiles(lakeDir);
  if (files.length === 0) return [];
  return wh.query(
    `SELECT * FROM read_json([${files.map(sqlString).join(", ")}], format = 'newline_delimited', union_by_name = true, compression = 'gzip', ignore_errors = true)`,
  );
}
