import { describe, expect, it } from "vitest";
import { canonicalIso, isoOf, isoOfMs } from "../src/iso-time.ts";
import { seededRandom } from "../src/synthetic/generator.ts";

const viaDate = (f: () => string): string => {
  try {
    return f();
  } catch (err) {
    return `throws ${(err as Error).name}`;
  }
};

describe("isoOfMs", () => {
  it("writes what toISOString writes, across years, leap days and day boundaries", () => {
    const r = seededRandom(1);
    const samples = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor(r() * 253_402_300_800_000));
    for (let i = 0; i < 2_000; i++) samples.push(Date.UTC(2024 + Math.floor(r() * 4), 1, 28) + Math.floor(r() * 3 * 86_400_000));
    for (const ms of samples) expect(isoOfMs(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it("hands what it does not format itself to Date: before 1970, after 9999, fractions, invalid", () => {
    for (const ms of [-1, -62_198_755_200_000, 253_402_300_800_000, 1.5]) expect(isoOfMs(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoOfMs(Number.NaN)).toThrow(RangeError);
    expect(isoOf(new Date("2026-11-16T17:00:13.124Z"))).toBe("2026-11-16T17:00:13.124Z");
  });
});

describe("canonicalIso", () => {
  it("agrees with new Date(text).toISOString() on canonical, other-format and impossible timestamps", () => {
    const cases = [
      "2026-11-16T17:00:13.124Z", "2024-02-29T00:00:00.000Z", "2023-02-29T00:00:00.000Z", "2026-04-31T10:00:00.000Z",
      "2026-13-01T00:00:00.000Z", "2026-00-10T00:00:00.000Z", "2026-11-16T17:00:13Z", "2026-11-16T17:00:13.124+02:00",
      "2026-11-16", "2000-02-29T23:59:59.999Z", "1900-02-29T00:00:00.000Z", "not a date", "",
    ];
    for (const text of cases) expect(viaDate(() => canonicalIso(text)), text).toBe(viaDate(() => new Date(text).toISOString()));
  });
});

describe("canonicalIso, fuzzed", () => {
  it("agrees with new Date(text).toISOString() on 200k timestamps with a character changed, dropped or added", () => {
    const r = seededRandom(7);
    const alphabet = "0123456789-:.TZ+ x";
    for (let i = 0; i < 200_000; i++) {
      let text = new Date(Math.floor(r() * 253_402_300_800_000)).toISOString();
      const at = Math.floor(r() * text.length);
      const c = alphabet[Math.floor(r() * alphabet.length)]!;
      const op = Math.floor(r() * 4);
      // 0: unchanged; 1: one character replaced; 2: one removed; 3: one inserted
      if (op === 1) text = text.slice(0, at) + c + text.slice(at + 1);
      else if (op === 2) text = text.slice(0, at) + text.slice(at + 1);
      else if (op === 3) text = text.slice(0, at) + c + text.slice(at);
      expect(viaDate(() => canonicalIso(text)), text).toBe(viaDate(() => new Date(text).toISOString()));
    }
  });
});
