import { seededRandom } from "@defi-sentiment/shared";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RESEND_POLICY, openDelivery } from "../src/delivery/index.ts";
import { acceptedIds, startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { makePosts, readDeadLetters, recordingSleep, sinkFor, tempDirs } from "./delivery-fixtures.ts";

let server: StartedFirehoseServer | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  cleanup?.();
});

describe("delivery under per-record failures", () => {
  for (const rate of [0.1, 0.5, 0.9]) {
    it(`loses nothing at ${rate * 100} % failed records and resends exactly the failed entries`, { timeout: 20_000 }, async () => {
      server = await startFirehoseServer({ faults: { recordFailureRate: rate }, random: seededRandom(100 + rate * 10) });
      const dirs = tempDirs(`resend-${rate}`);
      cleanup = dirs.cleanup;
      const { sleep, delays } = recordingSleep();
      const posts = makePosts(1_200, 21);
      const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, sleep, random: seededRandom(5), maxBatchAgeMs: 10 });
      await delivery.accept(posts);
      await delivery.drain();
      const stats = delivery.stats();
      await delivery.close();

      // Zero loss, and (no crash) zero duplicates.
      const ids = acceptedIds(server.accepted);
      expect(ids.length).toBe(posts.length);
      expect(new Set(ids)).toEqual(new Set(posts.map((p) => p.id)));

      // After a call with failures, the next call carrying any of those records (batches are sent
      // concurrently, so it need not be the very next call) is exactly the failed entries, in order.
      const calls = server.calls;
      let rounds = 0;
      for (let i = 0; i < calls.length; i++) {
        const failed = calls[i]!.failedIndexes.map((j) => calls[i]!.data[j]!.toString());
        if (failed.length === 0) continue;
        rounds++;
        const wanted = new Set(failed);
        const resend = calls.slice(i + 1).find((c) => c.data.some((d) => wanted.has(d.toString())));
        expect(resend?.data.map((d) => d.toString())).toEqual(failed);
      }
      expect(rounds).toBeGreaterThan(0);

      // One recorded (not slept) delay per resend round; capped, jittered, exponential.
      expect(delays.length).toBe(rounds);
      expect(Math.max(...delays)).toBeLessThanOrEqual(DEFAULT_RESEND_POLICY.capMs);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(DEFAULT_RESEND_POLICY.baseMs / 2);
      if (delays.length >= 5) expect(new Set(delays).size).toBeGreaterThan(delays.length / 2);
      const failedTotal = calls.reduce((n, c) => n + c.failedRecords, 0);
      expect(stats).toMatchObject({ delivered: posts.length, resent: failedTotal, sinkErrors: failedTotal, spooled: 0, deadLettered: 0 });
    });
  }

  it("dead-letters a record the service keeps rejecting with a non-transient code, after 5 attempts, and delivers its neighbours", async () => {
    server = await startFirehoseServer({ faults: { recordFailureRate: 1, recordErrorCode: "KMS.DisabledException" } });
    const dirs = tempDirs("rejected");
    cleanup = dirs.cleanup;
    const { sleep } = recordingSleep();
    const posts = makePosts(3, 8);
    const delivery = await openDelivery({ sink: sinkFor(server.url), ...dirs, sleep, maxBatchAgeMs: 10 });
    await delivery.accept(posts);
    await delivery.drain();
    server.faults.recordFailureRate = 0;
    const more = makePosts(8, 9).slice(3); // synthetic ids are 1e18 + n whatever the seed: skip the first 3
    await delivery.accept(more);
    await delivery.drain();
    const stats = delivery.stats();
    await delivery.close();
    expect(server.calls.filter((c) => c.failedRecords === 3).length).toBe(DEFAULT_RESEND_POLICY.maxPermanentAttempts);
    const dead = readDeadLetters(dirs.deadLetterDir);
    expect(dead.map((d) => d.id)).toEqual(posts.map((p) => p.id));
    expect(dead.every((d) => d.reason === "rejected" && d.errorCode === "KMS.DisabledException")).toBe(true);
    expect(new Set(acceptedIds(server.accepted))).toEqual(new Set(more.map((p) => p.id)));
    expect(stats).toMatchObject({ deadLettered: 3, delivered: 5, spooled: 0 });
  });
});
