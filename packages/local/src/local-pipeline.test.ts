import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeFirehoseRecord, generateStreamLines, postFromStreamLine } from "@defi-sentiment/shared";
import { SCORER_VERSION } from "@defi-sentiment/scorer";
import { openLocalPipeline } from "./local-pipeline.ts";
import { objectLines } from "../test/lake-lines.ts";

let lake: string;
beforeEach(() => (lake = mkdtempSync(path.join(os.tmpdir(), "local-"))));
afterEach(() => rmSync(lake, { recursive: true, force: true }));

const at = new Date("2026-11-20T01:00:00.000Z");
const records = (n: number, seed = 5) => [...generateStreamLines(n, { seed })].map((l) => encodeFirehoseRecord(postFromStreamLine(l, "generator", at)));

async function send(stream: { putRecordBatch(r: Uint8Array[]): Promise<{ failed: unknown[] }> }, recs: Buffer[]) {
  for (let i = 0; i < recs.length; i += 500) expect((await stream.putRecordBatch(recs.slice(i, i + 500))).failed).toEqual([]);
}

describe("local pipeline: delivery stream → scorer handler → warehouse", () => {
  it("scores every post through the Lambda's transformation and lands one row each", async () => {
    const p = await openLocalPipeline({ lakeDir: lake, bufferBytes: 256 * 1024 });
    await send(p.stream, records(3000));
    await p.stream.flush();
    expect(await p.warehouse.count()).toBe(3000);
    const versions = await p.warehouse.query("SELECT DISTINCT scorer_version AS v FROM scored_posts");
    expect(versions).toEqual([{ v: SCORER_VERSION }]);
    const labels = await p.warehouse.ask("sentimentShare");
    expect(labels.map((l) => l.sentiment_label).sort()).toEqual(["negative", "neutral", "positive"]);
    expect(objectLines(path.join(lake, "raw"))).toHaveLength(3000);
    await p.close();
  });

  it("sending the same posts again changes no answer", async () => {
    const p = await openLocalPipeline({ lakeDir: lake });
    await send(p.stream, records(1000));
    await p.stream.flush();
    const before = {
      overview: await p.warehouse.ask("overview"),
      posts: await p.warehouse.ask("influencersByPosts"),
      countries: await p.warehouse.ask("countries"),
    };
    await send(p.stream, records(1000));
    await p.stream.flush();
    expect({
      overview: await p.warehouse.ask("overview"),
      posts: await p.warehouse.ask("influencersByPosts"),
      countries: await p.warehouse.ask("countries"),
    }).toEqual(before);
    await p.close();
  });

  it("keeps a malformed record out of the table without losing its neighbours", async () => {
    const p = await openLocalPipeline({ lakeDir: lake });
    const good = records(3);
    await p.stream.putRecordBatch([good[0]!, Buffer.from('{"id":"1","text":'), good[1]!, Buffer.from('{"id":"nope"}\n'), good[2]!]);
    await p.close();
    const reopened = await openLocalPipeline({ lakeDir: lake });
    expect(await reopened.warehouse.count()).toBe(3);
    expect(objectLines(path.join(lake, "errors", "processing-failed"))).toHaveLength(2);
    await reopened.close();
  });

  it("scores the same in worker threads (one or several) as in-process", async () => {
    const rows = async (scoreInWorker: boolean, scoringWorkers?: number) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "local-w-"));
      try {
        // small buffers and invocations: many flushes, spread over the workers
        const p = await openLocalPipeline({ lakeDir: dir, scoreInWorker, ...(scoringWorkers ? { scoringWorkers } : {}), bufferBytes: 64 * 1024 });
        await send(p.stream, records(400, 11));
        await p.stream.flush();
        const out = await p.warehouse.query("SELECT * EXCLUDE (scored_at) FROM scored_posts ORDER BY id");
        await p.close();
        return out;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const inWorker = await rows(true);
    expect(inWorker).toHaveLength(400);
    const inProcess = await rows(false);
    expect(inWorker).toEqual(inProcess);
    expect(await rows(true, 3)).toEqual(inProcess);
  });
});
