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
