import { FIREHOSE_LIMITS, seededRandom } from "@defi-sentiment/shared";
import { afterEach, describe, expect, it } from "vitest";
import { openDelivery } from "../src/delivery/index.ts";
import { acceptedIds, startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { makePosts, postOfRecordSize, readDeadLetters, sinkFor, tempDirs } from "./delivery-fixtures.ts";

const KiB = 1024;
let server: StartedFirehoseServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  cleanup?.();
});

describe("delivery batching through the Firehose SDK", () => {
  it("keeps every call within 500 records and 4 MiB, dead-letters oversize records, delivers all the rest", { timeout: 30_000 }, async () => {
    server = await startFirehoseServer();
    const dirs = tempDirs("batching");
    cleanup = dirs.cleanup;
    const r = seededRandom(42);
    const base = makePosts(1)[0]!;
    // 2,000 records: mostly up to 3 KiB, 2.5 % anywhere from 0 to 1,100 KiB (so some above 1,000 KiB).
    const posts = Array.from({ length: 2_000 }, (_, i) => {
      const big = r() < 0.025;
      const size = big ? Math.floor(r() * 1100 * KiB) : Math.floor(r() * 3 * KiB);
      return postOfRecordSize(base, String(2_000_000_000_000_000_000n + BigInt(i)), Math.max(size, 1_000));
    });
    const oversize = new Set(posts.filter((p) => Buffer.byteLength(JSON.stringify(p) + "\n") > FIREHOSE_LIMITS.maxRecordBytes).map((p) => p.id));
    expect(oversize.size).toBeGreaterThan(0);

    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 50 });
    for (let i = 0; i < posts.length; i += 250) await delivery.accept(posts.slice(i, i + 250));
    await delivery.drain();
    const stats = delivery.stats();
    await delivery.close();

    expect(server.calls.every((c) => c.outcome === "ok")).toBe(true);
    for (const c of server.calls) {
      expect(c.records).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxRecordsPerBatch);
      expect(c.bytes).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxBatchBytes);
    }
    expect(Math.max(...server.calls.map((c) => c.bytes))).toBeGreaterThan(3 * 1024 * KiB);
    const delivered = acceptedIds(server.accepted);
    expect(delivered.length).toBe(new Set(delivered).size);
    expect(new Set(delivered)).toEqual(new Set(posts.map((p) => p.id).filter((id) => !oversize.has(id))));
    const dead = readDeadLetters(dirs.deadLetterDir);
    expect(new Set(dead.map((d) => d.id))).toEqual(oversize);
    expect(dead.every((d) => d.reason === "oversize" && d.bytes > FIREHOSE_LIMITS.maxRecordBytes)).toBe(true);
    expect(JSON.parse(dead[0]!.record).id).toBe(dead[0]!.id);
    expect(stats).toMatchObject({ received: 2_000, delivered: 2_000 - oversize.size, deadLettered: oversize.size, spooled: 0, duplicates: 0, resent: 0 });
  });

  it("fills calls to the 500-record limit when the backlog allows", async () => {
    server = await startFirehoseServer();
    const dirs = tempDirs("fill");
    cleanup = dirs.cleanup;
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 60_000 });
    await delivery.accept(makePosts(1_250, 5));
    await delivery.drain();
    await delivery.close();
    // Sorted: the last two calls go out concurrently and may reach the server in either order.
    expect(server.calls.map((c) => c.records).sort((a, b) => b - a)).toEqual([500, 500, 250]);
  });

  it("flushes a partial batch once it is maxBatchAgeMs old, without drain", async () => {
    server = await startFirehoseServer();
    const dirs = tempDirs("age");
    cleanup = dirs.cleanup;
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 30 });
    await delivery.accept(makePosts(3, 9));
    for (let i = 0; i < 500 && delivery.stats().spooled > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(delivery.stats()).toMatchObject({ spooled: 0, delivered: 3 });
    expect(server.accepted.length).toBe(3);
    expect(server.calls).toHaveLength(1);
    await delivery.close();
  });
});
