import { describe, expect, it } from "vitest";
import type { HealthRecord } from "./health-record.ts";
import { startHealthReporter } from "./health-reporter.ts";

const figures = { source: "stream", received: 5, delivered: 4, duplicates: 1, resent: 0, spooled: 1, dead_lettered: 0, in_flight: 0, sink_errors: 0, last_delivered_at: null, reconnects: 2, last_keep_alive_at: null, bad_lines: 0, gaps_filled: 1, gap_posts: 3, posts_read_today: 5, posts_read_month: 5, spend_usd_month: 0.03, budget_remaining: 95, tombstoned: 0, deletion_notices: 0 };

describe("health reporter", () => {
  it("emits a record periodically as a log line and to every writer, and once more on stop", async () => {
    const written: HealthRecord[] = [];
    const logged: Record<string, unknown>[] = [];
    const reporter = startHealthReporter({ snapshot: () => figures, writers: [{ write: async (r) => (written.push(...r), "mem") }], intervalMs: 20, log: (e) => logged.push(e) });
    await new Promise((r) => setTimeout(r, 70));
    await reporter.report();
    await reporter.stop();
    const count = written.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(written[0]).toMatchObject({ type: "collector-health", reconnects: 2, gaps_filled: 1, spend_usd_month: 0.03 });
    expect(logged.filter((e) => e.event === "health")).toHaveLength(count);
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toHaveLength(count); // stopped means stopped
  });

  it("keeps collecting when a health write fails, and says so", async () => {
    const logged: Record<string, unknown>[] = [];
    const reporter = startHealthReporter({ snapshot: () => figures, writers: [{ write: async () => Promise.reject(new Error("bucket gone")) }], intervalMs: 60_000, log: (e) => logged.push(e) });
    await expect(reporter.report()).resolves.toMatchObject({ type: "collector-health" });
    await reporter.stop();
    expect(logged.find((e) => e.level === "warn")).toMatchObject({ msg: "health record not written", error: "bucket gone" });
  });
});
