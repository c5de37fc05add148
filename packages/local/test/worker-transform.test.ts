/**
 * Packed invocations through the real scoring worker: records go over and answers come back in
 * slots of shared memory that are reused once released, and an answer is never overwritten while
 * it is still held.
 */
import { encodeFirehoseRecord, generateStreamLines, postFromStreamLine, type PackedInvocation, type PackedResponse } from "@defi-sentiment/shared";
import { eventOfPacked, packResponse } from "@defi-sentiment/lake";
import { transformRecords } from "@defi-sentiment/scorer";
import { afterAll, describe, expect, it } from "vitest";
import { startWorkerTransform } from "../src/worker-transform.ts";

const collectedAt = new Date("2026-11-20T12:00:00Z");
const posts = [...generateStreamLines(600, { seed: 11 })].map((l) => postFromStreamLine(l, "generator", collectedAt));

function invocation(records: Buffer[], n: number): PackedInvocation {
  const ends = new Uint32Array(records.length);
  let total = 0;
  records.forEach((r, i) => (ends[i] = total += r.length));
  return {
    invocationId: `inv-${n}`,
    deliveryStreamArn: "arn:local:firehose:local:000000000000:deliverystream/test",
    region: "local",
    recordIds: records.map((_, i) => `${n}.${i}`),
    arrivals: Float64Array.from(records, () => 1_764_000_000_000),
    data: Buffer.concat(records),
    ends,
  };
}

/** What the Lambda answers for the same records; scored_at is the only field that may differ. */
function expected(records: Buffer[]): PackedResponse {
  return packResponse(transformRecords(eventOfPacked(invocation(records, 0))));
}
const rows = (r: PackedResponse) => Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString().split("\n").filter(Boolean).map((l) => ({ ...JSON.parse(l), scored_at: null }));

describe("the worker transformation", () => {
  const worker = startWorkerTransform(() => {}, { workers: 1 });
  afterAll(() => worker.close());

  it("answers as the Lambda does, reusing released slots and never overwriting a held answer", async () => {
    const batches = Array.from({ length: 12 }, (_, b) => posts.slice(b * 50, b * 50 + 50).map((p) => encodeFirehoseRecord(p)));
    // the first six answers are held (their rows not yet landed) while the rest come and go
    const held: [PackedResponse, Buffer[]][] = [];
    for (let b = 0; b < 6; b++) held.push([await worker.packed(invocation(batches[b]!, b)), batches[b]!]);
    const heldSlots = worker.slots;
    expect(heldSlots).toBe(6);
    for (let b = 6; b < 12; b++) {
      // packed straight into a slot, as the delivery stream does (packMemory)
      const plain = invocation(batches[b]!, b);
      const memory = worker.memoryFor(plain.data.byteLength);
      new Uint8Array(memory).set(plain.data);
      const answer = await worker.packed({ ...plain, data: new Uint8Array(memory, 0, plain.data.byteLength) });
      expect(answer.data.buffer).toBe(memory);
      expect(answer.recordIds).toEqual(batches[b]!.map((_, i) => `${b}.${i}`));
      expect(answer.results).toEqual(expected(batches[b]!).results);
      expect(rows(answer)).toEqual(rows(expected(batches[b]!)));
      worker.release(answer.data.buffer);
    }
    // one more slot served all six later invocations, one after another
    expect(worker.slots).toBe(heldSlots + 1);
    for (const [answer, records] of held) expect(rows(answer)).toEqual(rows(expected(records)));
    for (const [answer] of held) worker.release(answer.data.buffer);
    await worker.packed(invocation(batches[0]!, 99));
    expect(worker.slots).toBe(heldSlots + 1);
  });

  it("keeps only so many free slots, and answers as before once it has dropped some", async () => {
    const small = startWorkerTransform(() => {}, { workers: 1, freeSlots: 2 });
    try {
      const batches = Array.from({ length: 5 }, (_, b) => posts.slice(b * 100, b * 100 + 100).map((p) => encodeFirehoseRecord(p)));
      const answers = await Promise.all(batches.map((records, b) => small.packed(invocation(records, b))));
      expect(small.slots).toBe(5);
      for (const a of answers) small.release(a.data.buffer);
      expect(small.slots).toBe(2);
      // the next invocations run at once: two in the kept slots, three in new ones
      const again = await Promise.all(batches.map((records, b) => small.packed(invocation(records, 10 + b))));
      again.forEach((a, b) => expect(rows(a)).toEqual(rows(expected(batches[b]!))));
      expect(small.slots).toBe(5);
    } finally {
      await small.close();
    }
  });

  it("answers in memory of its own when the answer outgrows the slot", async () => {
    // posts of little else than cashtags: each scored row lists them again, well over 1.25× the post
    const tags = Array.from({ length: 150 }, (_, i) => `$${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i / 26) | 0))}`).join(" ");
    const records = Array.from({ length: 1500 }, (_, i) => encodeFirehoseRecord({ ...posts[i % posts.length]!, id: String(1e18 + i), text: tags, cashtags: [] }));
    const answer = await worker.packed(invocation(records, 1));
    expect(answer.data.byteLength).toBeGreaterThan(1.25 * Buffer.concat(records).length);
    expect(answer.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(answer.results.every((r) => r === "Ok")).toBe(true);
    expect(rows(answer)).toEqual(rows(expected(records)));
  });
});
