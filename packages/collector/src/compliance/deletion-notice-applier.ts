/**
 * Applies deletion notices that arrive on a stream in small batches, off the stream's path:
 * `add` returns at once, and a batch is applied when `maxBatch` notices are waiting or
 * `maxDelayMs` after the first one. Batches run one at a time. A batch a target failed is
 * recorded as `failed` (by `applyDeletionNotices`), logged, and tried again later; after
 * `maxAttempts` it is left to the record and the next compliance check.
 *
 * @example
 * const applier = startDeletionNoticeApplier({ targets, log: fileDeletionLog(lakeDir), events: console.log });
 * applier.add({ kind: "post", id: "1800000000000000001", reason: "deleted", at: null });
 * await applier.close(); // applies whatever is still pending
 */
import { applyDeletionNotices } from "./apply-deletion-notices.ts";
import type { DeletionLog } from "./deletion-log.ts";
import type { DeletionNotice } from "./deletion-notice.ts";
import type { DeletionTarget } from "./deletion-target.ts";

export interface DeletionNoticeApplierOptions {
  targets: DeletionTarget[];
  /** The deletion record (ids and counts). */
  log: DeletionLog;
  /** Operational log lines. */
  events?: (e: Record<string, unknown>) => void;
  /**
   * Awaited before each batch; e.g. until every post accepted so far has reached the sink, so a
   * noticed post still in flight cannot land after its deletion. A failure is logged and the
   * batch is applied anyway.
   */
  beforeApply?: () => Promise<void>;
  /** Notices per batch (default 100). */
  maxBatch?: number;
  /** Longest a notice waits for companions (default 1 s). */
  maxDelayMs?: number;
  /** Tries per notice (default 3). */
  maxAttempts?: number;
  /** Wait before trying a failed batch again (default 5 s). */
  retryDelayMs?: number;
  clock?: () => Date;
}

export interface DeletionNoticeApplierStats {
  received: number;
  /** Notices whose batch every target applied. */
  applied: number;
  /** Batch attempts a target (or the record) failed. */
  failedBatches: number;
  /** Notices given up on after `maxAttempts` (listed as `failed` in the record). */
  abandoned: number;
}

export interface DeletionNoticeApplier {
  add(notice: DeletionNotice): void;
  /** Applies everything pending now (retries included) and resolves when done. */
  flush(): Promise<void>;
  /** Flushes, then stops the timers. */
  close(): Promise<void>;
  readonly stats: DeletionNoticeApplierStats;
}

interface Pending {
  notice: DeletionNotice;
  attempts: number;
}

export function startDeletionNoticeApplier(o: DeletionNoticeApplierOptions): DeletionNoticeApplier {
  const events = o.events ?? (() => {});
  const maxBatch = o.maxBatch ?? 100;
  const maxDelayMs = o.maxDelayMs ?? 1_000;
  const maxAttempts = o.maxAttempts ?? 3;
  const retryDelayMs = o.retryDelayMs ?? 5_000;
  const stats: DeletionNoticeApplierStats = { received: 0, applied: 0, failedBatches: 0, abandoned: 0 };
  let pending: Pending[] = [];
  let retries: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  };

  async function applyBatch(batch: Pending[]): Promise<void> {
    if (o.beforeApply) {
      try {
        await o.beforeApply();
      } catch (err) {
        events({ level: "warn", msg: "deletion notices: could not wait for in-flight posts; applying anyway", error: (err as Error).message });
      }
    }
    try {
      const r = await applyDeletionNotices(batch.map((p) => p.notice), { targets: o.targets, log: o.log, ...(o.clock ? { clock: o.clock } : {}) });
      stats.applied += batch.length;
      events({ level: "info", event: "deletion-notices-applied", notices: batch.length, ids: r.ids, authorIds: r.authorIds });
    } catch (err) {
      stats.failedBatches++;
      const again = batch.map((p) => ({ ...p, attempts: p.attempts + 1 })).filter((p) => p.attempts < maxAttempts);
      const dropped = batch.length - again.length;
      stats.abandoned += dropped;
      events({
        level: "error",
        event: "deletion-notices-failed",
        notices: batch.length,
        error: (err as Error).message,
        ...(again.length ? { retryInMs: retryDelayMs, retrying: again.length } : {}),
        ...(dropped ? { gaveUp: dropped, note: "the deletion record lists them as failed; the next compliance check finds them again" } : {}),
      });
      if (again.length) {
        retries.push(...again);
        retryTimer ??= later(retryDelayMs, () => {
          retryTimer = null;
          pending.unshift(...retries.splice(0));
          void run();
        });
      }
    }
  }

  /** Applies what is pending now, in batches, after anything already running. */
  function run(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    chain = chain.then(async () => {
      while (pending.length) await applyBatch(pending.splice(0, maxBatch));
    }).catch((err: unknown) => events({ level: "error", event: "deletion-notices-failed", error: (err as Error).message }));
    return chain;
  }

  return {
    stats,
    add(notice) {
      stats.received++;
      pending.push({ notice, attempts: 0 });
      if (pending.length >= maxBatch) void run();
      else timer ??= later(maxDelayMs, () => void run());
    },
    flush() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      pending.unshift(...retries.splice(0));
      return run();
    },
    async close() {
      await this.flush();
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      // Failed on the final flush: nothing will try again in this process; the record says failed.
      stats.abandoned += retries.length;
      retries = [];
      pending = [];
    },
  };
}
