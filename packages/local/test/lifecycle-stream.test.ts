/**
 * `npm start` (main) and the data lifecycle, end to end over the real local pipeline: deletion
 * notices on the X stream delete from the DuckDB table and the raw files, tombstoned posts are
 * not stored again by a replay, and the batch compliance check is scheduled only when live.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LOCAL_WAREHOUSE_FILE } from "@defi-sentiment/shared";
import { Warehouse } from "@defi-sentiment/lake";
import { fileDeletionLog, type DeletionRecord } from "@defi-sentiment/collector";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's X API test server, reused, not copied
import { postComplianceNotice, startXServer, streamLineJson, userComplianceNotice, xLine, type XServer } from "../../collector/test/x-server.ts";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's test server for X's compliance API
import { startComplianceServer, type ComplianceServer } from "../../collector/test/compliance-server.ts";
import { main } from "../src/main.ts";
import { objectLines } from "./lake-lines.ts";

let lake: string;
let x: XServer | undefined;
let compliance: ComplianceServer | undefined;
beforeEach(() => {
  lake = mkdtempSync(path.join(os.tmpdir(), "local-lifecycle-stream-"));
});
afterEach(async () => {
  await x?.close();
  await compliance?.close();
  x = compliance = undefined;
  rmSync(lake, { recursive: true, force: true });
});

/** Ids of every line of every raw object. */
const rawIds = (): string[] => objectLines(path.join(lake, "raw")).map((l) => JSON.parse(l).id as string);

async function tableIds(): Promise<string[]> {
  const wh = await Warehouse.open(path.join(lake, LOCAL_WAREHOUSE_FILE));
  try {
    return (await wh.query<{ id: string }>("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id);
  } finally {
    wh.close();
  }
}

function deletionRecords(): DeletionRecord[] {
  const root = path.join(lake, "compliance");
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((d) =>
    readFileSync(path.join(root, d, "deletions.ndjson"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as DeletionRecord),
  );
}

async function until(what: string, ok: () => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const at = (s: number) => new Date(Date.now() - 600_000 + s * 1000).toISOString();
const LOCAL = ["--lake", "", "--no-dashboard", "--exit"];
const args = (...more: string[]) => [...LOCAL.map((a) => a || lake), ...more];

describe("npm start with live X", { timeout: 60_000 }, () => {
  it("a deletion notice on the stream removes the planted posts from the table and the raw files, touches nothing else, and records the ids", async () => {
    x = await startXServer();
    const lines = Array.from({ length: 40 }, (_, i) => xLine(i + 1, at(i + 1)));
    const id = (n: number) => lines[n - 1]!.data.id;
    const author = (n: number) => lines[n - 1]!.data.author_id!;
    // Authors are n % 7: the protected author of post 6 also wrote 13, 20, 27 and 34.
    const gone = [3, 17, 6, 13, 20, 27, 34].map(id);
    x.streamReplies.push({
      steps: [
        ...lines.map((line) => ({ line })),
        { waitMs: 300 },
        postComplianceNotice("delete", { id: id(3), author_id: author(3) }, at(50)),
        postComplianceNotice("drop", { id: id(17), author_id: author(17) }, at(51)),
        userComplianceNotice("user_protect", author(6), at(52)),
      ],
    });
    const stop = new AbortController();
    const running = main(args(), { X_BEARER_TOKEN: "tok", X_API_BASE_URL: x.base, CI: "true" }, { signal: stop.signal, noticeBatch: { maxDelayMs: 100 }, compliance: { firstDelayMs: 3_600_000 } });
    await until("the notices to be applied", () => deletionRecords().some((r) => r.phase === "deleted"));
    stop.abort();
    expect(await running).toBe(0);

    const kept = lines.map((l) => l.data.id).filter((i) => !gone.includes(i)).sort();
    expect(await tableIds()).toEqual(kept);
    expect(rawIds().sort()).toEqual(kept);
    const records = deletionRecords();
    expect(records.map((r) => r.phase)).toEqual(["planned", "deleted"]);
    expect(records[1]).toMatchObject({ source: "stream-notice", author_ids: [author(6)], targets: [{ name: "local lake", removedRows: 7, removedRawRecords: 7 }], errors: [] });
    expect(records[1]!.ids.sort()).toEqual([id(3), id(17)].sort());
    expect(readFileSync(path.join(lake, "compliance", readdirSync(path.join(lake, "compliance"))[0]!, "deletions.ndjson"), "utf8")).not.toContain("synthetic post");
  });

  it("runs the batch compliance check on its interval while collecting, deleting what X reports gone", async () => {
    x = await startXServer();
    const lines = Array.from({ length: 20 }, (_, i) => xLine(i + 1, at(i + 1)));
    x.streamReplies.push({ steps: lines.map((line) => ({ line })) });
    const planted = [lines[4]!.data.id, lines[11]!.data.id];
    compliance = await startComplianceServer({ gone: new Map(planted.map((i) => [i, "deleted"])), pollsUntilComplete: 1 });
    const stop = new AbortController();
    const running = main(args(), { X_BEARER_TOKEN: "test-token", X_API_BASE_URL: x.base, X_API_BASE: compliance.base, CI: "true" }, {
      signal: stop.signal,
      compliance: { firstDelayMs: 0, intervalMs: 400, sleep: async () => {} },
    });
    // Several runs: the first may come before the posts have landed; a later one finds them.
    await until("three compliance jobs and the planted posts deleted", () => compliance!.jobs.size >= 3 && deletionRecords().some((r) => r.source === "batch-compliance" && r.phase === "deleted" && r.ids.length === 2));
    stop.abort();
    expect(await running).toBe(0);
    const jobsAtStop = compliance.jobs.size;
    await new Promise((r) => setTimeout(r, 600));
    expect(compliance.jobs.size).toBe(jobsAtStop); // stopped with npm start
    const kept = lines.map((l) => l.data.id).filter((i) => !planted.includes(i)).sort();
    expect(await tableIds()).toEqual(kept);
    expect(rawIds().sort()).toEqual(kept);
  });
});

describe("npm start without X", { timeout: 60_000 }, () => {
  it("schedules no compliance check in generator mode", async () => {
    compliance = await startComplianceServer();
    const code = await main(args("--count", "300"), { X_API_BASE: compliance.base, CI: "true" }, { compliance: { firstDelayMs: 0, intervalMs: 20, sleep: async () => {} } });
    expect(code).toBe(0);
    expect(compliance.requests).toEqual([]);
    expect(existsSync(path.join(lake, "compliance"))).toBe(false);
    expect(await tableIds()).toHaveLength(300);
  });

  it("a replay does not store again a post the deletion record lists", async () => {
    const lines = [1, 2, 3, 4].map((n) => xLine(n, at(n)));
    const file = path.join(lake, "..", `${path.basename(lake)}-capture.jsonl`);
    writeFileSync(file, lines.map(streamLineJson).join("\n") + "\n");
    fileDeletionLog(lake)({ phase: "deleted", source: "batch-compliance", run_id: "r", job_id: "j", window: null, checked: 4, ids: [lines[1]!.data.id], author_ids: [], reasons: { deleted: 1 }, targets: [], errors: [], at: new Date().toISOString() });
    try {
      expect(await main(args("--replay", file), { CI: "true" })).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
    const kept = [lines[0]!, lines[2]!, lines[3]!].map((l) => l.data.id).sort();
    expect(await tableIds()).toEqual(kept);
    expect(rawIds().sort()).toEqual(kept);
  });
});
