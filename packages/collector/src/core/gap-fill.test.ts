import { describe, expect, it } from "vitest";
import { clampToRecentSearch, gapWindow, isoSecond, mergeWindows, parseSince, subtractWindows } from "./gap-fill.ts";

const w = (start: number, end: number) => ({ start, end });

describe("search windows", () => {
  it("merges overlapping and touching windows", () => {
    expect(mergeWindows([w(5, 8), w(0, 2), w(2, 3), w(7, 10)])).toEqual([w(0, 3), w(5, 10)]);
  });

  it("leaves only the parts not searched yet, so nothing is searched twice", () => {
    expect(subtractWindows(w(0, 100), [])).toEqual([w(0, 100)]);
    expect(subtractWindows(w(0, 100), [w(10, 20), w(50, 60)])).toEqual([w(0, 10), w(20, 50), w(60, 100)]);
    expect(subtractWindows(w(10, 20), [w(0, 30)])).toEqual([]);
    expect(subtractWindows(w(10, 40), [w(0, 15), w(35, 50)])).toEqual([w(15, 35)]);
  });

  it("never returns a piece overlapping a searched window (exhaustive small grid)", () => {
    for (let a = 0; a < 8; a++)
      for (let b = a + 1; b <= 8; b++)
        for (let c = 0; c < 8; c++)
          for (let d = c + 1; d <= 8; d++) {
            const searched = [w(c, d)];
            const pieces = subtractWindows(w(a, b), searched);
            for (let t = 0; t < 8; t++) {
              const inWanted = t >= a && t < b;
              const inSearched = t >= c && t < d;
              const inPieces = pieces.some((p) => t >= p.start && t < p.end);
              expect(inPieces).toBe(inWanted && !inSearched);
            }
          }
  });

  it("spans a disconnect from the last post before to the first after, in whole seconds", () => {
    const g = gapWindow("2026-11-24T10:00:01.500Z", "2026-11-24T10:05:00.000Z");
    expect(isoSecond(g.start)).toBe("2026-11-24T10:00:01Z");
    expect(isoSecond(g.end)).toBe("2026-11-24T10:05:01Z");
  });

  it("clips to the 7 days recent search reaches and keeps end_time 10 s in the past", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    const c = clampToRecentSearch(w(now - 10 * 86_400_000, now), now)!;
    expect(c.end).toBe(now - 10_000);
    expect(c.start).toBeGreaterThan(now - 7 * 86_400_000);
    expect(clampToRecentSearch(w(now - 5000, now), now)).toBeNull();
  });

  it("reads --since as a duration or an ISO time", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(parseSince("2h", now)).toBe(now - 7_200_000);
    expect(parseSince("2026-11-24T10:00:00Z", now)).toBe(now - 7_200_000);
    expect(() => parseSince("yesterday", now)).toThrow(/--since/);
  });
});
