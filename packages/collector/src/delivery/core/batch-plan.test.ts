import { FIREHOSE_LIMITS, seededRandom } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { fitsBatch, isOversizeRecord, planBatches } from "./batch-plan.ts";

const KiB = 1024;

describe("planBatches", () => {
  it("never puts more than 500 records or 4 MiB in one call, and keeps every record in order", () => {
    const r = seededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const sizes = Array.from({ length: 1 + Math.floor(r() * 3000) }, () =>
        r() < 0.7 ? 1 + Math.floor(r() * 2 * KiB) : Math.floor(r() * 1100 * KiB),
      );
      const steps = planBatches(sizes);
      const seen: number[] = [];
      for (const s of steps) {
        if (s.kind === "batch") {
          expect(s.indexes.length).toBeGreaterThan(0);
          expect(s.indexes.length).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxRecordsPerBatch);
          expect(s.bytes).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxBatchBytes);
          expect(s.bytes).toBe(s.indexes.reduce((n, i) => n + sizes[i]!, 0));
          seen.push(...s.indexes);
        } else {
          expect(s.bytes).toBeGreaterThan(FIREHOSE_LIMITS.maxRecordBytes);
          seen.push(s.index);
        }
      }
      expect(seen).toEqual(sizes.map((_, i) => i));
    }
  });

  it("fills calls greedily: a new call starts only when the next record would break a limit", () => {
    const steps = planBatches(Array(1001).fill(10));
    expect(steps.map((s) => (s.kind === "batch" ? s.indexes.length : -1))).toEqual([500, 500, 1]);
    const big = planBatches(Array(9).fill(1000 * KiB));
    expect(big.map((s) => (s.kind === "batch" ? s.indexes.length : -1))).toEqual([4, 4, 1]);
  });

  it("sends a record of exactly 1,000 KiB and dead-letters one byte more", () => {
    expect(isOversizeRecord(1000 * KiB)).toBe(false);
    expect(isOversizeRecord(1000 * KiB + 1)).toBe(true);
    const steps = planBatches([10, 1000 * KiB + 1, 20]);
    expect(steps).toEqual([
      { kind: "batch", indexes: [0], bytes: 10 },
      { kind: "oversize", index: 1, bytes: 1000 * KiB + 1 },
      { kind: "batch", indexes: [2], bytes: 20 },
    ]);
  });

  it("fitsBatch accepts up to exactly 4 MiB and 500 records", () => {
    expect(fitsBatch(499, 0, 1)).toBe(true);
    expect(fitsBatch(500, 0, 1)).toBe(false);
    expect(fitsBatch(3, 4 * 1024 * KiB - 100, 100)).toBe(true);
    expect(fitsBatch(3, 4 * 1024 * KiB - 100, 101)).toBe(false);
  });
});
