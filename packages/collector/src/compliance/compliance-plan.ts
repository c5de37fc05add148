/**
 * Pure planning for X's batch compliance jobs: which ids go into which job, how long to wait
 * between status polls, and how to read the results file. No clock, network or files here.
 *
 * X batch compliance (docs.x.com, "Batch compliance"): `POST /2/compliance/jobs {type, name,
 * resumable}` returns `upload_url`/`download_url`; the ids are uploaded as a newline-separated
 * text file; the job moves `created → in_progress → complete` (or `failed`/`expired`); the
 * results are JSON lines, one per id that needs action.
 */
import { DecodeError, decodeNdjson } from "@defi-sentiment/shared";

export const COMPLIANCE_LIMITS = {
  /** Ids per job file. The brief's figure for X's per-job limit; keep jobs under it. */
  maxIdsPerJob: 100_000,
} as const;

export const COMPLIANCE_REASONS = ["deleted", "suspended", "protected", "deactivated", "scrub_geo"] as const;
export type ComplianceReason = (typeof COMPLIANCE_REASONS)[number];

/** One line of a compliance job's results file. */
export interface ComplianceResult {
  id: string;
  action: string;
  created_at: string | null;
  redacted_at: string | null;
  reason: string;
}

/** A window of post creation times whose held ids are checked together. */
export interface ComplianceWindow {
  start: string;
  end: string;
}

/** `7d`, `36h`, `90m` → milliseconds; anything else is an error naming the input. */
export function parseDuration(text: string, where = "duration"): number {
  const m = /^(\d+)\s*([dhm])$/.exec(text.trim());
  if (!m) throw new RangeError(`${where}: "${text}" is not a duration like 7d, 36h or 90m`);
  const n = Number(m[1]);
  return n * (m[2] === "d" ? 86_400_000 : m[2] === "h" ? 3_600_000 : 60_000);
}

/** The window `[now - since, now]`, ISO UTC. */
export function windowSince(now: Date, sinceMs: number): ComplianceWindow {
  return { start: new Date(now.getTime() - sinceMs).toISOString(), end: now.toISOString() };
}

const ID = /^\d{1,19}$/;

/**
 * Splits held ids into job files: de-duplicated, sorted (so a re-run makes the same jobs), at
 * most `maxIdsPerJob` each. A value that is not a post id is an error naming its position.
 */
export function planComplianceJobs(ids: Iterable<string>, maxIdsPerJob: number = COMPLIANCE_LIMITS.maxIdsPerJob): string[][] {
  if (!Number.isInteger(maxIdsPerJob) || maxIdsPerJob < 1) throw new RangeError(`maxIdsPerJob must be a positive integer, got ${maxIdsPerJob}`);
  const unique = new Set<string>();
  let i = 0;
  for (const id of ids) {
    if (typeof id !== "string" || !ID.test(id)) throw new RangeError(`ids[${i}]: ${JSON.stringify(id)} is not a post id`);
    unique.add(id);
    i++;
  }
  const sorted = [...unique].sort((a, b) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0));
  const jobs: string[][] = [];
  for (let at = 0; at < sorted.length; at += maxIdsPerJob) jobs.push(sorted.slice(at, at + maxIdsPerJob));
  return jobs;
}

/** The upload body: one id per line. */
export function complianceUploadBody(ids: readonly string[]): string {
  return ids.length === 0 ? "" : ids.join("\n") + "\n";
}

/**
 * Delay before status poll `attempt` (0-based): 5 s, doubling, capped at 2 min. X processes a
 * job in minutes to hours; polling faster only spends the status endpoint's rate limit.
 */
export function pollDelayMs(attempt: number, firstMs = 5_000, maxMs = 120_000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 20));
}

/**
 * Reads a results file. Lines that are not results are reported with their line number and
 * never hide their neighbours; ids keep every digit (parsed without rounding).
 */
export function parseComplianceResults(text: string, where = "compliance results"): { results: ComplianceResult[]; errors: DecodeError[] } {
  const results: ComplianceResult[] = [];
  const errors: DecodeError[] = [];
  for (const line of decodeNdjson(text, where)) {
    if (!line.ok) {
      errors.push(line.error);
      continue;
    }
    const v = line.value as Record<string, unknown> | null;
    const id = v && typeof v === "object" ? v.id : undefined;
    const idText = typeof id === "number" ? String(id) : id;
    if (typeof idText !== "string" || !ID.test(idText)) {
      errors.push(new DecodeError("result has no post id", `${where}:${line.line}`));
      continue;
    }
    const str = (k: string) => (typeof v![k] === "string" ? (v![k] as string) : null);
    results.push({ id: idText, action: str("action") ?? "delete", created_at: str("created_at"), redacted_at: str("redacted_at"), reason: str("reason") ?? "unknown" });
  }
  return { results, errors };
}

/**
 * Which results mean "remove the post from our stores". Every reason X gives for a post job
 * (deleted, suspended, protected, deactivated) means we may no longer hold it, except
 * `scrub_geo`: it asks us to drop the post's geo data, and we store none (only the author's
 * free-text profile location), so it removes nothing.
 */
export function idsToDelete(results: readonly ComplianceResult[]): string[] {
  return [...new Set(results.filter((r) => r.action === "delete" && r.reason !== "scrub_geo").map((r) => r.id))];
}

/** Count per reason, for the deletion record. */
export function countReasons(results: readonly ComplianceResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return out;
}
