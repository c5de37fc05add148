import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDelivery } from "../src/delivery/index.ts";
import { acceptedIds, startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { makePosts, readDeadLetters, sinkFor, tempDirs } from "./delivery-fixtures.ts";
import type { Post } from "@defi-sentiment/shared";

let server: StartedFirehoseServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  cleanup?.();
});

describe("dedupe by post id", () => {
  it("delivers posts accepted twice only once, and says how many were duplicates", async () => {
    server = await startFirehoseServer();
    const dirs = tempDirs("dedupe");
    cleanup = dirs.cleanup;
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 5 });
    const posts = makePosts(300, 2);
    expect(await delivery.accept(posts.slice(0, 200))).toEqual({ accepted: 200, duplicates: 0 });
    expect(await delivery.accept(posts.slice(100))).toEqual({ accepted: 100, duplicates: 100 });
    expect(await delivery.accept([posts[5]!, posts[5]!])).toEqual({ accepted: 0, duplicates: 2 });
    await delivery.drain();
    expect(delivery.seen(posts[299]!.id)).toBe(true);
    expect(delivery.seen("42")).toBe(false);
    expect(delivery.stats()).toMatchObject({ received: 402, duplicates: 102, delivered: 300 });
    await delivery.close();
    expect(acceptedIds(server.accepted)).toEqual(posts.map((p) => p.id));
  });

  it("still recognises them after a restart, within the window, and forgets the oldest beyond it", async () => {
    server = await startFirehoseServer();
    const dirs = tempDirs("dedupe-restart");
    cleanup = dirs.cleanup;
    const posts = makePosts(1_000, 3);
    const first = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 5, dedupeWindow: 300 });
    for (let i = 0; i < posts.length; i += 50) await first.accept(posts.slice(i, i + 50));
    await first.drain();
    await first.close();
    // The file was compacted (never more than twice the window).
    expect(readFileSync(path.join(dirs.spoolDir, "recent-ids.txt"), "utf8").split("\n").filter(Boolean).length).toBeLessThanOrEqual(600);

    const second = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 5, dedupeWindow: 300 });
    expect(second.seen(posts[999]!.id)).toBe(true);
    expect(second.seen(posts[700]!.id)).toBe(true);
    expect(second.seen(posts[0]!.id)).toBe(false);
    expect(await second.accept(posts.slice(700))).toEqual({ accepted: 0, duplicates: 300 });
    await second.drain();
    await second.close();
    expect(server.accepted.length).toBe(1_000);
  });

  it("dead-letters a post without a string id and keeps its neighbours", async () => {
    server = await startFirehoseServer();
    const dirs = tempDirs("invalid");
    cleanup = dirs.cleanup;
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 5 });
    const [a, b] = makePosts(2, 4);
    const broken = { ...a!, id: 17 } as unknown as Post;
    expect(await delivery.accept([a!, broken, b!])).toEqual({ accepted: 2, duplicates: 0 });
    await delivery.drain();
    await delivery.close();
    expect(acceptedIds(server.accepted)).toEqual([a!.id, b!.id]);
    const dead = readDeadLetters(dirs.deadLetterDir);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ reason: "invalid", errorMessage: "accept: posts[1] has no string id" });
  });
});

describe("spool recovery", () => {
  it("drops a torn last line (an append that never resolved) and delivers every complete record", async () => {
    server = await startFirehoseServer({ faults: { outage: { calls: Number.POSITIVE_INFINITY, kind: "unavailable-500" } } });
    const dirs = tempDirs("torn");
    cleanup = dirs.cleanup;
    const posts = makePosts(20, 5);
    const first = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 60_000 });
    await first.accept(posts);
    await first.close();
    const segment = readdirSync(dirs.spoolDir).find((n) => n.startsWith("segment-"))!;
    appendFileSync(path.join(dirs.spoolDir, segment), '{"id":"1999999999999999999","text":"half a rec');

    server.faults.outage = undefined;
    const second = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 60_000 });
    expect(second.stats().spooled).toBe(20);
    await second.drain();
    await second.close();
    expect(acceptedIds(server.accepted)).toEqual(posts.map((p) => p.id));
  });

  it("remembers ids of posts that reached the spool even if the ids file never got them", async () => {
    server = await startFirehoseServer({ faults: { outage: { calls: Number.POSITIVE_INFINITY, kind: "unavailable-500" } } });
    const dirs = tempDirs("ids-lost");
    cleanup = dirs.cleanup;
    const posts = makePosts(10, 6);
    const first = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 60_000 });
    await first.accept(posts);
    await first.close();
    // Simulate kill -9 between the spool fsync and the ids append.
    writeFileSync(path.join(dirs.spoolDir, "recent-ids.txt"), "");
    server.faults.outage = undefined;
    const second = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 60_000 });
    expect(await second.accept(posts)).toEqual({ accepted: 0, duplicates: 10 });
    await second.drain();
    await second.close();
    expect(acceptedIds(server.accepted)).toEqual(posts.map((p) => p.id));
  });
});
