import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileDeletionLog, deletionLogPath, type DeletionRecord } from "./deletion-log.ts";
import { isTombstoned, readDeletionTombstones } from "./deletion-tombstones.ts";

let lake: string;
beforeEach(() => (lake = mkdtempSync(path.join(os.tmpdir(), "tombstones-"))));
afterEach(() => rmSync(lake, { recursive: true, force: true }));

const record = (over: Partial<DeletionRecord>): DeletionRecord => ({
  phase: "deleted", source: "batch-compliance", run_id: "r", job_id: "j", window: null, checked: 3, ids: [], author_ids: [], reasons: {}, targets: [], errors: [], at: "2026-11-24T10:00:00.000Z", ...over,
});

describe("deletion tombstones", () => {
  it("refuses posts the record says were deleted or planned for deletion, across days, and authors removed by notice", () => {
    const log = fileDeletionLog(lake);
    log(record({ phase: "planned", ids: ["11"] }));
    log(record({ ids: ["11", "12"], at: "2026-11-25T10:00:00.000Z" }));
    log(record({ source: "stream-notice", author_ids: ["77"] }));
    const t = readDeletionTombstones(lake);
    expect([...t.ids].sort()).toEqual(["11", "12"]);
    expect(isTombstoned(t, { id: "12", author_id: "1" })).toBe(true);
    expect(isTombstoned(t, { id: "13", author_id: "77" })).toBe(true);
    expect(isTombstoned(t, { id: "13", author_id: "1" })).toBe(false);
  });

  it("reports an unreadable line by file and line and still reads the others", () => {
    fileDeletionLog(lake)(record({ ids: ["21"] }));
    appendFileSync(path.join(lake, deletionLogPath("2026-11-24T10:00:00.000Z")), '{"phase":"deleted","ids":[\n');
    const t = readDeletionTombstones(lake);
    expect([...t.ids]).toEqual(["21"]);
    expect(t.unreadable).toEqual(["compliance/dt=2026-11-24/deletions.ndjson:2"]);
  });

  it("is empty for a lake that never deleted anything", () => {
    expect(readDeletionTombstones(lake).ids.size).toBe(0);
  });
});
