import { describe, expect, it } from "vitest";
import { dtOf } from "../src/index.ts";

/** dtOf's answer or its error message, so a thrown RangeError compares too. */
function outcome(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

/** dtOf with its last-hour shortcut out of play: a stamp of another hour is looked up first. */
const unhurried = (t: string) => outcome(() => (dtOf("1999-01-01T00:00:00.000Z"), dtOf(t)));

describe("dtOf's shortcut for stamps in the hour of the one before", () => {
  it("answers as the full lookup for stamps in and out of X's form, in time order and shuffled, valid or not", () => {
    let seed = 5;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const stamps: string[] = [];
    let ms = Date.UTC(2026, 10, 3, 22, 58);
    for (let i = 0; i < 4000; i++) {
      ms += Math.floor(random() * 90_000);
      stamps.push(new Date(ms).toISOString());
    }
    // right after a good stamp, the same stamp with one char changed (a bad minute, no Z, an offset…): where a stale reuse would show
    const odd = ["2026-02-30T10:00:00.000Z", "2026-11-03T24:00:00.000Z", "2026-11-03T23:60:00.000Z", "2026-11-03T23:59:60.000Z", "2026-11-03T23:59:58.00Z", "2026-11-03T23:59:58+01:00"];
    const checked = [...stamps, ...[...stamps].sort(() => random() - 0.5)];
    let compared = 0;
    for (const s of checked) {
      const i = Math.floor(random() * 24);
      for (const t of [s, s.slice(0, i) + "06:9 Zx+-T."[Math.floor(random() * 12)] + s.slice(i + 1), s, odd[Math.floor(random() * odd.length)]!, `${s.slice(0, 14)}6${s.slice(15)}`]) {
        const expected = unhurried(t);
        dtOf(s); // the shortcut now holds s's hour
        expect(outcome(() => dtOf(t)), t).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBe(40_000);
  });
});
