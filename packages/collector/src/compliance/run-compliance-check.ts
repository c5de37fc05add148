/**
 * One scheduled compliance check: for the ids we hold in a window, ask X which posts are gone
 * (batch compliance jobs), remove them from every store, and record the deletion.
 *
 * @example
 * const summary = await runComplianceCheck({
 *   client: httpComplianceClient({ bearerToken }),
 *   idsToCheck: await heldPostIds(warehouse, window), window,
 *   targets: [localDeletionTarget({ lakeDir, warehouse })],
 *   log: fileDeletionLog(lakeDir),
 * });
 */
import { randomUUID } from "node:crypto";
import { ComplianceApiError, type ComplianceClient, type ComplianceJob } from "./compliance-client.ts";
import {
  COMPLIANCE_LIMITS,
  complianceUploadBody,
  countReasons,
  idsToDelete,
  parseComplianceResults,
  planComplianceJobs,
  pollDelayMs,
  type ComplianceWindow,
} from "./compliance-plan.ts";
import type { DeletionLog, DeletionRecord } from "./deletion-log.ts";
import { DeletionTargetError, type DeletionCounts, type DeletionTarget } from "./deletion-target.ts";

/** A job X failed or let expire; names the job and its status. */
export class ComplianceJobError extends Error {
  override name = "ComplianceJobError";
  constructor(
    readonly jobId: string,
    readonly status: string,
    detail: string,
  ) {
    super(`compliance job ${jobId}: ${status}${detail ? ` (${detail})` : ""}`);
  }
}

export interface RunComplianceCheckOptions {
  client: ComplianceClient;
  idsToCheck: Iterable<string>;
  window?: ComplianceWindow | null;
  targets: DeletionTarget[];
  log: DeletionLog;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Status polls per job before giving up (default 200: hours, with the 2-minute cap). */
  maxPolls?: number;
  /** Retries of a call answered with 429 or 5xx (default 5). */
  maxRetries?: number;
  maxIdsPerJob?: number;
  pollDelay?: (attempt: number) => number;
  onProgress?: (event: { step: string; job?: string; status?: string; ids?: number }) => void;
}

export interface ComplianceCheckSummary {
  runId: string;
  jobs: string[];
  checked: number;
  deletedIds: string[];
  reasons: Record<string, number>;
  targets: ({ name: string } & DeletionCounts)[];
  resultErrors: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Deletes `ids` from every target; a failing target does not stop the others. */
export async function deleteFromTargets(targets: DeletionTarget[], ids: string[], authorIds: string[] = []) {
  const counts: ({ name: string } & DeletionCounts)[] = [];
  const errors: { target: string; error: string }[] = [];
  for (const t of targets) {
    try {
      const c: DeletionCounts = ids.length ? await t.deletePosts(ids) : { removedRows: 0, removedRawRecords: 0 };
      if (authorIds.length) {
        if (!t.deleteAuthorPosts) throw new Error("cannot delete by author");
        const a = await t.deleteAuthorPosts(authorIds);
        c.removedRows += a.removedRows;
        c.removedRawRecords += a.removedRawRecords;
      }
      counts.push({ name: t.name, removedRows: c.removedRows, removedRawRecords: c.removedRawRecords });
    } catch (err) {
      errors.push({ target: t.name, error: (err as Error).message });
    }
  }
  return { counts, errors };
}

export async function runComplianceCheck(o: RunComplianceCheckOptions): Promise<ComplianceCheckSummary> {
  const clock = o.clock ?? (() => new Date());
  const sleep = o.sleep ?? defaultSleep;
  const maxPolls = o.maxPolls ?? 200;
  const maxRetries = o.maxRetries ?? 5;
  const delay = o.pollDelay ?? pollDelayMs;
  const progress = o.onProgress ?? (() => {});
  const runId = randomUUID();
  const held = new Set<string>();
  const batches = planComplianceJobs(
    (function* () {
      for (const id of o.idsToCheck) {
        held.add(id);
        yield id;
      }
    })(),
    o.maxIdsPerJob ?? COMPLIANCE_LIMITS.maxIdsPerJob,
  );
  const summary: ComplianceCheckSummary = { runId, jobs: [], checked: held.size, deletedIds: [], reasons: {}, targets: [], resultErrors: 0 };

  /** Retries 429 (until X's reset) and 5xx; anything else is thrown at once. */
  async function retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const retryable = err instanceof ComplianceApiError && (err.status === 429 || err.status >= 500 || err.status === 0);
        if (!retryable || attempt >= maxRetries) throw err;
        const wait = err.rateLimitResetAt ? Math.max(1000, err.rateLimitResetAt - clock().getTime()) : delay(attempt);
        await sleep(wait);
      }
    }
  }

  for (const [index, ids] of batches.entries()) {
    const name = `defi-sentiment-${(o.window?.start ?? clock().toISOString()).slice(0, 19)}-${index + 1}of${batches.length}`;
    let job: ComplianceJob = await retrying(() => o.client.createJob(name));
    summary.jobs.push(job.id);
    progress({ step: "created", job: job.id, ids: ids.length });
    await retrying(() => o.client.upload(job, complianceUploadBody(ids)));
    progress({ step: "uploaded", job: job.id, ids: ids.length });
    for (let poll = 0; job.status !== "complete"; poll++) {
      if (job.status === "failed" || job.status === "expired") throw new ComplianceJobError(job.id, job.status, job.error ?? "");
      if (poll >= maxPolls) throw new ComplianceJobError(job.id, job.status, `not complete after ${maxPolls} polls`);
      await sleep(delay(poll));
      const id = job.id;
      job = await retrying(() => o.client.getJob(id));
      progress({ step: "polled", job: job.id, status: job.status });
    }
    const text = await retrying(() => o.client.download(job));
    const { results, errors } = parseComplianceResults(text, `compliance job ${job.id} results`);
    summary.resultErrors += errors.length;
    // Only ids we asked about: a result for anything else is X's business, not ours to act on.
    const asked = new Set(ids);
    const relevant = results.filter((r) => asked.has(r.id));
    const toDelete = idsToDelete(relevant);
    const reasons = countReasons(relevant);
    const base: Omit<DeletionRecord, "phase" | "targets" | "errors" | "at"> = {
      source: "batch-compliance",
      run_id: runId,
      job_id: job.id,
      window: o.window ?? null,
      checked: ids.length,
      ids: toDelete,
      author_ids: [],
      reasons,
    };
    await o.log({ ...base, phase: "planned", targets: [], errors: [], at: clock().toISOString() });
    const { counts, errors: targetErrors } = await deleteFromTargets(o.targets, toDelete);
    await o.log({ ...base, phase: targetErrors.length ? "failed" : "deleted", targets: counts, errors: targetErrors, at: clock().toISOString() });
    progress({ step: "deleted", job: job.id, ids: toDelete.length });
    if (targetErrors.length) throw new DeletionTargetError(targetErrors, `compliance job ${job.id}`);
    summary.deletedIds.push(...toDelete);
    for (const [k, v] of Object.entries(reasons)) summary.reasons[k] = (summary.reasons[k] ?? 0) + v;
    for (const c of counts) {
      const t = summary.targets.find((x) => x.name === c.name);
      if (t) {
        t.removedRows += c.removedRows;
        t.removedRawRecords += c.removedRawRecords;
      } else summary.targets.push({ ...c });
    }
  }
  return summary;
}
