import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { seededRandom } from "@defi-sentiment/shared";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BATCHES_IN_FLIGHT, DEFAULT_RESEND_POLICY, openDelivery } from "../src/delivery/index.ts";
import { acceptedIds, startFirehoseServer, type OutageKind, type StartedFirehoseServer } from "./firehose-server.ts";
import { makePosts, recordingSleep, sinkFor, tempDirs } from "./delivery-fixtures.ts";

let server: StartedFirehoseServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  cleanup?.();
});

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 1_000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const spoolBytes = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.startsWith("segment-"))
    .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

describe("delivery while Firehose is down", () => {
  it("keeps the backlog on disk with one call in flight, then delivers everything once it recovers", { timeout: 30_000 }, async () => {
    server = await startFirehoseServer({ faults: { outage: { calls: Number.POSITIVE_INFINITY, kind: "unavailable-500" } } });
    const dirs = tempDirs("outage");
    cleanup = dirs.cleanup;
    const { sleep, delays } = recordingSleep();
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, sleep, random: seededRandom(1), maxBatchAgeMs: 5, segmentBytes: 256 * 1024 });
    const posts = makePosts(6_000, 33);
    const inFlight: number[] = [];
    for (let i = 0; i < posts.length; i += 300) {
      await delivery.accept(posts.slice(i, i + 300));
      inFlight.push(delivery.stats().inFlight);
    }
    await until(() => server!.calls.length >= 60, "60 failed calls");
    const down = delivery.stats();
    expect(down.delivered).toBe(0);
    expect(down.spooled).toBe(posts.length);
    // The backlog is in segment files, not in memory: RAM holds at most the one batch being retried.
    expect(spoolBytes(dirs.spoolDir)).toBeGreaterThanOrEqual(posts.reduce((n, p) => n + JSON.stringify(p).length + 1, 0));
    expect(readdirSync(dirs.spoolDir).filter((n) => n.startsWith("segment-")).length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...inFlight, down.inFlight)).toBeLessThanOrEqual(500);
    expect(new Set(server.calls.map((c) => c.records)).size).toBe(1); // the same first batch, again and again
    expect(server.maxConcurrent).toBe(1); // a whole-call error pauses new batches: nothing else is sent while down

    server.faults.outage = { calls: 0, kind: "unavailable-500" };
    await delivery.drain();
    const after = delivery.stats();
    await delivery.close();

    // While down, only the first batch probed (one call at a time); after recovery the window opens.
    expect(server.maxConcurrent).toBeLessThanOrEqual(DEFAULT_MAX_BATCHES_IN_FLIGHT);
    expect(new Set(acceptedIds(server.accepted))).toEqual(new Set(posts.map((p) => p.id)));
    expect(server.accepted.length).toBe(posts.length);
    expect(Math.max(...delays)).toBeLessThanOrEqual(DEFAULT_RESEND_POLICY.capMs);
    expect(delays.filter((d) => d >= DEFAULT_RESEND_POLICY.capMs / 2).length).toBeGreaterThan(40); // reached the cap and stayed there
    expect(after).toMatchObject({ delivered: posts.length, spooled: 0, inFlight: 0 });
    expect(after.sinkErrors).toBe(server.calls.filter((c) => c.outcome === "unavailable-500").length);
    // Fully acked segments are deleted.
    expect(readdirSync(dirs.spoolDir).filter((n) => n.startsWith("segment-")).length).toBe(1);
  });

  const kinds: OutageKind[] = ["unavailable-500", "throttling-400", "limit-exceeded-400", "reset"];
  for (const kind of kinds) {
    it(`backs off exponentially through whole-call ${kind} errors and then delivers`, async () => {
      server = await startFirehoseServer({ faults: { outage: { calls: 6, kind } } });
      const dirs = tempDirs(`kind-${kind}`);
      cleanup = dirs.cleanup;
      const { sleep, delays } = recordingSleep();
      const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, sleep, random: seededRandom(2), maxBatchAgeMs: 5 });
      const posts = makePosts(40, 4);
      await delivery.accept(posts);
      await delivery.drain();
      const stats = delivery.stats();
      await delivery.close();
      expect(server.calls.map((c) => c.outcome)).toEqual([...Array(6).fill(kind), "ok"]);
      expect(acceptedIds(server.accepted)).toEqual(posts.map((p) => p.id));
      expect(delays).toHaveLength(6);
      delays.forEach((d, i) => {
        const step = DEFAULT_RESEND_POLICY.baseMs * 2 ** i;
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      });
      expect(stats).toMatchObject({ sinkErrors: 6, resent: 6 * 40, delivered: 40 });
    });
  }

  it("redelivers a batch whose response was lost after the service accepted it (at-least-once)", async () => {
    server = await startFirehoseServer({ faults: { resetAfterAccept: 1 } });
    const dirs = tempDirs("reset-after-accept");
    cleanup = dirs.cleanup;
    const { sleep } = recordingSleep();
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, sleep, maxBatchAgeMs: 5 });
    const posts = makePosts(700, 6);
    await delivery.accept(posts);
    await delivery.drain();
    await delivery.close();
    const ids = acceptedIds(server.accepted);
    expect(new Set(ids)).toEqual(new Set(posts.map((p) => p.id)));
    expect(ids.length).toBe(700 + 500); // the first batch of 500 arrived twice, nothing else
    expect(server.calls.map((c) => [c.outcome, c.records])).toEqual([["reset-after-accept", 500], ["ok", 500], ["ok", 200]]);
  });

  it("close() during an outage stops after the call in flight and keeps the backlog for the next start", async () => {
    server = await startFirehoseServer({ faults: { outage: { calls: Number.POSITIVE_INFINITY, kind: "throttling-400" } } });
    const dirs = tempDirs("close-outage");
    cleanup = dirs.cleanup;
    const first = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 5, resendPolicy: { baseMs: 10_000, capMs: 60_000 } });
    const posts = makePosts(50, 12);
    await first.accept(posts);
    await until(() => server!.calls.length >= 1, "first call");
    const drained = first.drain();
    await first.close(); // must not wait out the 10 s backoff
    await expect(drained).rejects.toThrow(/closed.*50 records stay in the spool/);
    await expect(first.accept(posts)).rejects.toThrow(/closed/);
    await first.close(); // twice is fine

    server.faults.outage = { calls: 0, kind: "throttling-400" };
    const second = await openDelivery({ sink: sinkFor(server.url), ...dirs, maxBatchAgeMs: 60_000 });
    expect(second.stats().spooled).toBe(50);
    expect(second.seen(posts[0]!.id)).toBe(true);
    await until(() => server!.accepted.length >= 50, "backlog drained on restart without drain()");
    await second.drain();
    await second.close();
    expect(acceptedIds(server.accepted)).toEqual(posts.map((p) => p.id));
  });
});
