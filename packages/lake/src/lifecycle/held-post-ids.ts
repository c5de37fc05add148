/**
 * The post ids we hold for a window of creation times: those in the table, plus those only in
 * raw objects (posts that failed scoring are still held). These are what a compliance job checks.
 */
import path from "node:path";
import { LAKE_PREFIXES, SCORED_TABLE_NAME, dtOf, keysOfRawLine } from "@defi-sentiment/shared";
import type { Warehouse } from "../warehouse.ts";
import { listLakeObjects, readObjectLines } from "./lake-files.ts";

export interface HeldWindow {
  start: string;
  end: string;
}

const CREATED_AT = /"created_at"\s*:\s*"([^"]{10,40})"/;

export async function heldPostIds(o: { warehouse: Warehouse; lakeDir?: string; window: HeldWindow }): Promise<string[]> {
  const ids = new Set<string>();
  const rows = await o.warehouse.query<{ id: string }>(
    `SELECT id FROM ${SCORED_TABLE_NAME} WHERE created_at BETWEEN CAST($start AS TIMESTAMPTZ) AND CAST($end AS TIMESTAMPTZ) ORDER BY id`,
    { start: o.window.start, end: o.window.end },
  );
  for (const r of rows) ids.add(r.id);
  if (o.lakeDir) {
    const from = dtOf(o.window.start);
    const to = dtOf(o.window.end);
    const start = Date.parse(o.window.start);
    const end = Date.parse(o.window.end);
    for (const rel of listLakeObjects(o.lakeDir, LAKE_PREFIXES.raw)) {
      const dt = /dt=(\d{4}-\d{2}-\d{2})/.exec(rel)?.[1];
      if (!dt || dt < from || dt > to) continue;
      for (const line of readObjectLines(path.join(o.lakeDir, rel))) {
        const at = Date.parse(CREATED_AT.exec(line)?.[1] ?? "");
        const id = keysOfRawLine(line).id;
        if (id && at >= start && at <= end) ids.add(id);
      }
    }
  }
  return [...ids];
}
