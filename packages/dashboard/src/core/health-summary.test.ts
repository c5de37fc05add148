import { describe, expect, it } from "vitest";
import { summarizeHealth } from "./health-summary.ts";

describe("summarizeHealth", () => {
  it("shows the latest counters and the delivery rate over the last minutes", () => {
    const h = summarizeHealth([
      { at: "2026-11-20T10:02:00Z", delivered: 160, received: 170, reconnects: 2, spooled: 5, spendUsd: 1.5, budgetUsd: 10, lastKeepAliveAt: "2026-11-20T10:01:58Z" },
      { at: "2026-11-20T10:00:00Z", delivered: 100, received: 100, reconnects: 1 },
    ]);
    expect(h).toMatchObject({ available: true, at: "2026-11-20T10:02:00.000Z", postsPerMinute: 30, reconnects: 2, spooled: 5, spendUsd: 1.5, budgetUsd: 10 });
    expect(h.lastKeepAliveAt).toBe("2026-11-20T10:01:58.000Z");
  });

  it("reads the collector's snake_case record and prices the remaining budget", () => {
    const h = summarizeHealth([
      {
        type: "collector-health", at: "2026-11-20T10:00:00.000Z", host: "laptop", source: "stream", uptime_s: 60,
        received: 120, delivered: 118, duplicates: 1, resent: 3, spooled: 2, dead_lettered: 1, in_flight: 0, sink_errors: 0,
        last_delivered_at: "2026-11-20T09:59:59.000Z", reconnects: 1, last_keep_alive_at: "2026-11-20T09:59:50.000Z",
        bad_lines: 0, gaps_filled: 1, gap_posts: 4, posts_read_today: 120, posts_read_month: 2000, spend_usd_month: 10, budget_remaining: 8000,
      },
    ]);
    expect(h).toMatchObject({ deadLettered: 1, gapsFilled: 1, postsRead: 120, spendUsd: 10, budgetPostsRemaining: 8000, budgetUsd: 50 });
    // a single record: the rate is the average since the collector started
    expect(h).toMatchObject({ postsPerMinute: 118, rateBasis: "uptime" });
    expect(h.lastKeepAliveAt).toBe("2026-11-20T09:59:50.000Z");
  });

  it("leaves fields a collector did not write empty instead of failing", () => {
    const h = summarizeHealth([{ at: "2026-11-20T10:00:00Z", received: "12" }]);
    expect(h).toMatchObject({ available: true, received: 12, delivered: null, spooled: null, postsPerMinute: null, lastKeepAliveAt: null });
  });

  it("reports no health when no record carries a time", () => {
    expect(summarizeHealth([{ received: 3 }])).toMatchObject({ available: false, records: 1 });
  });

  it("gives no rate when a counter went backwards (collector restarted)", () => {
    const h = summarizeHealth([
      { at: "2026-11-20T10:00:00Z", delivered: 500 },
      { at: "2026-11-20T10:05:00Z", delivered: 20 },
    ]);
    expect(h.postsPerMinute).toBeNull();
    expect(h.delivered).toBe(20);
  });
});
