import { describe, expect, it } from "vitest";
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
