import {
  FIREHOSE_LIMITS,
  ScoredPostSchema,
  encodeFirehoseRecord,
  parseJsonSafe,
  type FirehoseTransformationEvent,
} from "@defi-sentiment/shared";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makePost } from "../test/make-post.ts";
import { transformRecords, type LogLine } from "./transform-records.ts";

const b64 = (v: unknown) => encodeFirehoseRecord(v).toString("base64");
const eventOf = (data: string[]): FirehoseTransformationEvent => ({
  invocationId: "invocation-1",
  deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/defi-posts",
  region: "eu-west-1",
  records: data.map((d, i) => ({ recordId: `49546986683135544286507457936321625675700192471156785154${i}`, approximateArrivalTimestamp: 1_764_000_000_000 + i, data: d })),
});
const decode = (data: string) => ScoredPostSchema.parse(parseJsonSafe(Buffer.from(data, "base64").toString("utf8")));

describe("Firehose transformation", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("scores a real-format event: Ok records carry newline-terminated ScoredPost JSON", () => {
    const event = eventOf([b64(makePost({ id: "11", text: "Aave is bullish 🚀" })), b64(makePost({ id: "12", text: "rekt by a rug" }))]);
    const res = transformRecords(event, { now: () => new Date("2026-11-04T00:00:00Z") });
    expect(res.records.map((r) => r.result)).toEqual(["Ok", "Ok"]);
    expect(res.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(Buffer.from(res.records[0]!.data, "base64").toString().endsWith("\n")).toBe(true);
    expect(decode(res.records[0]!.data).sentiment_label).toBe("positive");
    expect(decode(res.records[1]!.data).sentiment_label).toBe("negative");
    expect(res.records[0]!.metadata).toBeUndefined();
  });

  it("fails only the bad record, keeps its data, and logs why without the text", () => {
    const logs: LogLine[] = [];
    const secret = "very private words about my portfolio";
    const bad = b64({ ...makePost({ text: secret }), created_at: "yesterday" });
    const event = eventOf([b64(makePost({ id: "21" })), bad, "%%%not-base64", b64(makePost({ id: "22" }))]);
    const res = transformRecords(event, { log: (l) => logs.push(l) });
    expect(res.records.map((r) => r.result)).toEqual(["Ok", "ProcessingFailed", "ProcessingFailed", "Ok"]);
    expect(res.records[1]!.data).toBe(bad);
    const warns = logs.filter((l) => l.level === "warn");
    expect(warns.map((w) => w.recordId)).toEqual([event.records[1]!.recordId, event.records[2]!.recordId]);
    expect(String(warns[0]!.reason)).toContain("created_at");
    expect(JSON.stringify(logs)).not.toContain(secret);
    const broken = Buffer.from(`{"text":"${secret}", oops`).toString("base64");
    const logs2: LogLine[] = [];
    transformRecords(eventOf([broken]), { log: (l) => logs2.push(l) });
    expect(String(logs2[0]!.reason)).toMatch(/invalid JSON$/);
    expect(JSON.stringify(logs2)).not.toContain("private");
    expect(logs.at(-1)).toMatchObject({ level: "info", records: 4, ok: 2, failed: 2 });
  });

  it("keeps rule ids above 2^53 exact", () => {
    const json = JSON.stringify(makePost({ rule_ids: [] })).replace('"rule_ids":[]', '"rule_ids":["1585000000000000000123"]');
    const res = transformRecords(eventOf([Buffer.from(json + "\n").toString("base64")]));
    expect(decode(res.records[0]!.data).rule_ids).toEqual(["1585000000000000000123"]);
  });

  it("routes Ok records to the Iceberg table as upserts when configured", () => {
    const res = transformRecords(eventOf([b64(makePost()), "!!"]), { iceberg: { database: "defi", table: "scored_posts" } });
    expect(res.records[0]!.metadata).toEqual({ otfMetadata: { destinationDatabaseName: "defi", destinationTableName: "scored_posts", operation: "update" } });
    expect(res.records[1]!.metadata).toBeUndefined();
  });

  it("the Lambda handler reads ICEBERG_DATABASE/ICEBERG_TABLE once at load", async () => {
    vi.stubEnv("ICEBERG_DATABASE", "lake_db");
    vi.stubEnv("ICEBERG_TABLE", "posts");
    const { handler } = await import("./firehose-handler.ts");
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const res = await handler(eventOf([b64(makePost())]));
    spy.mockRestore();
    expect(res.records[0]!.metadata?.otfMetadata).toMatchObject({ destinationDatabaseName: "lake_db", destinationTableName: "posts", operation: "update" });
  });

  it("fails the records that would push the response past the size limit, and says so", () => {
    const posts = Array.from({ length: 6 }, (_, i) => b64(makePost({ id: String(100 + i), text: "x".repeat(3000) })));
    const logs: LogLine[] = [];
    const limit = 12_000;
    const res = transformRecords(eventOf(posts), { maxResponseBytes: limit, log: (l) => logs.push(l) });
    expect(res.records.map((r) => r.recordId)).toEqual(eventOf(posts).records.map((r) => r.recordId));
    expect(Buffer.byteLength(JSON.stringify(res))).toBeLessThanOrEqual(limit);
    expect(res.records[0]!.result).toBe("Ok");
    expect(res.records.at(-1)!.result).toBe("ProcessingFailed");
    expect(logs.some((l) => String(l.reason).includes("response size limit"))).toBe(true);
  });

  it("logs the response size exactly, with and without Iceberg routing", () => {
    for (const iceberg of [undefined, { database: "defi", table: "scored_posts" }]) {
      const logs: LogLine[] = [];
      const event = eventOf([b64(makePost({ text: "déjà vu 🚀 \"quoted\"" })), "!!", b64({ ...makePost(), like_count: -1 })]);
      event.records[1]!.recordId = 'id with "quotes" and ü';
      const res = transformRecords(event, { log: (l) => logs.push(l), ...(iceberg ? { iceberg } : {}) });
      expect(logs.at(-1)!.responseBytes).toBe(Buffer.byteLength(JSON.stringify(res)));
    }
  });

  it("stays under the real 6 MB limit with a full batch of large records", () => {
    const big = b64(makePost({ text: "bullish ".repeat(6000) }));
    const event = eventOf(Array.from({ length: 150 }, () => big));
    const res = transformRecords(event);
    expect(res.records).toHaveLength(150);
    expect(Buffer.byteLength(JSON.stringify(res))).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxTransformResponseBytes);
    expect(res.records.some((r) => r.result === "ProcessingFailed")).toBe(true);
  }, 30_000);
});

describe("Firehose transformation fuzz", () => {
  // seeded, bounded: same inputs every run
  let seed = 0x5eed;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
  const randomJson = (depth = 0): unknown => {
    const k = Math.floor(rand() * 7);
    if (depth > 3 || k === 0) return rand() < 0.5 ? null : Math.floor(rand() * 1e20);
    if (k === 1) return "🚀 rug".repeat(Math.floor(rand() * 5));
    if (k === 2) return rand() < 0.5;
    if (k === 3) return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(depth + 1));
    if (k === 4) return { ...makePost(), text: randomJson(depth + 1) };
    if (k === 5) return { ...makePost(), like_count: -1 };
    return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`k${i}`, randomJson(depth + 1)]));
  };

  it("answers random bytes, random JSON and valid posts with every recordId exactly once, in order", () => {
    for (let round = 0; round < 30; round++) {
      const data = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => {
        const r = rand();
        if (r < 0.3) return randomBytes(Math.floor(rand() * 200)).toString("base64");
        if (r < 0.6) return Buffer.from(JSON.stringify(randomJson())).toString("base64");
        if (r < 0.7) return randomBytes(50).toString("latin1");
        return b64(makePost({ id: String(Math.floor(rand() * 1e9)), text: String(randomJson()) }));
      });
      const event = eventOf(data);
      const res = transformRecords(event);
      expect(res.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
      for (const r of res.records) {
        expect(["Ok", "ProcessingFailed"]).toContain(r.result);
        if (r.result === "Ok") expect(() => decode(r.data)).not.toThrow();
      }
    }
  });

  it("survives malformed events and huge records without throwing", () => {
    const huge = b64(makePost({ text: "a".repeat(900_000) }));
    const res = transformRecords(eventOf([huge, huge, huge, huge, huge, huge, huge, huge]));
    expect(res.records).toHaveLength(8);
    expect(Buffer.byteLength(JSON.stringify(res))).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxTransformResponseBytes);
    expect(transformRecords({} as FirehoseTransformationEvent).records).toEqual([]);
    const weird = { invocationId: "x", deliveryStreamArn: "", region: "", records: [{ recordId: "r1", data: 42 }, null] } as unknown as FirehoseTransformationEvent;
    const out = transformRecords(weird);
    expect(out.records.map((r) => r.result)).toEqual(["ProcessingFailed", "ProcessingFailed"]);
    expect(out.records[0]!.recordId).toBe("r1");
  }, 30_000);
});
