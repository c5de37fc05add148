/**
 * The worker scores packed invocations with `transformPacked`; it must answer exactly as the
 * Lambda's `transformRecords` does on the same invocation made into a Lambda event.
 */
import { encodeFirehoseRecord, generateStreamLines, postFromStreamLine, type PackedInvocation } from "@defi-sentiment/shared";
import { eventOfPacked, packResponse } from "@defi-sentiment/lake";
import { transformPacked, transformRecords, type LogLine, type TransformOptions } from "@defi-sentiment/scorer";
import { describe, expect, it } from "vitest";

function packedOf(records: Buffer[], id = "inv-1"): PackedInvocation {
  const ends = new Uint32Array(records.length);
  let total = 0;
  records.forEach((r, i) => (ends[i] = total += r.length));
  return {
    invocationId: id,
    deliveryStreamArn: "arn:local:firehose:local:000000000000:deliverystream/test",
    region: "local",
    recordIds: records.map((_, i) => `1.${i}`),
    arrivals: Float64Array.from(records, (_, i) => 1_764_000_000_000 + i),
    data: Buffer.concat(records),
    ends,
  };
}

const collectedAt = new Date("2026-11-20T12:00:00Z");
const posts = [...generateStreamLines(300, { seed: 7 })].map((l) => encodeFirehoseRecord(postFromStreamLine(l, "generator", collectedAt)));
const corrupt = [
  Buffer.from('{"id": "1", "text": '), // cut short
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), // not UTF-8
  Buffer.alloc(0), // empty
  Buffer.from('{"id": 12345678901234567890, "text": "big id"}\n'), // not a Post
  Buffer.from("[1,2,3]\n"),
];
const mixed = posts.flatMap((p, i) => (i % 50 === 7 ? [corrupt[((i / 50) | 0) % corrupt.length]!, p] : [p]));

function both(records: Buffer[], options: TransformOptions) {
  const logsA: LogLine[] = [];
  const logsB: LogLine[] = [];
  const now = () => new Date("2026-11-21T00:00:00Z");
  const viaEvent = packResponse(transformRecords(eventOfPacked(packedOf(records)), { ...options, now, log: (l) => logsA.push(l) }));
  const packed = transformPacked(packedOf(records), { ...options, now, log: (l) => logsB.push(l) });
  return { viaEvent, packed, logsA, logsB };
}

describe("transformPacked", () => {
  const cases: [string, TransformOptions][] = [
    ["defaults", {}],
    ["Iceberg routing", { iceberg: { database: "defi", table: "scored_posts" } }],
    ["a response budget that fails Ok records", { maxResponseBytes: 150_000 }],
    ["a budget too small for some failed records' data", { maxResponseBytes: 40_000 }],
  ];
  it.each(cases)("answers as transformRecords on the Lambda event (%s)", (_, options) => {
    const { viaEvent, packed, logsA, logsB } = both(mixed, options);
    expect(packed.recordIds).toEqual(viaEvent.recordIds);
    expect(packed.results).toEqual(viaEvent.results);
    expect([...packed.ends]).toEqual([...viaEvent.ends]);
    expect(Buffer.from(packed.data).equals(Buffer.from(viaEvent.data))).toBe(true);
    expect(logsB).toEqual(logsA);
  });

  it("fails the corrupt records only, and the budget case really fails some Ok ones", () => {
    const full = both(mixed, {}).packed;
    expect(full.results.filter((r) => r !== "Ok")).toHaveLength(6);
    const tight = both(mixed, { maxResponseBytes: 150_000 }).packed;
    expect(tight.results.filter((r) => r !== "Ok").length).toBeGreaterThan(6);
    // Ok rows are newline-terminated scored JSON, in record order
    const first = Buffer.from(tight.data).subarray(0, tight.ends[0]).toString();
    expect(JSON.parse(first).id).toBe(JSON.parse(posts[0]!.toString()).id);
    expect(first.endsWith("\n")).toBe(true);
  });

  it("answers into the memory handed in when it is big enough, and into its own otherwise", () => {
    const expected = both(posts, {}).packed;
    const roomy = new ArrayBuffer(expected.data.byteLength + 10);
    new Uint8Array(roomy).fill(0x41);
    const into = transformPacked({ ...packedOf(posts), reuse: roomy }, { now: () => new Date("2026-11-21T00:00:00Z") });
    expect(into.data.buffer).toBe(roomy);
    expect(Buffer.from(into.data).equals(Buffer.from(expected.data))).toBe(true);
    const small = new ArrayBuffer(16);
    const own = transformPacked({ ...packedOf(posts), reuse: small }, { now: () => new Date("2026-11-21T00:00:00Z") });
    expect(own.data.buffer).not.toBe(small);
    expect(Buffer.from(own.data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it("answers over its own records when handed their memory (read first, then overwritten)", () => {
    const expected = both(mixed, {}).packed;
    const input = packedOf(mixed);
    const shared = new SharedArrayBuffer(2 * input.data.byteLength);
    new Uint8Array(shared).set(input.data);
    const out = transformPacked({ ...input, data: new Uint8Array(shared, 0, input.data.byteLength), reuse: shared }, { now: () => new Date("2026-11-21T00:00:00Z") });
    expect(out.data.buffer).toBe(shared);
    expect(out.results).toEqual(expected.results);
    expect(Buffer.from(out.data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it("answers an empty invocation", () => {
    const out = transformPacked(packedOf([]));
    expect(out.results).toEqual([]);
    expect(out.data.byteLength).toBe(0);
  });
});
