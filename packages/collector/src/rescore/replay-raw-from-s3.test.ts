import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { replayRawFromS3 } from "./replay-raw-from-s3.ts";
import { startS3Server, type LocalS3 } from "../../test/s3-server.ts";

const post = (id: string, author = "7") => JSON.stringify({ id, text: "gm", created_at: "2026-11-20T01:00:00.000Z", author_id: author });

describe("raw replay from S3 (against s3rver)", { timeout: 30_000 }, () => {
  let local: LocalS3;
  let dir: string;
  beforeAll(async () => {
    local = await startS3Server("lake");
    dir = mkdtempSync(path.join(os.tmpdir(), "replay-"));
  });
  afterAll(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const put = (key: string, lines: string[]) => local.put(key, lines);

  it("replays raw objects into a stream, resending refused records, resuming after an interruption", async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => String(2_000_000_000_000_000_000n + BigInt(i)));
    for (let f = 0; f < 4; f++) await put(`replay/raw/dt=2026-11-2${f}/hour=00/r${f}.ndjson.gz`, ids.slice(f * 300, f * 300 + 300).map((id) => post(id)));
    const accepted: string[] = [];
    let refuseNext = true;
    const sink = {
      async putRecordBatch(records: Uint8Array[]) {
        expect(records.length).toBeLessThanOrEqual(500);
        const failed = refuseNext ? [{ index: 1, errorCode: "ServiceUnavailableException", errorMessage: "slow down" }] : [];
        refuseNext = false;
        records.forEach((r, i) => failed.some((f) => f.index === i) || accepted.push(JSON.parse(Buffer.from(r).toString()).id));
        return { failed };
      },
    };
    const checkpointFile = path.join(dir, "replay-checkpoint.json");
    const stop = new AbortController();
    const first = await replayRawFromS3({ s3: local.s3, bucket: "lake", keyPrefix: "replay", sink, runId: "v9", checkpointFile, signal: stop.signal, sleep: async () => {}, onProgress: (p) => p.objectsDone === 2 && stop.abort() });
    expect(first).toMatchObject({ status: "aborted", objectsProcessed: 2, records: 600, failed: 0 });
    const second = await replayRawFromS3({ s3: local.s3, bucket: "lake", keyPrefix: "replay", sink, runId: "v9", checkpointFile, sleep: async () => {} });
    expect(second).toMatchObject({ status: "complete", objectsSkipped: 2, objectsProcessed: 2, records: 600 });
    expect(accepted.sort()).toEqual(ids); // each record accepted exactly once, the refused one after a resend
  });
});
