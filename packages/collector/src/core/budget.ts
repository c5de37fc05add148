/**
 * The X bill: posts read per UTC day and month, and the cap that stops collection. Pure; the
 * state is persisted by the caller (x/json-state-file.ts) after every change.
 */

export interface BudgetState {
  /** `YYYY-MM-DD` (UTC) the day counter belongs to. */
  day: string;
  postsToday: number;
  /** `YYYY-MM` (UTC) the month counter belongs to. */
  month: string;
  postsThisMonth: number;
}

export interface BudgetLimits {
  maxPostsPerMonth: number | null;
  maxUsdPerMonth: number | null;
  usdPerPost: number;
}

/** X pay-per-use price for reading a post, and the monthly read cap of the plan. */
export const X_PRICING = { usdPerPost: 0.005, monthlyPostCap: 3_000_000 } as const;

export class BudgetExceededError extends Error {
  override name = "BudgetExceededError";
}

const dayOf = (now: number) => new Date(now).toISOString().slice(0, 10);
const monthOf = (now: number) => new Date(now).toISOString().slice(0, 7);

export function emptyBudget(now: number): BudgetState {
  return { day: dayOf(now), postsToday: 0, month: monthOf(now), postsThisMonth: 0 };
}

/** Rolls the counters over at UTC midnight and at the start of a month. */
export function rollBudget(state: BudgetState, now: number): BudgetState {
  const day = dayOf(now);
  const month = monthOf(now);
  return {
    day,
    postsToday: state.day === day ? state.postsToday : 0,
    month,
    postsThisMonth: state.month === month ? state.postsThisMonth : 0,
  };
}

export function recordRead(state: BudgetState, posts: number, now: number): BudgetState {
  const s = rollBudget(state, now);
  return { ...s, postsToday: s.postsToday + posts, postsThisMonth: s.postsThisMonth + posts };
}

/** The effective monthly post cap: the lowest of the post cap, the USD cap, and X's plan cap. */
export function monthlyPostCap(limits: BudgetLimits): number {
  const caps: number[] = [X_PRICING.monthlyPostCap];
  if (limits.maxPostsPerMonth !== null) caps.push(limits.maxPostsPerMonth);
  if (limits.maxUsdPerMonth !== null) caps.push(Math.floor(limits.maxUsdPerMonth / limits.usdPerPost + 1e-9));
  return Math.min(...caps);
}

export interface BudgetStatus {
  cap: number;
  remaining: number;
  spendUsd: number;
  exhausted: boolean;
}

export function budgetStatus(state: BudgetState, limits: BudgetLimits, now: number): BudgetStatus {
  const s = rollBudget(state, now);
  const cap = monthlyPostCap(limits);
  const remaining = Math.max(0, cap - s.postsThisMonth);
  return { cap, remaining, spendUsd: round(s.postsThisMonth * limits.usdPerPost), exhausted: remaining === 0 };
}

/** The message the collector stops with at the cap; names the setting that caps it. */
export function budgetExceededMessage(state: BudgetState, limits: BudgetLimits): string {
  const cap = monthlyPostCap(limits);
  const setting =
    limits.maxPostsPerMonth === cap
      ? `X_MAX_POSTS_PER_MONTH=${cap}`
      : limits.maxUsdPerMonth !== null && Math.floor(limits.maxUsdPerMonth / limits.usdPerPost + 1e-9) === cap
        ? `X_MAX_USD_PER_MONTH=${limits.maxUsdPerMonth} at $${limits.usdPerPost}/post`
        : `X's plan cap of ${cap} posts/month`;
  return `X read budget reached for ${state.month}: ${state.postsThisMonth} posts read ($${round(state.postsThisMonth * limits.usdPerPost)}), cap ${cap} (${setting}); stopping collection until next month or a higher budget`;
}

export function costOf(posts: number, usdPerPost: number): number {
  return round(posts * usdPerPost);
}

const round = (usd: number) => Math.round(usd * 100) / 100;

export interface VolumeEstimate {
  days: number;
  postsInWindow: number;
  postsPerDay: number;
  postsPerMonth: number;
  usdPerMonth: number;
  /** Share of the effective monthly cap the rule set would use (1 = the whole cap). */
  shareOfCap: number;
}

/**
 * Projects a month of reads from recent counts (`/2/tweets/counts/recent`, daily buckets). Partial
 * first and last buckets are weighted by their length, so the per-day rate is not understated.
 */
export function estimateFromCounts(buckets: { start: string; end: string; count: number }[], limits: BudgetLimits): VolumeEstimate {
  const ms = buckets.reduce((s, b) => s + Math.max(0, Date.parse(b.end) - Date.parse(b.start)), 0);
  const total = buckets.reduce((s, b) => s + b.count, 0);
  const days = ms / 86_400_000;
  const postsPerDay = days > 0 ? total / days : 0;
  const postsPerMonth = Math.round(postsPerDay * 30);
  return {
    days: Math.round(days * 100) / 100,
    postsInWindow: total,
    postsPerDay: Math.round(postsPerDay),
    postsPerMonth,
    usdPerMonth: round(postsPerMonth * limits.usdPerPost),
    shareOfCap: Math.round((postsPerMonth / monthlyPostCap(limits)) * 1000) / 1000,
  };
}
