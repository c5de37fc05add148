/**
 * Collection health from the collector's health records (cumulative counters, one record per
 * interval). Fields are read in the collector's snake_case (`dead_lettered`, `last_keep_alive_at`,
 * `spend_usd_month`, `budget_remaining` posts) or camelCase; any may be missing, so records written
 * by older or newer collectors still show.
 */

export interface HealthSummary {
  /** False when no health record exists yet. */
  available: boolean;
  /** Time of the latest record. */
  at: string | null;
  records: number;
  postsPerMinute: number | null;
  /** What the rate covers: the last records' window, or the collector's whole uptime. */
  rateBasis: "window" | "uptime" | null;
  received: number | null;
  delivered: number | null;
  resent: number | null;
  spooled: number | null;
  deadLettered: number | null;
  reconnects: number | null;
  gapsFilled: number | null;
  postsRead: number | null;
  lastKeepAliveAt: string | null;
  spendUsd: number | null;
  budgetUsd: number | null;
  /** Posts the monthly budget still allows. */
  budgetPostsRemaining: number | null;
}

const num = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};
const time = (v: unknown): string | null => {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

export const NO_HEALTH: HealthSummary = {
  available: false, at: null, records: 0, postsPerMinute: null, rateBasis: null, received: null, delivered: null, resent: null,
  spooled: null, deadLettered: null, reconnects: null, gapsFilled: null, postsRead: null, lastKeepAliveAt: null,
  spendUsd: null, budgetUsd: null, budgetPostsRemaining: null,
};

/** The first of `names` the record has, as a number. */
const field = (r: Record<string, unknown>, ...names: string[]) => {
  for (const n of names) {
    const v = num(r[n]);
    if (v !== null) return v;
  }
  return null;
};

/**
 * Summarises health records (any order). Posts per minute is the growth of `delivered` (else
 * `received`) between the oldest and newest record of the last `windowMinutes`.
 */
export function summarizeHealth(records: readonly Record<string, unknown>[], windowMinutes = 10): HealthSummary {
  const timed = records
    .map((r) => ({ r, at: time(r.at) }))
    .filter((x): x is { r: Record<string, unknown>; at: string } => x.at !== null)
    .sort((a, b) => a.at.localeCompare(b.at));
  if (timed.length === 0) return { ...NO_HEALTH, records: records.length };
  const last = timed[timed.length - 1]!;
  const l = last.r;
  const since = Date.parse(last.at) - windowMinutes * 60_000;
  const first = timed.find((x) => Date.parse(x.at) >= since)!;
  const counter = (r: Record<string, unknown>) => num(r.delivered) ?? num(r.received);
  const minutes = (Date.parse(last.at) - Date.parse(first.at)) / 60_000;
  const a = counter(first.r);
  const b = counter(l);
  const windowRate = minutes > 0 && a !== null && b !== null && b >= a ? Math.round(((b - a) / minutes) * 10) / 10 : null;
  // One record (or a restart inside the window): fall back to the average since the collector started.
  const uptime = field(l, "uptime_s", "uptimeS");
  const uptimeRate = b !== null && uptime ? Math.round((b / (uptime / 60)) * 10) / 10 : null;
  const rate = windowRate ?? uptimeRate;
  const spend = field(l, "spendUsd", "spend_usd_month", "spend_usd");
  const remaining = field(l, "budgetPostsRemaining", "budget_remaining");
  const readMonth = field(l, "postsReadMonth", "posts_read_month");
  // The collector reports the budget as posts left; its price per post is spend / posts read.
  const budget =
    field(l, "budgetUsd", "budget_usd") ??
    (spend !== null && remaining !== null && readMonth ? Math.round((spend + remaining * (spend / readMonth)) * 100) / 100 : null);
  return {
    available: true,
    at: last.at,
    records: records.length,
    postsPerMinute: rate,
    rateBasis: windowRate !== null ? "window" : uptimeRate !== null ? "uptime" : null,
    received: num(l.received),
    delivered: num(l.delivered),
    resent: num(l.resent),
    spooled: num(l.spooled),
    deadLettered: field(l, "deadLettered", "dead_lettered"),
    reconnects: num(l.reconnects),
    gapsFilled: field(l, "gapsFilled", "gaps_filled"),
    postsRead: field(l, "postsRead", "posts_read_today"),
    lastKeepAliveAt: time(l.lastKeepAliveAt ?? l.last_keep_alive_at),
    spendUsd: spend,
    budgetUsd: budget,
    budgetPostsRemaining: remaining,
  };
}
