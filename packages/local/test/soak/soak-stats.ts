/**
 * Small statistics for the soak: percentiles, a least-squares line through RSS samples, and
 * whether a [from, to] interval touches any fault window.
 */

/** Nearest-rank percentile (p in 0..100) of `values`; NaN for none. Sorts a copy. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Least-squares slope and intercept of y over x; slope 0 for fewer than 2 points. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: 0, intercept: ys[0] ?? 0 };
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
    sxx += xs[i]! * xs[i]!;
    sxy += xs[i]! * ys[i]!;
  }
  const den = n * sxx - sx * sx;
  const slope = den === 0 ? 0 : (n * sxy - sx * sy) / den;
  return { slope, intercept: (sy - slope * sx) / n };
}

export interface Window {
  name: string;
  from: number;
  to: number;
}

/** True when [from, to] overlaps any window. */
export function touchesWindow(from: number, to: number, windows: readonly Window[]): boolean {
  return windows.some((w) => from <= w.to && to >= w.from);
}
