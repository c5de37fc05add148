import { describe, expect, it } from "vitest";
import { seededRandom } from "@defi-sentiment/shared";
import { SetRecentIds } from "../../../test/set-recent-ids.ts";
import { RecentIds } from "./recent-ids.ts";

describe("RecentIds", () => {
  it("remembers the last `capacity` ids and forgets the oldest first", () => {
    const ids = new RecentIds(3);
    for (const id of ["1", "2", "3", "4"]) ids.add(id);
    expect(ids.has("1")).toBe(false);
    expect(["2", "3", "4"].every((id) => ids.has(id))).toBe(true);
    expect(ids.toArray()).toEqual(["2", "3", "4"]);
    expect(ids.size).toBe(3);
  });

  it("reports an id added twice as already there and keeps memory fixed", () => {
    const ids = new RecentIds(1000);
    expect(ids.add("7")).toBe(true);
    expect(ids.add("7")).toBe(false);
    for (let i = 0; i < 10_000; i++) ids.add(String(i));
    expect(ids.size).toBe(1000);
    expect(ids.has("9999")).toBe(true);
    expect(ids.has("8999")).toBe(false);
  });

  it("rebuilds the same window from its own toArray", () => {
    const a = new RecentIds(5);
    for (let i = 0; i < 12; i++) a.add(`id${i}`);
    const b = new RecentIds(5);
    for (const id of a.toArray()) b.add(id);
    expect(b.toArray()).toEqual(a.toArray());
  });

  it("refuses a window that is not a positive integer", () => {
    expect(() => new RecentIds(0)).toThrow(/dedupeWindow/);
  });
});

const EDGE_IDS = [
  // 9/10-digit boundary: "1000000000" is hi=1, lo=0, and must not meet "1" (hi=0, lo=1)
  "1", "10", "9", "999999999", "1000000000", "1000000001", "100000000", "1999999999", "2000000000",
  // 19 digits near the top and bottom of the range
  "9999999999999999999", "9999999999999999998", "9999999999999999990", "9999999998999999999",
  "1000000000000000000", "1000000000000000001", "1000000000999999999", "4294967296000000000",
  "1234567890123456789", "1234567890123456788", "2499999999999999999", "7499999999999999999",
  // not numeric ids: leading zeros, too long, not ASCII digits, empty
  "0", "00", "01", "001", "0000000001", "01000000000", "09999999999999999999",
  "10000000000000000000", "99999999999999999999", "12345678901234567890123",
  "", " ", "1 ", " 1", "-1", "+1", "1e3", "1.0", "12a", "a12", "abc", "١٢٣", "１", "9999999999999999999x",
];

function randomNumericId(next: () => number): string {
  const length = 1 + Math.floor(next() * 19);
  let id = String(1 + Math.floor(next() * 9));
  for (let i = 1; i < length; i++) id += String(Math.floor(next() * 10));
  return id;
}

/** Fails with `where` and both answers when the window and the model disagree (cheap when they agree). */
function same<T>(actual: T, expected: T, where: () => string): void {
  if (actual === expected) return;
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length && actual.every((x, i) => x === expected[i])) return;
  expect(actual, where()).toEqual(expected);
}

describe("RecentIds against the Set + ring model", () => {
  it("agrees on add, has, size and toArray over random sequences with small windows", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const capacity = 1 + Math.floor(next() * 50);
      // A pool a bit larger than the window, so ids repeat, get evicted and come back; the
      // tables of small windows have 8..128 slots, so the numeric ids collide and form runs.
      const pool = [...EDGE_IDS];
      const extra = capacity + Math.floor(next() * 2 * capacity);
      for (let i = 0; i < extra; i++) pool.push(next() < 0.5 ? randomNumericId(next) : `1000000000000${Math.floor(next() * 1000)}`);
      const model = new SetRecentIds(capacity);
      const ids = new RecentIds(capacity);
      const pick = () => pool[Math.floor(next() * pool.length)]!;
      for (let step = 0; step < 400; step++) {
        const where = (what: string) => () => `seed ${seed}, capacity ${capacity}, step ${step}: ${what}`;
        const r = next();
        if (r < 0.55) {
          const id = pick();
          same(ids.add(id), model.add(id), where(`add(${JSON.stringify(id)})`));
        } else if (r < 0.95) {
          const id = pick();
          same(ids.has(id), model.has(id), where(`has(${JSON.stringify(id)})`));
        } else {
          same(ids.toArray(), model.toArray(), where("toArray()"));
        }
        same(ids.size, model.size, where("size"));
      }
      same(ids.toArray(), model.toArray(), () => `seed ${seed}: final toArray()`);
      for (const id of pool) same(ids.has(id), model.has(id), () => `seed ${seed}: final has(${JSON.stringify(id)})`);
    }
  });

  it("keeps every boundary id distinct and gives back the exact strings", () => {
    const ids = new RecentIds(EDGE_IDS.length);
    for (const id of EDGE_IDS) expect(ids.add(id), id).toBe(true);
    expect(ids.toArray()).toEqual(EDGE_IDS);
    for (const id of EDGE_IDS) expect(ids.add(id), id).toBe(false);
    expect(ids.size).toBe(EDGE_IDS.length);
    expect(ids.has("1000000000")).toBe(true);
    expect(ids.has("100000000")).toBe(true);
    expect(ids.has("10000000000")).toBe(false);
    expect(ids.has("0999999999")).toBe(false);
  });

  it("agrees with the model over a long run of generator-like ids through a large window", () => {
    const capacity = 5000;
    const model = new SetRecentIds(capacity);
    const ids = new RecentIds(capacity);
    const next = seededRandom(2026);
    for (let i = 0; i < 60_000; i++) {
      // mostly new ids, some re-reads from a little while back, some from far back
      const back = next() < 0.2 ? Math.floor(next() * 2 * capacity) : 0;
      const id = `185000${String(Math.max(0, i - back) * 7919).padStart(13, "0")}`;
      same(ids.has(id), model.has(id), () => `step ${i}: has(${id})`);
      same(ids.add(id), model.add(id), () => `step ${i}: add(${id})`);
    }
    expect(ids.size).toBe(capacity);
    expect(ids.toArray()).toEqual(model.toArray());
  });
});
