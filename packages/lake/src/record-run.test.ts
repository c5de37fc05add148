import { describe, expect, it } from "vitest";
import { RecordRun, RowPieces } from "./record-run.ts";

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

describe("RecordRun memory reuse", () => {
  it("a run on released memory and a pack into handed-back memory hold their own records, not the old ones", () => {
    const first = new RecordRun(64);
    for (let i = 0; i < 10; i++) first.push(Buffer.from(`old-${i}\n`), i);
    const old = first.pack(0, 10);
    const second = new RecordRun(64, first.release());
    expect(first.length).toBe(0);
    const fresh = Array.from({ length: 12 }, (_, i) => Buffer.from(`{"new":${i}}\n`));
    fresh.forEach((r, i) => second.push(r, 100 + i));
    fresh.forEach((r, i) => expect(second.data(i).equals(r)).toBe(true));
    // old.data's memory handed back: the next pack lands in it, sized to its own records
    const again = second.pack(2, 5, old.data.buffer as ArrayBuffer);
    expect(again.data.buffer).toBe(old.data.buffer);
    expect(again.data.equals(Buffer.concat(fresh.slice(2, 5)))).toBe(true);
    // memory too small for the records is not used
    const big = second.pack(0, 12, new ArrayBuffer(4));
    expect(big.data.equals(Buffer.concat(fresh))).toBe(true);
    expect(big.data.buffer.byteLength).toBeGreaterThanOrEqual(big.data.length);
  });
});

describe("RowPieces", () => {
  it("joins rows lying back to back in one buffer, and keeps every other row as its own piece", () => {
    const answer = Buffer.from('{"a":1}\n{"b":2}\n{"c":3}\n{"d":4}\n');
    // a buffer of its own (Buffer.from may place small buffers right after another in its pool)
    const other = Buffer.allocUnsafeSlow(8);
    other.write('{"e":5}\n');
    const rows = new RowPieces();
    rows.add(answer.subarray(0, 8));
    rows.add(answer.subarray(8, 16)); // next to the first: joined
    rows.add(answer.subarray(24, 32)); // a gap (a failed record's row left out): new piece
    rows.add(other); // another buffer: new piece
    expect(rows.rows).toBe(4);
    expect(rows.pieces.map((p) => p.toString())).toEqual(['{"a":1}\n{"b":2}\n', '{"d":4}\n', '{"e":5}\n']);
  });
});
