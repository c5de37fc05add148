import { describe, expect, it } from "vitest";
import { complianceUploadBody, idsToDelete, parseComplianceResults, parseDuration, planComplianceJobs, pollDelayMs, windowSince } from "./compliance-plan.ts";

describe("compliance planning", () => {
  it("puts each held id in exactly one job, no job over the limit, same jobs on a re-run", () => {
    const ids = Array.from({ length: 25 }, (_, i) => String(1_000_000_000_000_000_000n + BigInt(i % 20)));
    const jobs = planComplianceJobs(ids, 8);
    expect(jobs.map((j) => j.length)).toEqual([8, 8, 4]);
    expect(new Set(jobs.flat()).size).toBe(20);
    expect(planComplianceJobs([...ids].reverse(), 8)).toEqual(jobs);
  });

  it("names the position of a value that is not a post id", () => {
    expect(() => planComplianceJobs(["123", "12a"])).toThrow(/ids\[1\]: "12a" is not a post id/);
  });

  it("uploads one id per line", () => {
    expect(complianceUploadBody(["1", "2"])).toBe("1\n2\n");
  });

  it("reads 7d/36h/90m windows and refuses anything else by name", () => {
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(parseDuration("36h")).toBe(36 * 3_600_000);
    expect(() => parseDuration("week", "--since")).toThrow(/--since: "week"/);
    expect(windowSince(new Date("2026-11-24T00:00:00Z"), 86_400_000)).toEqual({ start: "2026-11-23T00:00:00.000Z", end: "2026-11-24T00:00:00.000Z" });
  });

  it("backs off polling, capped at two minutes", () => {
    expect([0, 1, 2, 3].map((a) => pollDelayMs(a))).toEqual([5000, 10000, 20000, 40000]);
    expect(pollDelayMs(30)).toBe(120_000);
  });

  it("keeps 19-digit ids exact and reports a bad results line without losing the others", () => {
    const text = '{"id":1999999999999999999,"action":"delete","created_at":"2026-11-20T01:00:00.000Z","redacted_at":"2026-11-23T00:00:00.000Z","reason":"deleted"}\n{"id":"12",\n{"id":"13","action":"delete","reason":"protected"}\n';
    const { results, errors } = parseComplianceResults(text, "job 7");
    expect(results.map((r) => r.id)).toEqual(["1999999999999999999", "13"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("job 7:2");
  });

  it("deletes for deleted/protected/suspended/deactivated but not for a geo scrub", () => {
    const r = (id: string, reason: string) => ({ id, action: "delete", created_at: null, redacted_at: null, reason });
    expect(idsToDelete([r("1", "deleted"), r("2", "scrub_geo"), r("3", "suspended"), r("3", "protected"), r("4", "deactivated")])).toEqual(["1", "3", "4"]);
  });
});
