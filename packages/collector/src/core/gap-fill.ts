/**
 * Time-window arithmetic for search backfill and stream gap fill. Windows are half-open
 * `[start, end)` in epoch ms, aligned to whole seconds (X's `start_time`/`end_time` granularity),
 * so windows that touch never share a second and no post is read twice from search.
 */

export interface TimeWindow {
  start: number;
  end: number;
}

/** X recent search covers the last 7 days, and `end_time` must be at least 10 s in the past. */
export const RECENT_SEARCH = { lookbackMs: 7 * 86_400_000, minAgeMs: 10_000 } as const;

const floorSecond = (t: number) => Math.floor(t / 1000) * 1000;
const ceilSecond = (t: number) => Math.ceil(t / 1000) * 1000;

/** Widens to whole seconds. */
export function alignWindow(w: TimeWindow): TimeWindow {
  return { start: floorSecond(w.start), end: ceilSecond(w.end) };
}

/** Clips a window to what recent search can reach at `now`; null when nothing is left. */
export function clampToRecentSearch(w: TimeWindow, now: number): TimeWindow | null {
  const start = Math.max(w.start, ceilSecond(now - RECENT_SEARCH.lookbackMs) + 1000);
  const end = Math.min(w.end, floorSecond(now - RECENT_SEARCH.minAgeMs));
  return end > start ? { start, end } : null;
}

/** Sorts and merges overlapping or touching windows. */
export function mergeWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = windows.filter((w) => w.end > w.start).sort((a, b) => a.start - b.start);
  const out: TimeWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

/** The parts of `w` that no window in `searched` covers, oldest first. */
export function subtractWindows(w: TimeWindow, searched: readonly TimeWindow[]): TimeWindow[] {
  const out: TimeWindow[] = [];
  let cursor = w.start;
  for (const s of mergeWindows(searched)) {
    if (s.end <= cursor) continue;
    if (s.start >= w.end) break;
    if (s.start > cursor) out.push({ start: cursor, end: Math.min(s.start, w.end) });
    cursor = Math.max(cursor, s.end);
    if (cursor >= w.end) break;
  }
  if (cursor < w.end) out.push({ start: cursor, end: w.end });
  return out;
}

/**
 * The window a stream disconnect left uncovered: from the last post seen before the drop to the
 * first post after reconnect (both inclusive: their ids are dropped by `seen`), aligned to seconds.
 */
export function gapWindow(lastBefore: string, firstAfter: string): TimeWindow {
  const start = Date.parse(lastBefore);
  const end = Date.parse(firstAfter);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError(`gapWindow: not timestamps: ${lastBefore}, ${firstAfter}`);
  return alignWindow({ start: Math.min(start, end), end: Math.max(start, end) + 1 });
}

/** Parses `--since` as an ISO time or a duration back from now (`90m`, `2h`, `3d`). */
export function parseSince(value: string, now: number, where = "--since"): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (m) return now - Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RangeError(`${where}: expected an ISO time (2026-11-24T10:00:00Z) or a duration (90m, 2h, 3d), got ${JSON.stringify(value)}`);
  return t;
}

export const isoSecond = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
