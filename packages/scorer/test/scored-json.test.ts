/** The encode stage writes JSON.stringify's bytes, and scorePost's objects take stringifyScoredPost's compiled path. */
import { generateStreamLines, parsePost, postFromStreamLine, ScoredPostSchema, stringifyScoredPost, type PackedInvocation } from "@defi-sentiment/shared";
import { describe, expect, it, vi } from "vitest";
import { scorePost } from "../src/core/score-post.ts";
import { transformPacked, transformRecords } from "../src/transform-records.ts";
import { makePost } from "./make-post.ts";

const at = new Date("2026-11-20T00:00:00.000Z");
const texts = ['say "gm" \\ to $ETH 🚀', "tab\there\nnewline", "lone \ud800 surrogate", "<b>\u2028</b>", "plain"];
const posts = [
  ...[...generateStreamLines(300, { seed: 21 })].map((l) => postFromStreamLine(l, "generator", at)),
  ...texts.map((text, i) => makePost({ id: String(900 + i), text, author_name: text, author_location: i % 2 ? text : null, hashtags: [text] })),
];

describe("ScoredPost JSON", () => {
  it("scorePost builds its objects in ScoredPostSchema's key order, so no record falls back to JSON.stringify", () => {
    const validated = posts.map((p) => parsePost(JSON.parse(JSON.stringify(p))));
    const scored = validated.map((p) => scorePost(p, at));
    expect(Object.keys(scored[0]!)).toStrictEqual(Object.keys(ScoredPostSchema.shape));
    const expected = scored.map((s) => JSON.stringify(s));
    const spy = vi.spyOn(JSON, "stringify");
    try {
      const got = scored.map((s, i) => stringifyScoredPost(s, validated[i]));
      expect(spy.mock.calls.filter(([v]) => scored.includes(v as never))).toHaveLength(0);
      expect(got).toStrictEqual(expected);
    } finally {
      spy.mockRestore();
    }
  });

  it("transformRecords and transformPacked emit exactly JSON.stringify(scorePost(post)) + newline per record", () => {
    const data = posts.map((p) => Buffer.from(JSON.stringify(p) + "\n"));
    const expected = posts.map((p) => JSON.stringify(scorePost(parsePost(JSON.parse(JSON.stringify(p))), at)) + "\n");
    const res = transformRecords({
      invocationId: "i",
      deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/x",
      region: "eu-west-1",
      records: data.map((d, i) => ({ recordId: String(i), approximateArrivalTimestamp: 0, data: d.toString("base64") })),
    }, { now: () => at });
    expect(res.records.map((r) => Buffer.from(r.data, "base64").toString("utf8"))).toStrictEqual(expected);

    const ends = new Uint32Array(data.length);
    data.reduce((end, d, i) => (ends[i] = end + d.length), 0);
    const invocation: PackedInvocation = {
      invocationId: "p",
      deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/x",
      region: "eu-west-1",
      recordIds: data.map((_, i) => String(i)),
      arrivals: new Float64Array(data.length),
      data: new Uint8Array(Buffer.concat(data)),
      ends,
    };
    const packed = transformPacked(invocation, { now: () => at });
    const out = Buffer.from(packed.data.buffer, packed.data.byteOffset, packed.data.byteLength);
    expect(Array.from(packed.ends, (end, i) => out.toString("utf8", i ? packed.ends[i - 1] : 0, end))).toStrictEqual(expected);
  });
});
