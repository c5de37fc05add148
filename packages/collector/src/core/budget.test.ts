import { describe, expect, it } from "vitest";
import { budgetExceededMessage, budgetStatus, emptyBudget, monthlyPostCap, recordRead } from "./budget.ts";

const T = Date.parse("2026-11-30T23:59:00Z");
const limits = { maxPostsPerMonth: null, maxUsdPerMonth: null, usdPerPost: 0.005 };

describe("X read budget", () => {
  it("counts posts read per UTC day and month", () => {
    let s = emptyBudget(T);
    s = recordRead(s, 10, T);
    s = recordRead(s, 5, T + 30_000);
    expect(s).toEqual({ day: "2026-11-30", postsToday: 15, month: "2026-11", postsThisMonth: 15 });
  });

  it("starts a new day at UTC midnight and a new month on the 1st", () => {
    const s = recordRead(recordRead(emptyBudget(T), 15, T), 2, T + 120_000);
    expect(s).toEqual({ day: "2026-12-01", postsToday: 2, month: "2026-12", postsThisMonth: 2 });
    const nextDay = recordRead(recordRead(emptyBudget(T - 86_400_000), 7, T - 86_400_000), 1, T);
    expect(nextDay).toMatchObject({ postsToday: 1, postsThisMonth: 8 });
  });

  it("caps by the lowest of posts, dollars and X's 3M plan cap", () => {
    expect(monthlyPostCap(limits)).toBe(3_000_000);
    expect(monthlyPostCap({ ...limits, maxPostsPerMonth: 1000 })).toBe(1000);
    expect(monthlyPostCap({ ...limits, maxPostsPerMonth: 1000, maxUsdPerMonth: 2 })).toBe(400);
    expect(monthlyPostCap({ ...limits, maxUsdPerMonth: 100 })).toBe(20_000);
  });

  it("reports spend and exhaustion with a message naming the setting", () => {
    const l = { ...limits, maxUsdPerMonth: 0.05 };
    const s = recordRead(emptyBudget(T), 10, T);
    expect(budgetStatus(s, l, T)).toEqual({ cap: 10, remaining: 0, spendUsd: 0.05, exhausted: true });
    expect(budgetExceededMessage(s, l)).toContain("X_MAX_USD_PER_MONTH=0.05");
    expect(budgetStatus(recordRead(emptyBudget(T), 9, T), l, T).exhausted).toBe(false);
  });
});
