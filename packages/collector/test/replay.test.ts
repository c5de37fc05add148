import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeNdjson, postFromStreamLine, rawPrefix, type Post } from "@defi-sentiment/shared";
import { generatorSource } from "../src/sources/generator.ts";
import { newReplayStats, replaySource } from "../src/sources/replay.ts";
import { streamLineJson, xLine } from "./x-server.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "replay-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T = "2026-11-20T10:00:00.000Z";

async function collect(it: AsyncIterable<Post[]>) {
  const out: Post[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

describe("replay", () => {
  it("reads stream lines, a search page, and gzipped lake Posts; a bad line is counted with file:line and its neighbours kept", async () => {
    const stream = join(dir, "stream.jsonl");
    writeFileSync(stream, [streamLineJson(xLine(1, T)), streamLineJson(xLine(2, T)).slice(0, 50), "", streamLineJson(xLine(3, T))].join("\r\n") + "\r\n");
    const page = join(dir, "page.json");
    const l4 = xLine(4, T);
    const l5 = xLine(5, T);
    writeFileSync(page, JSON.stringify({ data: [l4.data, l5.data], includes: { users: [...l4.includes!.users!, ...l5.includes!.users!] }, meta: { result_count: 2 } }, null, 2));
    const lakeDir = join(dir, "lake", rawPrefix(T));
    mkdirSync(lakeDir, { recursive: true });
    const lakePosts = [6, 7].map((n) => postFromStreamLine(xLine(n, T), "stream", new Date(T)));
    writeFileSync(join(lakeDir, "part-0.ndjson.gz"), gzipSync(encodeNdjson([...lakePosts, { ...lakePosts[0]!, id: "8", like_count: -1 }])));
    writeFileSync(join(dir, "lake", "notes.txt"), "not replayed");

    const stats = newReplayStats();
    const posts = await collect(replaySource({ paths: [stream, page, join(dir, "lake")], stats }));
    expect(posts.map((p) => Number(BigInt(p.id) - 1_800_000_000_000_000_000n))).toEqual([1, 3, 4, 5, 6, 7]);
    expect(posts[0]!.rule_ids).toEqual(["1900000000000000001"]);
    expect(posts[0]!.source).toBe("replay");
    expect(posts[4]!.source).toBe("stream"); // a lake Post keeps its original source
    expect(stats).toMatchObject({ files: 3, posts: 6, badLines: 2 });
    expect(stats.errors.map((e) => e.where)).toEqual([`${stream}:2`, expect.stringMatching(/part-0\.ndjson\.gz:3$/)]);
    expect(stats.errors[0]!.reason).toMatch(/invalid JSON/);
    expect(stats.errors[1]!.reason).toMatch(/not a valid Post: like_count/);
  });

  it("names a missing path", async () => {
    await expect(collect(replaySource({ paths: [join(dir, "nope.jsonl")] }))).rejects.toThrow(/nope\.jsonl: no such file/);
  });
});

describe("generator source", () => {
  it("yields the seeded synthetic posts in batches, same seed same posts", async () => {
    const a = await collect(generatorSource({ count: 1200, seed: 7, batchSize: 500 }));
    const b = await collect(generatorSource({ count: 1200, seed: 7 }));
    expect(a).toHaveLength(1200);
    expect(a.map((p) => p.id)).toEqual(b.map((p) => p.id));
    expect(a.map((p) => p.text)).toEqual(b.map((p) => p.text));
    expect(a.every((p) => p.source === "generator" && p.rule_ids.length > 0)).toBe(true);
  });
});
