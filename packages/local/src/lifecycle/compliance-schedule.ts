/**
 * Runs the batch compliance check on a schedule while `npm start` collects live: first after
 * `firstDelayMs`, then every `intervalMs` (24 h), one run at a time (the next is timed from the
 * end of the previous one, so runs never overlap). `stop()` cancels the timer, aborts a run
 * that is waiting on X, and resolves once it has ended.
 *
 * @example
 * const schedule = scheduleComplianceCheck({ check: (signal) => complianceCommand({ …, signal }), log: say });
 * await schedule.stop();
 */

export interface ComplianceScheduleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ComplianceScheduleOptions {
  /** One check; resolves with a one-line summary for the log. Should give up when `signal` aborts. */
  check: (signal: AbortSignal) => Promise<string>;
  log: (line: string) => void;
  /** Default 24 h: X's policy allows 24 hours from learning of a deletion. */
  intervalMs?: number;
  /** Default 60 s, so start-up work settles first. */
  firstDelayMs?: number;
  /** Test seam (default: the global timers, unref'd). */
  timers?: ComplianceScheduleTimers;
}

export interface ComplianceSchedule {
  /** Checks started so far. */
  readonly runs: number;
  stop(): Promise<void>;
}

const realTimers: ComplianceScheduleTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const hours = (ms: number) => (ms >= 3_600_000 && ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

export function scheduleComplianceCheck(o: ComplianceScheduleOptions): ComplianceSchedule {
  const intervalMs = o.intervalMs ?? 24 * 3_600_000;
  const timers = o.timers ?? realTimers;
  const abort = new AbortController();
  let handle: unknown = null;
  let running: Promise<void> | null = null;
  let runs = 0;

  const arm = (ms: number) => {
    if (abort.signal.aborted) return;
    handle = timers.setTimeout(() => {
      handle = null;
      running = runOnce().finally(() => {
        running = null;
        arm(intervalMs);
      });
    }, ms);
  };

  async function runOnce(): Promise<void> {
    runs++;
    o.log(`compliance check ${runs}: starting (every ${hours(intervalMs)} while collecting)`);
    try {
      o.log(`compliance check ${runs}: ${await o.check(abort.signal)}`);
    } catch (err) {
      if (abort.signal.aborted) o.log(`compliance check ${runs}: stopped`);
      else o.log(`compliance check ${runs} failed: ${(err as Error).message}; next in ${hours(intervalMs)}`);
    }
  }

  o.log(`compliance check scheduled: first in ${hours(o.firstDelayMs ?? 60_000)}, then every ${hours(intervalMs)}`);
  arm(o.firstDelayMs ?? 60_000);
  return {
    get runs() {
      return runs;
    },
    async stop() {
      abort.abort();
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      await running;
    },
  };
}

/** A sleep for the compliance client that gives up (throws) when `signal` aborts. */
export function abortableSleep(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new Error("stopped"));
      const t = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(new Error("stopped"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
}
