import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeFirehoseRecord, generateStreamLines, postFromStreamLine } from "@defi-sentiment/shared";
import { openLocalPipeline } from "../src/local-pipeline.ts";
import { objectLines } from "./lake-lines.ts";

let lake: string;
beforeEach(() => (lake = mkdtempSync(path.join(os.tmpdir(), "bad-"))));
afterEach(() => rmSync(lake, { recursive: true, force: true }));

const good = () =>
  [...generateStreamLines(20, { seed: 9 })].map((l) => postFromStreamLine(l, "generator", new Date("2026-11-20T00:00:00Z")));

/** Hostile records a broken or malicious producer could send; each must fail alone. */
function hostile(): [name: string, data: Buffer][] {
  const base = good()[0]!;
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  return [
    ["truncated JSON", Buffer.from('{"id":"1","text":"cut')],
    ["invalid UTF-8", Buffer.concat([Buffer.from('{"id":"2","text":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')])],
    ["deeply nested JSON", Buffer.from(deep)],
    ["id above 2^53 as a number", Buffer.from(JSON.stringify({ ...base, id: 0 }).replace('"id":0', '"id":18600000000000000012345'))],
    ["wrong types", encodeFirehoseRecord({ ...base, like_count: "many", author_id: 12 })],
    ["not an object", Buffer.from("42\n")],
    ["empty", Buffer.from("")],
    ["huge text (990 KiB)", encodeFirehoseRecord({ ...base, id: "77", text: "<script>x</script>".repeat(55_000) })],
    ["binary", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
  ];
}

describe("bad input through the local pipeline", () => {
  it("turns each hostile record into an error record and keeps every good neighbour", async () => {
    const p = await openLocalPipeline({ lakeDir: lake });
    const posts = good();
    const bad = hostile();
    // Interleave: good, bad, good, bad, …
    const batch: Buffer[] = [];
    posts.forEach((post, i) => {
      batch.push(encodeFirehoseRecord(post));
      if (bad[i]) batch.push(bad[i]![1]);
    });
    const res = await p.stream.putRecordBatch(batch);
    expect(res.failed).toEqual([]);
    await p.stream.flush();
    // The huge text and the big numeric id are valid posts (the id kept exactly, not rounded);
    // everything else hostile fails alone.
    expect(await p.warehouse.count()).toBe(posts.length + 2);
    expect(await p.warehouse.query("SELECT id FROM scored_posts WHERE id LIKE '186000000000000000%'")).toEqual([{ id: "18600000000000000012345" }]);
    const errors = objectLines(path.join(lake, "errors", "processing-failed")).map((l) => JSON.parse(l));
    expect(errors).toHaveLength(bad.length - 2);
    for (const e of errors) expect(e.reason).toMatch(/\S/);
    const big = await p.warehouse.query("SELECT length(text) AS n FROM scored_posts WHERE id = '77'");
    expect(big).toEqual([{ n: 55_000 * 18 }]);
    await p.close();
  });
});
