/**
 * Direct delivery (`direct: true`, for a durable sink fed by a re-readable source): records go
 * straight to the sink, with the same resend and dead-letter rules, and never through the spool
 * unless a backlog is there first or a stop leaves records unsent.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { seededRandom, type RecordSink } from "@defi-sentiment/shared";
import { afterEach, describe, expect, it } from "vitest";
import { openDelivery } from "../src/delivery/index.ts";
import { acceptedIds, startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { makePosts, sinkFor, tempDirs } from "./delivery-fixtures.ts";

let server: StartedFirehoseServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  cleanup?.();
});

const durable = (sink: RecordSink): RecordSink => ({ putRecordBatch: (records) => sink.putRecordBatch(records), durable: true });
const spooledBytes = (spoolDir: string) =>
  readdirSync(spoolDir)
    .filter((n) => n.startsWith("segment-"))
    .reduce((n, f) => n + statSync(path.join(spoolDir, f)).size, 0);
const persistedIds = (spoolDir: string) => new Set(readFileSync(path.join(spoolDir, "recent-ids.txt"), "utf8").split("\n").filter(Boolean));
const fast = { baseMs: 2, capMs: 10 };

describe("direct delivery to a durable sink", () => {
  it("delivers every record without writing the spool, resending per-record failures, and persists the ids", { timeout: 20_000 }, async () => {
    server = await startFirehoseServer({ faults: { recordFailureRate: 0.3 }, random: seededRandom(3) });
    const dirs = tempDirs("direct");
    cleanup = dirs.cleanup;
    const posts = makePosts(1_500, 31);
    const delivery = await openDelivery({ sink: durable(sinkFor(server.url)), ...dirs, direct: true, resendPolicy: fast, random: seededRandom(1) });
    for (let i = 0; i < posts.length; i += 500) expect(await delivery.accept(posts.slice(i, i + 500))).toEqual({ accepted: 500, duplicates: 0 });
    expect((await delivery.accept(posts.slice(0, 10))).duplicates).toBe(10); // known at once, before the sink answers
    await delivery.drain();
    const stats = delivery.stats();
    await delivery.close();

    const ids = acceptedIds(server.accepted);
    expect(ids.length).toBe(posts.length);
    expect(new Set(ids)).toEqual(new Set(posts.map((p) => p.id)));
    expect(stats).toMatchObject({ delivered: posts.length, spooled: 0, deadLettered: 0 });
    expect(stats.resent).toBeGreaterThan(0);
    expect(spooledBytes(dirs.spoolDir)).toBe(0);
    expect(persistedIds(dirs.spoolDir)).toEqual(new Set(posts.map((p) => p.id)));
  });

  it("persists an id only once the sink has its record, even when the window's file is rewritten meanwhile", { timeout: 20_000 }, async () => {
    const dirs = tempDirs("direct-compact");
    cleanup = dirs.cleanup;
    const posts = makePosts(600, 35);
    // held while the window (100) is rewritten every ~100 ids, so a rewrite falls while its ids are in the window
    const held = new Set(posts.slice(230, 240).map((p) => p.id));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const acknowledged = new Set<string>();
    const sink: RecordSink = {
      durable: true,
      async putRecordBatch(records) {
        const ids = records.map((r) => (JSON.parse(Buffer.from(r).toString("utf8")) as { id: string }).id);
        if (ids.some((id) => held.has(id))) await released; // this call hangs until released
        for (const id of ids) acknowledged.add(id);
        return { failed: [] };
      },
    };
    const delivery = await openDelivery({ sink, ...dirs, direct: true, dedupeWindow: 100 });
    const persistedEarly = new Set<string>();
    for (let i = 0; i < posts.length; i += 10) {
      await delivery.accept(posts.slice(i, i + 10));
      await new Promise((r) => setTimeout(r, 2));
      // whenever the file is looked at, it holds no id whose record the sink does not have
      for (const id of persistedIds(dirs.spoolDir)) if (!acknowledged.has(id)) persistedEarly.add(id);
    }
    expect(delivery.seen(posts[230]!.id)).toBe(true); // refused as a duplicate while under way
    expect(acknowledged.has(posts[230]!.id)).toBe(false);
    expect([...persistedEarly]).toEqual([]);
    release();
    await delivery.drain();
    await delivery.close();
    expect(acknowledged.size).toBe(posts.length);
  });

  it("drains a backlog an earlier run spooled before sending direct", { timeout: 20_000 }, async () => {
    const dirs = tempDirs("direct-backlog");
    cleanup = dirs.cleanup;
    const old = makePosts(700, 32);
    const down: RecordSink = { putRecordBatch: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")) };
    const first = await openDelivery({ sink: down, ...dirs, resendPolicy: fast });
    await first.accept(old);
    await first.close();
    expect(spooledBytes(dirs.spoolDir)).toBeGreaterThan(0);

    server = await startFirehoseServer();
    const fresh = makePosts(600, 33);
    const second = await openDelivery({ sink: durable(sinkFor(server.url)), ...dirs, direct: true, resendPolicy: fast });
    await second.accept(fresh);
    await second.drain();
    const stats = second.stats();
    await second.close();
    expect(new Set(acceptedIds(server.accepted))).toEqual(new Set([...old, ...fresh].map((p) => p.id)));
    expect(stats.spooled).toBe(0);
  });

  it("spools what a stop during an outage left unsent, and the next run delivers it", { timeout: 20_000 }, async () => {
    const dirs = tempDirs("direct-stop");
    cleanup = dirs.cleanup;
    const posts = makePosts(800, 34);
    let calls = 0;
    const flaky: RecordSink = { durable: true, putRecordBatch: async () => (calls++, Promise.reject(new Error("stream closed"))) };
    const first = await openDelivery({ sink: flaky, ...dirs, direct: true, resendPolicy: fast });
    await first.accept(posts.slice(0, 500));
    await first.accept(posts.slice(500));
    await new Promise((r) => setTimeout(r, 50));
    await first.close();
    expect(calls).toBeGreaterThan(1);
    // nothing was acknowledged: every record waits in the spool, its id persisted beside it
    expect(persistedIds(dirs.spoolDir).size).toBe(posts.length);
    expect(spooledBytes(dirs.spoolDir)).toBeGreaterThan(0);

    server = await startFirehoseServer();
    const second = await openDelivery({ sink: durable(sinkFor(server.url)), ...dirs, direct: true });
    await second.drain();
    await second.close();
    expect(new Set(acceptedIds(server.accepted))).toEqual(new Set(posts.map((p) => p.id)));
  });
});
