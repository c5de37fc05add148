/**
 * Deletion notices on the stream and tombstones, through `runCollector` against the local X API
 * server: notices delete from every target (in batches, recorded), are neither posts nor bad
 * lines, and a deleted post never comes back through the stream, search or a replay.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Post } from "@defi-sentiment/shared";
import type { DeletionRecord } from "../src/compliance/deletion-log.ts";
import type { DeletionTarget } from "../src/compliance/deletion-target.ts";
import { fileDeletionLog, deletionLogPath } from "../src/compliance/deletion-log.ts";
import { readDeletionTombstones } from "../src/compliance/deletion-tombstones.ts";
import { runCollector } from "../src/run-collector.ts";
import { arraySink } from "./array-sink.ts";
import { legacyDeleteNotice, postComplianceNotice, startXServer, streamLineJson, userComplianceNotice, xLine, type XServer } from "./x-server.ts";

/** A store holding what the sink received, deleting for real (the target contract, no mocks of our code). */
function heldTarget(name: string, held: Post[], fail: { times: number } = { times: 0 }): DeletionTarget & { calls: number } {
  const remove = (drop: (p: Post) => boolean) => {
    if (fail.times > 0) {
      fail.times--;
      throw new Error(`${name} unavailable`);
    }
    let n = 0;
    for (let i = held.length - 1; i >= 0; i--) {
      if (!drop(held[i]!)) continue;
      held.splice(i, 1);
      n++;
    }
    return { removedRows: n, removedRawRecords: n };
  };
  const t = {
    name,
    calls: 0,
    deletePosts: async (ids: string[]) => (t.calls++, remove((p) => ids.includes(p.id))),
    deleteAuthorPosts: async (authors: string[]) => remove((p) => authors.includes(p.author_id)),
  };
  return t;
}

let dir: string;
let server: XServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "deletion-notices-"));
  server = await startXServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base });
const at = (s: number) => new Date(Date.now() - 120_000 + s * 1000).toISOString();

describe("deletion notices on the stream", () => {
  it("delete the noticed posts and all posts of a protected author from every target, in one recorded batch, and are neither posts nor bad lines", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => xLine(i + 1, at(i + 1)));
    const p = (n: number) => lines[n - 1]!.data;
    // Authors are n % 7: posts 3 and 10 share one.
    server.streamReplies.push({
      steps: [
        ...lines.map((line) => ({ line })),
        { waitMs: 100 },
        postComplianceNotice("delete", { id: p(2).id, author_id: p(2).author_id! }, at(20)),
        userComplianceNotice("user_protect", p(3).author_id!, at(21)),
        legacyDeleteNotice(p(5).id, p(5).author_id!, Date.now()),
        postComplianceNotice("withheld", { id: p(6).id, author_id: p(6).author_id! }, at(22)),
        postComplianceNotice("undrop", { id: p(7).id, author_id: p(7).author_id! }, at(23)),
        // The deleted post sent again (a duplicate delivery by X): refused.
        { line: lines[1]! },
      ],
    });
    const { sink, records } = arraySink();
    const table = heldTarget("table", records);
    const rawCopy: Post[] = [];
    const raw = heldTarget("raw", rawCopy);
    const record: DeletionRecord[] = [];
    const events: Record<string, unknown>[] = [];
    const ac = new AbortController();
    const run = await runCollector({
      sink: { putRecordBatch: async (b) => (rawCopy.push(...b.map((r) => JSON.parse(Buffer.from(r).toString()) as Post)), sink.putRecordBatch(b)) },
      dataDir: join(dir, "data"),
      env: env(),
      signal: ac.signal,
      deletionTargets: [table, raw],
      deletionLog: (r) => void record.push(r),
      noticeBatch: { maxDelayMs: 200 },
      log: (e) => {
        events.push(e);
        if (e.event === "deletion-notices-applied" || e.event === "tombstoned") {
          if (events.some((x) => x.event === "deletion-notices-applied") && events.some((x) => x.event === "tombstoned")) ac.abort();
        }
      },
    });

    const gone = [p(2).id, p(3).id, p(10).id, p(5).id, p(6).id].sort();
    const kept = lines.map((l) => l.data.id).filter((id) => !gone.includes(id)).sort();
    expect(records.map((r) => r.id).sort()).toEqual(kept);
    expect(rawCopy.map((r) => r.id).sort()).toEqual(kept);
    // One batch for all five notices, not one per notice.
    expect(record.map((r) => r.phase)).toEqual(["planned", "deleted"]);
    expect(record[1]).toMatchObject({ source: "stream-notice", author_ids: [p(3).author_id], reasons: { deleted: 2, protected: 1, withheld: 1 } });
    expect(record[1]!.ids.sort()).toEqual([p(2).id, p(5).id, p(6).id].sort());
    expect(record[1]!.targets).toEqual([{ name: "table", removedRows: 5, removedRawRecords: 5 }, { name: "raw", removedRows: 5, removedRawRecords: 5 }]);
    expect(JSON.stringify(record)).not.toContain("synthetic post");
    expect(run).toMatchObject({ source: "stream", read: 13, deletionNotices: 4, tombstoned: 1 });
    expect(events.filter((e) => e.msg === "stream line skipped" || e.msg === "stream post skipped")).toEqual([]);
  });

  it("keeps deleting from the other targets when one fails, records the failure, and tries the batch again", async () => {
    const lines = [1, 2, 3].map((n) => xLine(n, at(n)));
    server.streamReplies.push({ steps: [...lines.map((line) => ({ line })), { waitMs: 50 }, postComplianceNotice("delete", { id: lines[0]!.data.id, author_id: lines[0]!.data.author_id! }, at(9))] });
    const { sink, records } = arraySink();
    const other: Post[] = [];
    const flaky = heldTarget("flaky", other, { times: 1 });
    const record: DeletionRecord[] = [];
    const events: Record<string, unknown>[] = [];
    const ac = new AbortController();
    await runCollector({
      sink: { putRecordBatch: async (b) => (other.push(...b.map((r) => JSON.parse(Buffer.from(r).toString()) as Post)), sink.putRecordBatch(b)) },
      dataDir: join(dir, "data"),
      env: env(),
      signal: ac.signal,
      deletionTargets: [flaky, heldTarget("table", records)],
      deletionLog: (r) => void record.push(r),
      noticeBatch: { maxDelayMs: 20, retryDelayMs: 50 },
      log: (e) => {
        events.push(e);
        if (e.event === "deletion-notices-applied") ac.abort();
      },
    });
    expect(record.map((r) => r.phase)).toEqual(["planned", "failed", "planned", "deleted"]);
    expect(record[1]).toMatchObject({ ids: [lines[0]!.data.id], errors: [{ target: "flaky", error: "flaky unavailable" }], targets: [{ name: "table", removedRows: 1 }] });
    expect(events.find((e) => e.event === "deletion-notices-failed")).toMatchObject({ level: "error", retrying: 1 });
    expect(records.map((r) => r.id)).not.toContain(lines[0]!.data.id);
    expect(other.map((r) => r.id)).toEqual([lines[1]!.data.id, lines[2]!.data.id]);
  });

  it("writes the notice record into the lake's compliance/ folder by default, where tombstones find it", async () => {
    const line = xLine(1, at(1));
    server.streamReplies.push({ steps: [{ line }, { waitMs: 50 }, postComplianceNotice("delete", { id: line.data.id, author_id: line.data.author_id! }, at(2))] });
    const { sink, records } = arraySink();
    const ac = new AbortController();
    await runCollector({
      sink,
      dataDir: join(dir, "lake", ".collector"),
      env: env(),
      signal: ac.signal,
      deletionTargets: [heldTarget("t", records)],
      noticeBatch: { maxDelayMs: 20 },
      log: (e) => e.event === "deletion-notices-applied" && ac.abort(),
    });
    const text = readFileSync(join(dir, "lake", deletionLogPath(new Date())), "utf8");
    expect(text.trim().split("\n").map((l) => JSON.parse(l).phase)).toEqual(["planned", "deleted"]);
    expect([...readDeletionTombstones(join(dir, "lake")).ids]).toEqual([line.data.id]);
  });
});

describe("tombstones", () => {
  const deletedBefore = (lake: string, ids: string[], authorIds: string[] = []) =>
    fileDeletionLog(lake)({ phase: "deleted", source: "batch-compliance", run_id: "r", job_id: "j", window: null, checked: 9, ids, author_ids: authorIds, reasons: { deleted: ids.length }, targets: [], errors: [], at: new Date().toISOString() });

  it("a backfill does not deliver posts the deletion record lists, and says how many it dropped", async () => {
    const lake = join(dir, "lake");
    for (let n = 1; n <= 9; n++) server.timeline.push(xLine(n, new Date(Date.now() - 3_600_000 + n * 60_000).toISOString()));
    const p = (n: number) => server.timeline[n - 1]!.data;
    deletedBefore(lake, [p(2).id, p(4).id], [p(5).author_id!]);
    const { sink, records } = arraySink();
    const events: Record<string, unknown>[] = [];
    const run = await runCollector({ sink, dataDir: join(lake, ".collector"), env: env(), argv: ["backfill", "--since", "2h"], tombstones: () => readDeletionTombstones(lake), log: (e) => events.push(e) });
    expect(records.map((r) => r.id).sort()).toEqual([1, 3, 6, 7, 8, 9].map((n) => p(n).id).sort());
    // Each of the rule set's queries finds them again: every copy is dropped and counted.
    const dropped = events.filter((e) => e.event === "tombstoned");
    expect(new Set(dropped.flatMap((e) => e.ids as string[]))).toEqual(new Set([p(2).id, p(4).id, p(5).id]));
    expect(run.tombstoned).toBe(dropped.reduce((s, e) => s + (e.dropped as number), 0));
    expect(run).toMatchObject({ delivered: 6 });
    expect(events.find((e) => e.event === "stopped")).toMatchObject({ tombstoned: run.tombstoned });
  });

  it("a replay of an old X response file does not bring a deleted post back", async () => {
    const lake = join(dir, "lake");
    const lines = [1, 2, 3].map((n) => xLine(n, at(n)));
    const file = join(dir, "capture.jsonl");
    writeFileSync(file, lines.map((l) => streamLineJson(l)).join("\n") + "\n");
    deletedBefore(lake, [lines[1]!.data.id]);
    const { sink, records } = arraySink();
    const run = await runCollector({ sink, dataDir: join(lake, ".collector"), env: {}, argv: ["--replay", file], tombstones: () => readDeletionTombstones(lake) });
    expect(records.map((r) => r.id)).toEqual([lines[0]!.data.id, lines[2]!.data.id]);
    expect(run).toMatchObject({ source: "replay", read: 3, tombstoned: 1 });
  });

  it("a gap fill after a reconnect does not deliver a post deleted by a notice before it", async () => {
    const now = Date.now();
    for (let n = 1; n <= 6; n++) server.timeline.push(xLine(n, new Date(now - 300_000 + n * 20_000).toISOString()));
    const l = (n: number) => server.timeline[n - 1]!;
    // Posts 3 and 4 are missed by the stream (disconnect); a notice deletes 3 before the gap is searched.
    server.streamReplies.push({ steps: [{ line: l(1) }, { line: l(2) }, postComplianceNotice("delete", { id: l(3).data.id, author_id: l(3).data.author_id! }, at(1)), { destroy: true }] });
    server.streamReplies.push({ steps: [{ line: l(5) }, { line: l(6) }] });
    const { sink, records } = arraySink();
    const dropped: string[] = [];
    const ac = new AbortController();
    const run = await runCollector({
      sink,
      dataDir: join(dir, "data"),
      env: env(),
      signal: ac.signal,
      deletionTargets: [heldTarget("t", records)],
      deletionLog: () => {},
      sleep: async () => {},
      log: (e) => {
        if (e.event === "tombstoned") dropped.push(...(e.ids as string[]));
        if (e.msg === "stream gap filled") ac.abort();
      },
    });
    expect(records.map((r) => r.id).sort()).toEqual([1, 2, 4, 5, 6].map((n) => l(n).data.id).sort());
    expect(new Set(dropped)).toEqual(new Set([l(3).data.id]));
    expect(run.tombstoned).toBe(dropped.length);
  });
});
