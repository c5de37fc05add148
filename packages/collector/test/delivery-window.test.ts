import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { PutRecordFailure, RecordSink } from "@defi-sentiment/shared";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RESEND_POLICY, DeliveryConfigError, openDelivery, type Delivery } from "../src/delivery/index.ts";
import { makePosts, recordingSleep, tempDirs } from "./delivery-fixtures.ts";

/** A sink run by the test: each call is handed to `answer`, which may hold it, fail records or throw. */
function scriptedSink(answer: (call: SinkCall) => Promise<{ failed: PutRecordFailure[] }>) {
  const calls: SinkCall[] = [];
  let active = 0;
  const sink: RecordSink = {
    async putRecordBatch(records) {
      const call: SinkCall = { n: calls.length, ids: records.map((r) => (JSON.parse(Buffer.from(r).toString("utf8")) as { id: string }).id), concurrent: ++active };
      calls.push(call);
      try {
        return await answer(call);
      } finally {
        active--;
      }
    },
  };
  return { sink, calls };
}

interface SinkCall {
  n: number;
  ids: string[];
  /** Calls under way when this one started, itself included. */
  concurrent: number;
}

/** An injected sleep whose first call (the first backoff) is held until `release()`. */
function heldSleep() {
  const delays: number[] = [];
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  return {
    delays,
    release: () => release(),
    sleep: (ms: number) => (delays.push(ms), delays.length === 1 ? held : Promise.resolve()),
  };
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 800; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const ackFile = (spoolDir: string) => {
  const file = path.join(spoolDir, "ack.json");
  return existsSync(file) ? readFileSync(file, "utf8") : null;
};

let cleanup: (() => void) | undefined;
let open: Delivery | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
  cleanup?.();
});

// 2,000 posts are four full batches of 500. The sink fails the very first record once (transient),
// so batch 1 goes into resend backoff, which the test holds open.
const posts = makePosts(2_000, 61);
const firstId = posts[0]!.id;
const batchIn = (list: { id: string }[], id: string) => Math.floor(list.findIndex((p) => p.id === id) / 500) + 1;
const batchOf = (id: string) => batchIn(posts, id);
const failFirstRecordOnce = () => {
  let failedOnce = false;
  return async (call: SinkCall) => {
    if (!failedOnce && call.ids[0] === firstId) {
      failedOnce = true;
      return { failed: [{ index: 0, errorCode: "ServiceUnavailableException", errorMessage: "Slow down." }] };
    }
    return { failed: [] };
  };
};

describe("several batches in flight", () => {
  it("a batch in resend backoff does not hold back the next batches, and the cursor does not pass it", async () => {
    const dirs = tempDirs("window-backoff");
    cleanup = dirs.cleanup;
    const { sink, calls } = scriptedSink(failFirstRecordOnce());
    const held = heldSleep();
    const delivery = (open = await openDelivery({ sink, ...dirs, sleep: held.sleep, maxBatchAgeMs: 60_000 }));
    await delivery.accept(posts);
    const ackBefore = ackFile(dirs.spoolDir);

    // Batches 2–4 reach the sink while batch 1 waits out its backoff…
    await until(() => delivery.stats().delivered === 1_999 && held.delays.length === 1, "batches 2–4 delivered");
    expect(calls.slice(1).map((c) => batchOf(c.ids[0]!)).sort()).toEqual([2, 3, 4]);
    // …but they are not acked past it: a crash now would resend all four batches, losing none.
    expect(ackFile(dirs.spoolDir)).toBe(ackBefore);
    expect(delivery.stats().spooled).toBe(2_000);

    held.release();
    await delivery.drain();
    // The resend of batch 1's failed record came after the later batches.
    expect(calls.map((c) => c.ids.length)).toEqual([500, 500, 500, 500, 1]);
    expect(calls[4]!.ids).toEqual([firstId]);
    expect(delivery.stats()).toMatchObject({ delivered: 2_000, resent: 1, spooled: 0, inFlight: 0 });
  });

  it("after a restart with a later batch delivered and an earlier one not, the earlier batch is sent again and nothing is lost", async () => {
    const dirs = tempDirs("window-restart");
    cleanup = dirs.cleanup;
    const first = scriptedSink(async (call) =>
      // Batch 1 keeps failing (transient), so it never completes in this run; the rest are accepted.
      call.ids.includes(firstId) ? { failed: call.ids.map((_, index) => ({ index, errorCode: "InternalFailure", errorMessage: "try again" })) } : { failed: [] },
    );
    const held = heldSleep();
    const a = (open = await openDelivery({ sink: first.sink, ...dirs, sleep: held.sleep, maxBatchAgeMs: 60_000 }));
    await a.accept(posts);
    await until(() => a.stats().delivered === 1_500 && held.delays.length === 1, "batches 2–4 delivered");
    const delivered = a.stats().delivered;
    // On disk, the cursor has not moved: this is what kill -9 leaves behind right now.
    expect(ackFile(dirs.spoolDir)).toBeNull();
    await a.close();
    open = undefined;
    expect(delivered).toBe(1_500);
    expect(ackFile(dirs.spoolDir)).toBeNull();
    expect(first.calls).toHaveLength(4);

    const second = scriptedSink(async () => ({ failed: [] }));
    const b = (open = await openDelivery({ sink: second.sink, ...dirs, maxBatchAgeMs: 60_000 }));
    expect(b.stats().spooled).toBe(2_000);
    await b.drain();
    await b.close();
    open = undefined;
    const resent = second.calls.flatMap((c) => c.ids);
    // Batch 1 arrives now; batches 2–4 arrive a second time (at-least-once: ≤ window × 500 duplicates).
    expect(resent).toEqual(posts.map((p) => p.id));
    const everAccepted = new Set([...first.calls.filter((c) => !c.ids.includes(firstId)).flatMap((c) => c.ids), ...resent]);
    expect(everAccepted).toEqual(new Set(posts.map((p) => p.id)));
  });

  it("with maxBatchesInFlight 1, a batch in backoff holds back the next one, as before", async () => {
    const dirs = tempDirs("window-one");
    cleanup = dirs.cleanup;
    const { sink, calls } = scriptedSink(failFirstRecordOnce());
    const { sleep, delays } = recordingSleep();
    const delivery = (open = await openDelivery({ sink, ...dirs, sleep, maxBatchAgeMs: 60_000, maxBatchesInFlight: 1 }));
    await delivery.accept(posts);
    await delivery.drain();
    expect(calls.map((c) => [batchOf(c.ids[0]!), c.ids.length])).toEqual([
      [1, 500],
      [1, 1],
      [2, 500],
      [3, 500],
      [4, 500],
    ]);
    expect(Math.max(...calls.map((c) => c.concurrent))).toBe(1);
    expect(delays).toHaveLength(1);
    expect(delivery.stats()).toMatchObject({ delivered: 2_000, resent: 1, spooled: 0 });
  });

  it("counts the records of every call under way in inFlight", async () => {
    const dirs = tempDirs("window-inflight");
    cleanup = dirs.cleanup;
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { sink, calls } = scriptedSink(async (call) => {
      if (call.n > 0) await gate; // the first call opens the window; the next three are held
      return { failed: [] };
    });
    const delivery = (open = await openDelivery({ sink, ...dirs, maxBatchAgeMs: 60_000 }));
    await delivery.accept(posts);
    await until(() => calls.length === 4, "three calls held");
    expect(delivery.stats().inFlight).toBe(3 * 500);
    release();
    await delivery.drain();
    expect(delivery.stats()).toMatchObject({ inFlight: 0, delivered: 2_000, spooled: 0 });
  });

  it("a whole-call error pauses every batch and starts no new one; one probe backs off until the sink answers", async () => {
    const dirs = tempDirs("window-outage");
    cleanup = dirs.cleanup;
    const many = makePosts(3_500, 62); // seven batches
    let failuresLeft = 7; // the four concurrent calls fail, then the probe fails three more times
    let arrived = 0;
    let letGo = () => {};
    const allFour = new Promise<void>((r) => (letGo = r));
    const { sink, calls } = scriptedSink(async (call) => {
      if (call.n === 0) return { failed: [] };
      if (call.n <= 4) {
        if (++arrived === 4) letGo();
        await allFour; // the window's four calls are out together when the outage starts
      }
      if (failuresLeft > 0) {
        failuresLeft--;
        throw Object.assign(new Error("Rate exceeded for stream"), { name: "ThrottlingException" });
      }
      return { failed: [] };
    });
    const { sleep, delays } = recordingSleep();
    const delivery = (open = await openDelivery({ sink, ...dirs, sleep, maxBatchAgeMs: 60_000 }));
    await delivery.accept(many);
    await delivery.drain();

    const outage = calls.slice(5, 8);
    expect(outage.every((c) => c.concurrent === 1)).toBe(true);
    expect(new Set(outage.map((c) => c.ids[0])).size).toBe(1); // the probe, again and again
    expect(calls.slice(0, 8).every((c) => batchIn(many, c.ids[0]!) <= 5)).toBe(true); // batches 6 and 7 waited
    // One exponential backoff per probe failure; the others waited without sleeping or calling.
    expect(delays).toHaveLength(4);
    delays.forEach((d, i) => {
      const step = DEFAULT_RESEND_POLICY.baseMs * 2 ** i;
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    });
    const delivered = calls.slice(8).flatMap((c) => c.ids).concat(calls[0]!.ids);
    expect(delivered.sort()).toEqual(many.map((p) => p.id).sort());
    expect(delivery.stats()).toMatchObject({ delivered: 3_500, sinkErrors: 7, spooled: 0 });
  });

  it("refuses a maxBatchesInFlight that is not an integer from 1 to 64, naming the option", async () => {
    const dirs = tempDirs("window-config");
    cleanup = dirs.cleanup;
    const { sink } = scriptedSink(async () => ({ failed: [] }));
    for (const bad of [0, -1, 1.5, 65, Number.NaN]) {
      const err = await openDelivery({ sink, ...dirs, maxBatchesInFlight: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryConfigError);
      expect(String((err as Error).message)).toMatch(/openDelivery option maxBatchesInFlight: must be an integer from 1 to 64, got/);
    }
    // Nothing was opened (no spool lock left behind).
    open = await openDelivery({ sink, ...dirs, maxBatchesInFlight: 64 });
  });
});
