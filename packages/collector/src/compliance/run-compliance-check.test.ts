import { afterEach, describe, expect, it } from "vitest";
import { startComplianceServer, type ComplianceServer } from "../../test/compliance-server.ts";
import { httpComplianceClient } from "./compliance-client.ts";
import type { DeletionRecord } from "./deletion-log.ts";
import type { DeletionTarget } from "./deletion-target.ts";
import { applyDeletionNotices } from "./apply-deletion-notices.ts";
import { ComplianceJobError, runComplianceCheck } from "./run-compliance-check.ts";
import { DeletionTargetError } from "./deletion-target.ts";

/** A store holding ids in memory, implementing the target contract for real (no mocks of our code). */
function memoryTarget(name: string, ids: string[], authors: Record<string, string> = {}): DeletionTarget & { held: Set<string> } {
  const held = new Set(ids);
  const remove = (pred: (id: string) => boolean) => {
    let n = 0;
    for (const id of [...held]) {
      if (!pred(id)) continue;
      held.delete(id);
      n++;
    }
    return { removedRows: n, removedRawRecords: n };
  };
  return {
    name,
    held,
    deletePosts: async (del) => remove((id) => del.includes(id)),
    deleteAuthorPosts: async (a) => remove((id) => a.includes(authors[id] ?? "")),
  };
}

const id = (n: number) => String(1_000_000_000_000_000_000n + BigInt(n));
const held = Array.from({ length: 50 }, (_, i) => id(i));
const clock = () => new Date("2026-11-24T10:00:00.000Z");
const noSleep = async () => {};

let server: ComplianceServer | undefined;
afterEach(async () => server?.close());

describe("runComplianceCheck against a server speaking X's compliance-job API", () => {
  it("removes exactly the posts X reports gone from every target and records ids and counts", async () => {
    server = await startComplianceServer({ gone: new Map([[id(3), "deleted"], [id(7), "protected"], [id(9), "scrub_geo"], [id(999), "deleted"]]), pollsUntilComplete: 3 });
    const a = memoryTarget("table", held);
    const b = memoryTarget("raw", held);
    const records: DeletionRecord[] = [];
    const sleeps: number[] = [];
    const summary = await runComplianceCheck({
      client: httpComplianceClient({ bearerToken: "test-token", baseUrl: server.base }),
      idsToCheck: held,
      window: { start: "2026-11-17T10:00:00.000Z", end: "2026-11-24T10:00:00.000Z" },
      targets: [a, b],
      log: (r) => void records.push(r),
      clock,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(summary.deletedIds.sort()).toEqual([id(3), id(7)]);
    expect(a.held.size).toBe(48);
    expect(b.held.has(id(3)) || b.held.has(id(7))).toBe(false);
    expect(b.held.has(id(9))).toBe(true);
    expect(summary.targets).toEqual([{ name: "table", removedRows: 2, removedRawRecords: 2 }, { name: "raw", removedRows: 2, removedRawRecords: 2 }]);
    // Wire: create (bearer), upload to the signed URL (text/plain, no bearer), polls, download.
    const [job] = [...server.jobs.values()];
    expect(job!.uploaded).toHaveLength(50);
    expect(server.requests.map((r) => `${r.method} ${r.path.replace(/\d{19}/, ":id")}`)).toEqual([
      "POST /2/compliance/jobs", "PUT /upload/:id", "GET /2/compliance/jobs/:id", "GET /2/compliance/jobs/:id", "GET /2/compliance/jobs/:id", "GET /download/:id",
    ]);
    const put = server.requests[1]!;
    expect(put.contentType).toBe("text/plain");
    expect(put.authorization).toBeUndefined();
    expect(sleeps).toEqual([5000, 10000, 20000]);
    // Proof: planned then deleted, ids and counts, no content.
    expect(records.map((r) => r.phase)).toEqual(["planned", "deleted"]);
    expect(records[1]).toMatchObject({ source: "batch-compliance", job_id: job!.id, checked: 50, reasons: { deleted: 1, protected: 1, scrub_geo: 1 } });
    expect(records[1]!.ids.sort()).toEqual([id(3), id(7)]);
    expect(JSON.stringify(records)).not.toMatch(/"text"/);
  });

  it("splits a large id set into several jobs under the per-job limit", async () => {
    server = await startComplianceServer({ gone: new Map([[id(1), "deleted"], [id(45), "suspended"]]), pollsUntilComplete: 1 });
    const t = memoryTarget("t", held);
    const s = await runComplianceCheck({ client: httpComplianceClient({ bearerToken: "test-token", baseUrl: server.base }), idsToCheck: held, targets: [t], log: () => {}, clock, sleep: noSleep, maxIdsPerJob: 20 });
    expect(s.jobs).toHaveLength(3);
    expect([...server.jobs.values()].map((j) => j.uploaded!.length)).toEqual([20, 20, 10]);
    expect(t.held.size).toBe(48);
  });

  it("waits for X's rate-limit reset when job creation answers 429, then goes on", async () => {
    server = await startComplianceServer({
      gone: new Map([[id(2), "deleted"]]),
      createReplies: [{ status: 429, headers: { "x-rate-limit-reset": String(Date.parse("2026-11-24T10:05:00Z") / 1000) }, body: { title: "Too Many Requests" } }],
    });
    const sleeps: number[] = [];
    const t = memoryTarget("t", held);
    await runComplianceCheck({ client: httpComplianceClient({ bearerToken: "test-token", baseUrl: server.base }), idsToCheck: held, targets: [t], log: () => {}, clock, sleep: async (ms) => void sleeps.push(ms) });
    expect(sleeps[0]).toBe(5 * 60_000);
    expect(t.held.has(id(2))).toBe(false);
  });

  it("stops with an error naming the job when X fails it, deleting nothing", async () => {
    server = await startComplianceServer({ gone: new Map([[id(2), "deleted"]]), failJobs: true });
    const t = memoryTarget("t", held);
    const run = runComplianceCheck({ client: httpComplianceClient({ bearerToken: "test-token", baseUrl: server.base }), idsToCheck: held, targets: [t], log: () => {}, clock, sleep: noSleep });
    await expect(run).rejects.toThrow(ComplianceJobError);
    await expect(run).rejects.toThrow(/compliance job \d+: failed/);
    expect(t.held.size).toBe(50);
  });

  it("says which call failed and why when the token is refused", async () => {
    server = await startComplianceServer();
    const run = runComplianceCheck({ client: httpComplianceClient({ bearerToken: "wrong", baseUrl: server.base }), idsToCheck: held, targets: [], log: () => {}, clock, sleep: noSleep });
    await expect(run).rejects.toThrow(/create job .*\/2\/compliance\/jobs.*HTTP 401/);
  });

  it("still deletes from the other stores when one fails, records the failure and raises it", async () => {
    server = await startComplianceServer({ gone: new Map([[id(4), "deleted"]]) });
    const broken: DeletionTarget = { name: "broken", deletePosts: async () => { throw new Error("disk full"); } };
    const ok = memoryTarget("ok", held);
    const records: DeletionRecord[] = [];
    const run = runComplianceCheck({ client: httpComplianceClient({ bearerToken: "test-token", baseUrl: server.base }), idsToCheck: held, targets: [broken, ok], log: (r) => void records.push(r), clock, sleep: noSleep });
    await expect(run).rejects.toThrow(DeletionTargetError);
    expect(ok.held.has(id(4))).toBe(false);
    expect(records.at(-1)).toMatchObject({ phase: "failed", errors: [{ target: "broken", error: "disk full" }], ids: [id(4)] });
  });
});

describe("applyDeletionNotices", () => {
  it("removes noticed posts and all posts of a protected author, and records both", async () => {
    const t = memoryTarget("t", [id(1), id(2), id(3)], { [id(2)]: "77", [id(3)]: "77" });
    const records: DeletionRecord[] = [];
    const out = await applyDeletionNotices(
      [{ kind: "post", id: id(1), reason: "deleted", at: null }, { kind: "author", authorId: "77", reason: "protected", at: null }],
      { targets: [t], log: (r) => void records.push(r), clock },
    );
    expect(out).toEqual({ ids: [id(1)], authorIds: ["77"] });
    expect(t.held.size).toBe(0);
    expect(records[1]).toMatchObject({ phase: "deleted", source: "stream-notice", ids: [id(1)], author_ids: ["77"], targets: [{ name: "t", removedRows: 3 }] });
  });
});
