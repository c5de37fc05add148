/**
 * What to do after a PutRecordBatch call, as pure functions: which entries to resend, which to
 * dead-letter, and how long to wait first.
 *
 * - A whole call that throws (throttling, ServiceUnavailable, 5xx, network, timeout, anything):
 *   back off and resend the whole batch. Nothing is dropped; a persistent error shows in logs and
 *   `sinkErrors` while the spool keeps the backlog on disk.
 * - HTTP 200 with per-record `ErrorCode`s: resend ONLY the failed entries. Transient codes
 *   (ServiceUnavailable, InternalFailure, throttling) are retried for as long as it takes; any
 *   other code is retried `maxPermanentAttempts` times, then the record is dead-lettered.
 * - Backoff: exponential from `baseMs`, doubling per consecutive failed round, capped at `capMs`,
 *   with "equal jitter" (half fixed, half random) so rounds never synchronise and never hot-loop.
 */

export interface ResendPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts for a record failing with a non-transient per-record code before it is dead-lettered. */
  maxPermanentAttempts: number;
}

export const DEFAULT_RESEND_POLICY: ResendPolicy = { baseMs: 100, capMs: 20_000, maxPermanentAttempts: 5 };

/** Per-record error codes Firehose uses for conditions that pass on their own. */
export const TRANSIENT_RECORD_ERRORS: ReadonlySet<string> = new Set([
  "ServiceUnavailableException",
  "ServiceUnavailable",
  "InternalFailure",
  "InternalFailureException",
  "ThrottlingException",
  "LimitExceededException",
]);

/**
 * Delay before resend round `attempt` (1 = first resend). Always within
 * [min(cap, base·2^(attempt-1)) / 2, min(cap, base·2^(attempt-1))].
 */
export function backoffDelay(attempt: number, random: () => number, policy: ResendPolicy = DEFAULT_RESEND_POLICY): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(exp / 2 + (exp / 2) * r);
}

export interface EntryFailure {
  /** Position in the call that was just made. */
  index: number;
  errorCode: string;
  errorMessage: string;
}

export interface ResendPlan<T> {
  /** Entries to send again, in their original order. */
  resend: T[];
  /** Entries that failed permanently too often: dead-letter them with the reason. */
  deadLetter: { entry: T; errorCode: string; errorMessage: string }[];
  /** How many entries the sink accepted in this call. */
  accepted: number;
}

/**
 * Given the entries of one call and the per-record failures the sink reported, plans the next
 * round. `permanentFailures(entry)` is how many non-transient failures the entry had before this call.
 */
export function planResend<T>(
  sent: readonly T[],
  failures: readonly EntryFailure[],
  permanentFailures: (entry: T) => number,
  policy: ResendPolicy = DEFAULT_RESEND_POLICY,
): ResendPlan<T> & { permanentCounts: Map<T, number> } {
  const failedAt = new Map<number, EntryFailure>();
  for (const f of failures) {
    if (!Number.isInteger(f.index) || f.index < 0 || f.index >= sent.length) {
      throw new RangeError(`sink reported a failure at index ${f.index}, but the call had ${sent.length} records`);
    }
    failedAt.set(f.index, f);
  }
  const resend: T[] = [];
  const deadLetter: ResendPlan<T>["deadLetter"] = [];
  const permanentCounts = new Map<T, number>();
  sent.forEach((entry, i) => {
    const f = failedAt.get(i);
    if (!f) return;
    if (TRANSIENT_RECORD_ERRORS.has(f.errorCode)) {
      resend.push(entry);
      return;
    }
    const count = permanentFailures(entry) + 1;
    permanentCounts.set(entry, count);
    if (count >= policy.maxPermanentAttempts) deadLetter.push({ entry, errorCode: f.errorCode, errorMessage: f.errorMessage });
    else resend.push(entry);
  });
  return { resend, deadLetter, accepted: sent.length - failedAt.size, permanentCounts };
}
