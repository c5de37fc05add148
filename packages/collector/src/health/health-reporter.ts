/**
 * Emits a health record every `intervalMs` (default 60 s) as a structured log line and into the
 * lake, and once more when stopped. A failed write is logged and never stops collection.
 */
import { hostname } from "node:os";
import type { HealthRecord } from "./health-record.ts";
import type { HealthWriter } from "./health-writer.ts";

export interface HealthReporter {
  /** Writes one record now. */
  report(): Promise<HealthRecord>;
  stop(): Promise<void>;
}

export function startHealthReporter(options: {
  snapshot: () => Omit<HealthRecord, "type" | "at" | "host" | "uptime_s">;
  writers: HealthWriter[];
  intervalMs: number;
  log: (e: Record<string, unknown>) => void;
  clock?: () => number;
}): HealthReporter {
  const clock = options.clock ?? Date.now;
  const started = clock();
  let chain: Promise<unknown> = Promise.resolve();
  const report = async (): Promise<HealthRecord> => {
    const now = clock();
    const record: HealthRecord = { type: "collector-health", at: new Date(now).toISOString(), host: hostname(), uptime_s: Math.round((now - started) / 1000), ...options.snapshot() };
    options.log({ level: "info", event: "health", ...record });
    for (const w of options.writers) {
      try {
        await w.write([record]);
      } catch (err) {
        options.log({ level: "warn", msg: "health record not written", error: (err as Error).message });
      }
    }
    return record;
  };
  const timer = setInterval(() => {
    chain = chain.then(report);
  }, options.intervalMs);
  timer.unref();
  return {
    report: () => (chain = chain.then(report)) as Promise<HealthRecord>,
    async stop() {
      clearInterval(timer);
      await chain;
    },
  };
}
