import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  FIREHOSE_LIMITS,
  encodeFirehoseRecord,
  type FirehoseTransformationEvent,
  type FirehoseTransformationResponse,
} from "@defi-sentiment/shared";
import { LocalDeliveryStream, InvalidArgumentError, eventOfPacked, packResponse, type PackedTransform } from "./local-delivery-stream.ts";
import { Warehouse } from "./warehouse.ts";
import { row } from "../test/fixtures.ts";

let dir: string;
let wh: Warehouse;
const events: FirehoseTransformationEvent[] = [];

/** A transformation with the Lambda contract: posts whose text says "bad" fail. */
async function transform(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse> {
  events.push(event);
  return {
    records: event.records.map((r) => {
      const post = JSON.parse(Buffer.from(r.data, "base64").toString("utf8"));
      if (post.text === "bad") return { recordId: r.recordId, result: "ProcessingFailed" as const, data: r.data };
      const scored = row({ id: post.id, text: post.text, created_at: post.created_at, dt: post.created_at.slice(0, 10), collected_at: post.collected_at });
      return { recordId: r.recordId, result: "Ok" as const, data: encodeFirehoseRecord(scored).toString("base64") };
    }),
  };
}

const post = (id: number, over: Record<string, unknown> = {}) =>
  encodeFirehoseRecord({ id: String(id), text: "ok", created_at: `2026-11-${10 + (id % 3)}T05:00:00.000Z`, collected_at: "2026-11-20T00:00:00.000Z", ...over });

const base64Size = (b: Buffer) => Math.ceil(b.length / 3) * 4;

function files(sub: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e);
      if (e.endsWith(".gz")) out.push(full);
      else walk(full);
    }
  };
  walk(path.join(dir, sub));
  return out.sort();
}
const lines = (file: string) => gunzipSync(readFileSync(file)).toString("utf8").trim().split("\n");

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "lds-"));
  wh = await Warehouse.open(path.join(dir, "warehouse.duckdb"));
  events.length = 0;
});
afterEach(() => {
  wh.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("local delivery stream", () => {
  it("buffers until the size threshold, then delivers through the transformation contract", async () => {
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform, bufferBytes: 4000, bufferIntervalMs: 60_000 });
    await stream.putRecordBatch([post(1), post(2)]);
    expect(events).toHaveLength(0);
    expect(await wh.count()).toBe(0);
    const batch = Array.from({ length: 40 }, (_, i) => post(100 + i));
    await stream.putRecordBatch(batch);
    // The full buffer is being processed while the next one fills.
    await expect.poll(() => wh.count(), { timeout: 3000, interval: 20 }).toBe(42);
    const ev = events[0]!;
    expect(ev.deliveryStreamArn).toMatch(/deliverystream\/defi-sentiment-local$/);
    expect(new Set(ev.records.map((r) => r.recordId)).size).toBe(ev.records.length);
    expect(Buffer.from(ev.records[0]!.data, "base64").toString()).toBe(post(1).toString());
    await stream.close();
  });

  it("flushes a partial buffer when the buffer interval passes", async () => {
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform, bufferBytes: 1 << 30, bufferIntervalMs: 50 });
    await stream.putRecordBatch([post(1)]);
    expect(await wh.count()).toBe(0);
    await expect.poll(() => wh.count(), { timeout: 3000, interval: 25 }).toBe(1);
    await stream.close();
  });

  it("backs up every source record under raw/, partitioned by the post's date", async () => {
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform });
    await stream.putRecordBatch([post(1), post(2), post(3), post(4, { text: "bad" })]);
    await stream.close();
    const raw = files("raw");
    expect(raw.map((f) => path.relative(dir, path.dirname(f))).sort()).toEqual([
      "raw/dt=2026-11-10/hour=05",
      "raw/dt=2026-11-11/hour=05",
      "raw/dt=2026-11-12/hour=05",
    ]);
    const ids = raw.flatMap(lines).map((l) => JSON.parse(l).id).sort();
    expect(ids).toEqual(["1", "2", "3", "4"]);
  });

  it("backs up records byte for byte, adding the newline a record lacks, in arrival order within each partition", async () => {
    const dropAll: PackedTransform = async (p) => ({ recordIds: p.recordIds, results: p.recordIds.map(() => "Dropped"), data: new Uint8Array(0), ends: new Uint32Array(p.recordIds.length) });
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform: () => Promise.reject(new Error("unused")), packedTransform: dropAll });
    const at = (h: number, id: string) => `{"id":"${id}","created_at":"2026-11-13T0${h}:00:00.000Z"}`;
    const records = [at(1, "a"), at(1, "b") + "\n", at(1, "c"), "", at(2, "d") + "\n", at(2, "e"), at(1, "f") + "\n", at(1, "g") + "\n", "{}", at(2, "h") + "\n"];
    await stream.putRecordBatch(records.map((r) => Buffer.from(r)));
    await stream.close();
    const byPartition = Object.fromEntries(files("raw").map((f) => [path.relative(dir, path.dirname(f)), gunzipSync(readFileSync(f)).toString()]));
    const arrival = path.relative(dir, path.dirname(files("raw").find((f) => !/hour=0[12]/.test(f))!));
    expect(byPartition).toEqual({
      "raw/dt=2026-11-13/hour=01": `${at(1, "a")}\n${at(1, "b")}\n${at(1, "c")}\n${at(1, "f")}\n${at(1, "g")}\n`,
      "raw/dt=2026-11-13/hour=02": `${at(2, "d")}\n${at(2, "e")}\n${at(2, "h")}\n`,
      [arrival]: "\n{}\n", // no created_at: the arrival hour
    });
    expect(stream.stats.dropped).toBe(records.length);
  });

  it("lands every Ok row of a packed answer whatever its order, gaps and missing newlines", async () => {
    // the answer lists records in reverse, every third fails (no bytes) and every fourth row lacks its newline
    const packed: PackedTransform = async (p) => {
      const answer = packResponse(await transform(eventOfPacked(p)));
      const n = answer.recordIds.length;
      const order = Array.from({ length: n }, (_, k) => n - 1 - k);
      const rows = order.map((j) => Buffer.from(answer.data.subarray(j === 0 ? 0 : answer.ends[j - 1], answer.ends[j])));
      const results = order.map((j, k) => (k % 3 === 1 ? "ProcessingFailed" : answer.results[j]!));
      const data = Buffer.concat(rows.map((r, k) => (results[k] !== "Ok" ? Buffer.alloc(0) : k % 4 === 2 ? r.subarray(0, r.length - 1) : r)));
      let end = 0;
      const ends = Uint32Array.from(rows, (r, k) => (end += results[k] !== "Ok" ? 0 : k % 4 === 2 ? r.length - 1 : r.length));
      return { recordIds: order.map((j) => answer.recordIds[j]!), results, data, ends };
    };
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform: () => Promise.reject(new Error("unused")), packedTransform: packed, transformBatchBytes: 8 * base64Size(post(1)) });
    const ids = Array.from({ length: 60 }, (_, i) => i + 1);
    await stream.putRecordBatch(ids.map((id) => post(id, { text: `post ${id}` })));
    await stream.close();
    const rows = await wh.query("SELECT id, text FROM scored_posts");
    expect(rows.length + stream.stats.processingFailed).toBe(60);
    expect(stream.stats.processingFailed).toBeGreaterThan(10);
    for (const r of rows) expect(r.text).toBe(`post ${r.id}`);
    const failed = files("errors/processing-failed").flatMap(lines).map((l) => Number(JSON.parse(Buffer.from(JSON.parse(l).raw_data, "base64").toString()).id));
    expect([...rows.map((r) => Number(r.id)), ...failed].sort((a, b) => a - b)).toEqual(ids);
  });

  it("writes failed records to errors/processing-failed with the reason, and keeps their neighbours", async () => {
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform });
    await stream.putRecordBatch([post(1), post(2, { text: "bad" }), post(3)]);
    await stream.close();
    expect((await wh.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["1", "3"]);
    const errs = files("errors/processing-failed").flatMap(lines).map((l) => JSON.parse(l));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "processing-failed", reason: expect.stringContaining("ProcessingFailed") });
    expect(JSON.parse(Buffer.from(errs[0].raw_data, "base64").toString()).id).toBe("2");
    expect(stream.stats).toMatchObject({ incomingRecords: 3, deliveredRows: 2, processingFailed: 1 });
  });

  it("treats records the transformation did not return, or a transformation that throws, as failed", async () => {
    let calls = 0;
    const lossy = async (e: FirehoseTransformationEvent) => {
      calls++;
      if (e.records.length === 1) throw new Error("boom");
      const res = await transform(e);
      return { records: res.records.slice(1) };
    };
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform: lossy, transformBatchBytes: 400 });
    await stream.putRecordBatch([post(1), post(2), post(3)]);
    await stream.close();
    const reasons = files("errors/processing-failed").flatMap(lines).map((l) => JSON.parse(l).reason);
    expect(reasons.some((r) => r.startsWith("Lambda.MissingRecordId"))).toBe(true);
    expect(await wh.count() + reasons.length).toBe(3);
    expect(calls).toBeGreaterThan(1);
  });

  it("enforces PutRecordBatch limits like Firehose", async () => {
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform });
    const tooMany = Array.from({ length: FIREHOSE_LIMITS.maxRecordsPerBatch + 1 }, (_, i) => post(i));
    await expect(stream.putRecordBatch(tooMany)).rejects.toBeInstanceOf(InvalidArgumentError);
    const big = Buffer.alloc(FIREHOSE_LIMITS.maxRecordBytes + 1, 32);
    const res = await stream.putRecordBatch([post(1), big, post(2)]);
    expect(res.failed).toEqual([{ index: 1, errorCode: "InvalidArgumentException", errorMessage: expect.stringContaining("exceeds") }]);
    await stream.close();
    expect(await wh.count()).toBe(2);
  });

  it("delivers what a crashed stream had accepted but not processed, once", async () => {
    // A journal left by a crash: two whole lines and a torn third (its call never returned).
    const jdir = path.join(dir, ".stream", "defi-sentiment-local");
    mkdirSync(jdir, { recursive: true });
    const line = (b: Buffer) => `${Date.now()} ${b.toString("base64")}\n`;
    writeFileSync(path.join(jdir, "000000000000001-x.journal"), line(post(1)) + line(post(2)) + line(post(3)).slice(0, 20));
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform });
    expect((await wh.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["1", "2"]);
    expect(readdirSync(jdir).filter((f) => f.endsWith(".journal"))).toEqual([]);
    await stream.putRecordBatch([post(1), post(2)]);
    await stream.close();
    expect(await wh.count()).toBe(2);
  });

  it("reads a binary journal of version 2 (a header per record), dropping a record cut short", async () => {
    const jdir = path.join(dir, ".stream", "defi-sentiment-local");
    mkdirSync(jdir, { recursive: true });
    const record = (b: Buffer, arrivedAt: number) => {
      const head = Buffer.alloc(12);
      head.writeDoubleLE(arrivedAt, 0);
      head.writeUInt32LE(b.length, 8);
      return Buffer.concat([head, b]);
    };
    const torn = record(post(3), Date.now());
    writeFileSync(path.join(jdir, "000000000000001-x.journal"), Buffer.concat([Buffer.from("defi-sentiment journal 2\n"), record(post(1), Date.now()), record(post(2), Date.now()), torn.subarray(0, torn.length - 3)]));
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform });
    expect((await wh.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["1", "2"]);
    expect(readdirSync(jdir).filter((f) => f.endsWith(".journal"))).toEqual([]);
    await stream.close();
  });

  it("recovers every call journaled before a crash, and none of a call cut short in its header", async () => {
    const jdir = (lake: string) => path.join(lake, ".stream", "defi-sentiment-local");
    const live = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform, bufferBytes: 1 << 30, bufferIntervalMs: 60_000 });
    await live.putRecordBatch([post(1), post(2), post(3)]);
    await live.putRecordBatch([post(4)]);
    const [journal] = readdirSync(jdir(dir)).filter((f) => f.endsWith(".journal"));
    const bytes = readFileSync(path.join(jdir(dir), journal!));
    await live.putRecordBatch([post(5), post(6)]);
    const whole = readFileSync(path.join(jdir(dir), journal!));
    const crashed = mkdtempSync(path.join(os.tmpdir(), "lds-crash-"));
    mkdirSync(jdir(crashed), { recursive: true });
    // the third call's block cut inside its record lengths: the first two calls are whole
    writeFileSync(path.join(jdir(crashed), journal!), whole.subarray(0, bytes.length + 14));
    const wh2 = await Warehouse.open(path.join(crashed, "warehouse.duckdb"));
    try {
      const restarted = await LocalDeliveryStream.open({ lakeDir: crashed, warehouse: wh2, transform });
      expect((await wh2.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["1", "2", "3", "4"]);
      await restarted.close();
    } finally {
      wh2.close();
      rmSync(crashed, { recursive: true, force: true });
    }
    await live.close();
    expect(await wh.count()).toBe(6);
  });

  it("recovers its own journal after a crash, dropping a record cut short", async () => {
    const jdir = (lake: string) => path.join(lake, ".stream", "defi-sentiment-local");
    const live = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform, bufferBytes: 1 << 30, bufferIntervalMs: 60_000 });
    await live.putRecordBatch([post(1), post(2, { text: "bad" })]);
    await live.putRecordBatch([post(3)]);
    const [journal] = readdirSync(jdir(dir)).filter((f) => f.endsWith(".journal"));
    const bytes = readFileSync(path.join(jdir(dir), journal!));
    // the crash: the process died while the third record was being written
    const crashed = mkdtempSync(path.join(os.tmpdir(), "lds-crash-"));
    mkdirSync(jdir(crashed), { recursive: true });
    writeFileSync(path.join(jdir(crashed), journal!), bytes.subarray(0, bytes.length - 5));
    const wh2 = await Warehouse.open(path.join(crashed, "warehouse.duckdb"));
    try {
      const restarted = await LocalDeliveryStream.open({ lakeDir: crashed, warehouse: wh2, transform });
      expect((await wh2.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["1"]);
      expect(readdirSync(jdir(crashed)).filter((f) => f.endsWith(".journal"))).toEqual([]);
      await restarted.close();
    } finally {
      wh2.close();
      rmSync(crashed, { recursive: true, force: true });
    }
    await live.close();
    expect(await wh.count()).toBe(2);
  });

  it("lands flushes that queue behind a slow warehouse together, in order, losing none", async () => {
    const upserts: number[] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((r) => (release = r));
    const slow = Object.create(wh) as Warehouse;
    slow.upsertNdjson = async (ndjson: string | Uint8Array | readonly Uint8Array[]) => {
      const text = typeof ndjson === "string" ? ndjson : Buffer.concat(ndjson instanceof Uint8Array ? [ndjson] : ndjson).toString("utf8");
      upserts.push(text.trim().split("\n").length);
      if (upserts.length === 1) await firstHeld; // the first upsert is slow
      return wh.upsertNdjson(ndjson);
    };
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: slow, transform, bufferBytes: 1, bufferIntervalMs: 60_000, maxFlushesInFlight: 10 });
    // bufferBytes 1: every call is its own flush
    await stream.putRecordBatch([post(0), post(1)]);
    await expect.poll(() => upserts.length, { timeout: 3000, interval: 10 }).toBe(1);
    for (let i = 1; i < 6; i++) await stream.putRecordBatch([post(10 * i), post(10 * i + 1)]);
    let lastLanded = false;
    const last = stream.flush().then(() => (lastLanded = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(lastLanded).toBe(false); // nothing lands past the slow upsert
    release();
    await last;
    await stream.close();
    expect(await wh.count()).toBe(12);
    expect(upserts).toEqual([2, 10]); // the five flushes behind the slow one landed as one upsert
    expect(readdirSync(path.join(dir, ".stream", "defi-sentiment-local")).filter((f) => f.endsWith(".journal"))).toEqual([]);
  });

  it("lands every row intact when runs, invocation and answer memory are reused flush after flush", async () => {
    const handedBack = new Set<ArrayBuffer>();
    let answeredInto = 0;
    // a worker's answer: the invocation's memory comes back with it, for the next invocations;
    // memory handed in with an invocation is written over by its answer
    const packed: PackedTransform = async (invocation) => {
      const answer = packResponse(await transform(eventOfPacked(invocation)));
      await new Promise((r) => setTimeout(r, 5)); // answers come late: flushes overlap, as with a busy worker
      handedBack.add(invocation.data.buffer as ArrayBuffer);
      let data = answer.data;
      if (invocation.reuse) {
        const into = new Uint8Array(invocation.reuse);
        into.fill(0x20); // anything still reading this memory would see its rows change
        if (into.length >= data.length) {
          into.set(data);
          data = into.subarray(0, data.length);
          answeredInto++;
        }
      }
      return { ...answer, data, spent: invocation.data.buffer as ArrayBuffer };
    };
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform: () => Promise.reject(new Error("unused")), packedTransform: packed, bufferBytes: 2_000, transformBatchBytes: 1_000 });
    const ids = Array.from({ length: 400 }, (_, i) => i + 1);
    // every 7th fails: its original data is read from the run after the answer comes back
    const text = (id: number) => (id % 7 === 0 ? "bad" : `post ${id} ${"x".repeat(id % 50)}`);
    for (let i = 0; i < ids.length; i += 20) await stream.putRecordBatch(ids.slice(i, i + 20).map((id) => post(id, { text: text(id) })));
    await stream.close();
    expect(stream.stats.flushes).toBeGreaterThan(10);
    expect(events.length).toBeGreaterThan(handedBack.size); // invocations outnumber the memory they used
    expect(await wh.count()).toBe(400 - 57);
    expect(answeredInto).toBeGreaterThan(5);
    const rows = await wh.query("SELECT id, text FROM scored_posts");
    expect(rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(ids.filter((id) => id % 7 !== 0));
    for (const r of rows) expect(r.text).toBe(text(Number(r.id)));
    const raw = files("raw").flatMap(lines).map((l) => JSON.parse(l));
    expect(raw.map((p) => Number(p.id)).sort((a, b) => a - b)).toEqual(ids);
    for (const p of raw) expect(p.text).toBe(text(Number(p.id)));
    const failed = files("errors/processing-failed").flatMap(lines).map((l) => JSON.parse(Buffer.from(JSON.parse(l).raw_data, "base64").toString()));
    expect(failed.map((p) => Number(p.id)).sort((a, b) => a - b)).toEqual(ids.filter((id) => id % 7 === 0));
    for (const p of failed) expect(p.text).toBe("bad");
  });

  it("gives the same lake through a packed transformation: rows, failures with their original data, missing ids, retries", async () => {
    const lossy = async (e: FirehoseTransformationEvent) => {
      if (e.records.length === 1) throw new Error("boom");
      const res = await transform(e);
      return { records: res.records.slice(1) }; // the first record of each invocation goes missing
    };
    // what a worker thread does: the exact Lambda event in, the response packed out
    const packed: PackedTransform = async (invocation) => packResponse(await lossy(eventOfPacked(invocation)));
    const stream = await LocalDeliveryStream.open({ lakeDir: dir, warehouse: wh, transform: () => Promise.reject(new Error("unused")), packedTransform: packed, transformBatchBytes: 2 * base64Size(post(1)) + 8 });
    await stream.putRecordBatch([post(1), post(2, { text: "bad" }), post(3), post(4), post(5)]);
    await stream.close();
    const errs = files("errors/processing-failed").flatMap(lines).map((l) => JSON.parse(l));
    const reasons = errs.map((e) => e.reason.split(":")[0]).sort();
    // invocations of [1, 2 (bad)], [3, 4] and [5]; the lone fifth's threw each time
    expect(events.map((e) => e.records.length)).toEqual([2, 2]);
    expect(reasons).toEqual(["Lambda.FunctionError", "Lambda.MissingRecordId", "Lambda.MissingRecordId", "Lambda.ProcessingFailed"]);
    const failedIds = errs.map((e) => JSON.parse(Buffer.from(e.raw_data, "base64").toString()).id).sort();
    expect(failedIds).toEqual(["1", "2", "3", "5"]);
    expect((await wh.query("SELECT id FROM scored_posts ORDER BY id")).map((r) => r.id)).toEqual(["4"]);
    expect(stream.stats).toMatchObject({ incomingRecords: 5, deliveredRows: 1, processingFailed: 4 });
  });
});
