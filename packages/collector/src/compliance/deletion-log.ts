/**
 * The deletion record: proof of what was deleted and when, as NDJSON under
 * `compliance/dt=YYYY-MM-DD/deletions.ndjson`. Ids and counts only, never content.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { LAKE_PREFIXES, dtOf } from "@defi-sentiment/shared";
import type { DeletionCounts } from "./deletion-target.ts";

export interface DeletionRecord {
  /** `planned` is written before anything is removed, `deleted` after (with counts), `failed` if a target failed. */
  phase: "planned" | "deleted" | "failed";
  source: "batch-compliance" | "stream-notice";
  run_id: string;
  job_id: string | null;
  window: { start: string; end: string } | null;
  /** Ids sent to X for checking (count only). */
  checked: number;
  ids: string[];
  author_ids: string[];
  reasons: Record<string, number>;
  targets: ({ name: string } & DeletionCounts)[];
  errors: { target: string; error: string }[];
  at: string;
}

export type DeletionLog = (record: DeletionRecord) => void | Promise<void>;

/** The relative path of a day's deletion record. */
export function deletionLogPath(at: Date | string): string {
  return `${LAKE_PREFIXES.compliance}dt=${dtOf(at)}/deletions.ndjson`;
}

/** Appends records to the lake folder's deletion log, fsynced (the record is the proof). */
export function fileDeletionLog(lakeDir: string): DeletionLog {
  return (record) => {
    const file = path.join(lakeDir, deletionLogPath(record.at));
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, JSON.stringify(record) + "\n");
    const fd = openSync(file, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
}
