import { seededRandom } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RESEND_POLICY, planResend } from "./resend-policy.ts";

describe("backoffDelay", () => {
  it("doubles per round, stays within [half, full] of the exponential step, and never passes the cap", () => {
    const policy = { baseMs: 100, capMs: 5_000, maxPermanentAttempts: 5 };
    const r = seededRandom(3);
    for (let attempt = 1; attempt <= 40; attempt++) {
      const step = Math.min(5_000, 100 * 2 ** (attempt - 1));
      const d = backoffDelay(attempt, r, policy);
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    }
    expect(backoffDelay(1000, () => 1, policy)).toBe(5_000);
  });

  it("is jittered: the same round gives different delays", () => {
    const r = seededRandom(11);
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(6, r)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe("planResend", () => {
  const entries = ["a", "b", "c", "d"].map((id) => ({ id, permanent: 0 }));

  it("resends exactly the entries that failed with a transient code, in order", () => {
    const plan = planResend(
      entries,
      [
        { index: 3, errorCode: "ServiceUnavailableException", errorMessage: "" },
        { index: 1, errorCode: "InternalFailure", errorMessage: "" },
      ],
      (e) => e.permanent,
    );
    expect(plan.resend.map((e) => e.id)).toEqual(["b", "d"]);
    expect(plan.accepted).toBe(2);
    expect(plan.deadLetter).toEqual([]);
  });

  it("dead-letters an entry after maxPermanentAttempts non-transient failures, resending it until then", () => {
    const entry = { id: "x", permanent: 0 };
    for (let i = 1; i < DEFAULT_RESEND_POLICY.maxPermanentAttempts; i++) {
      const plan = planResend([entry], [{ index: 0, errorCode: "KMS.AccessDeniedException", errorMessage: "no" }], (e) => e.permanent);
      expect(plan.resend).toEqual([entry]);
      entry.permanent = plan.permanentCounts.get(entry)!;
    }
    const last = planResend([entry], [{ index: 0, errorCode: "KMS.AccessDeniedException", errorMessage: "no" }], (e) => e.permanent);
    expect(last.resend).toEqual([]);
    expect(last.deadLetter).toEqual([{ entry, errorCode: "KMS.AccessDeniedException", errorMessage: "no" }]);
  });

  it("rejects a failure index outside the call, naming it", () => {
    expect(() => planResend(entries, [{ index: 4, errorCode: "InternalFailure", errorMessage: "" }], () => 0)).toThrow(/index 4.*4 records/);
  });
});
