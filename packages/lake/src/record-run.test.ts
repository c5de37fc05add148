import { describe, expect, it } from "vitest";
import { RecordRun } from "./record-run.ts";

describe("RecordRun", () => {
  it("keeps records back to back through growth, and packs any range with ends of its own", () => {
    const run = new RecordRun(16); // grows many times
    const records = Array.from({ length: 300 }, (_, i) => Buffer.from(`{"i":${i},"pad":"${"x".repeat(i % 37)}"}\n`));
    records.forEach((r, i) => run.push(r, 1000 + i));
    expect(run.length).toBe(300);
    expect(run.byteLength).toBe(records.reduce((n, r) => n + r.length, 0));
    records.forEach((r, i) => {
      expect(run.data(i).equals(r)).toBe(true);
      expect(run.arrivedAt(i)).toBe(1000 + i);
    });
    const { data, ends, arrivals } = run.pack(120, 130);
    expect(data.equals(Buffer.concat(records.slice(120, 130)))).toBe(true);
    expect([...ends]).toEqual(records.slice(120, 130).map((_, k) => records.slice(120, 121 + k).reduce((n, r) => n + r.length, 0)));
    expect([...arrivals]).toEqual(records.slice(120, 130).map((_, k) => 1120 + k));
    // a packed copy is its own memory: later pushes and reuse of the run do not change it
    run.push(Buffer.from("late\n"), 0);
    expect(data.subarray(0, ends[0]).equals(records[120]!)).toBe(true);
    expect(run.pack(0, 0).data.length).toBe(0);
  });
});
