import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BATCH_LIMITS } from "./core/batch-plan.ts";
import { DiskSpool } from "./disk-spool.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "spool-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const line = (i: number, size = 100) => Buffer.from(`{"id":"${i}"}`.padEnd(size - 1, " ") + "\n");
const segments = (dir: string) => readdirSync(dir).filter((n) => n.startsWith("segment-")).sort();

describe("DiskSpool", () => {
  it("reads back appended records in order across segment files, one batch's worth at a time", async () => {
    const dir = tempDir();
    const spool = await DiskSpool.open(dir, { segmentBytes: 1_000 });
    for (let i = 0; i < 60; i += 5) await spool.append([0, 1, 2, 3, 4].map((j) => line(i + j)));
    expect(segments(dir).length).toBeGreaterThan(4);
    expect(spool.backlog).toBe(60);
    const limits = { ...DEFAULT_BATCH_LIMITS, maxRecordsPerBatch: 25 };
    const got: string[] = [];
    let pos = spool.ackPosition;
    for (;;) {
      const read = await spool.read(pos, { records: 0, bytes: 0 }, limits);
      if (read.records.length === 0) break;
      expect(read.records.length).toBeLessThanOrEqual(25);
      got.push(...read.records.map((r) => JSON.parse(r.toString()).id as string));
      pos = read.end;
    }
    expect(got).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
    await spool.close();
  });

  it("deletes segment files once the ack cursor passes them, and remembers the cursor across reopen", async () => {
    const dir = tempDir();
    const spool = await DiskSpool.open(dir, { segmentBytes: 1_000 });
    for (let i = 0; i < 40; i++) await spool.append([line(i)]);
    const before = segments(dir).length;
    const read = await spool.read(spool.ackPosition, { records: 0, bytes: 0 }, { ...DEFAULT_BATCH_LIMITS, maxRecordsPerBatch: 25 });
    await spool.ack(read.end, read.records.length);
    expect(segments(dir).length).toBeLessThan(before);
    expect(spool.backlog).toBe(15);
    await spool.close();

    const again = await DiskSpool.open(dir, { segmentBytes: 1_000 });
    expect(again.backlog).toBe(15);
    const rest = await again.read(again.ackPosition, { records: 0, bytes: 0 }, DEFAULT_BATCH_LIMITS);
    expect(rest.records.map((r) => JSON.parse(r.toString()).id)).toEqual(Array.from({ length: 15 }, (_, i) => String(25 + i)));
    await again.close();
  });

  it("stops a read at the byte limit and hands oversize records back separately", async () => {
    const dir = tempDir();
    const spool = await DiskSpool.open(dir);
    await spool.append([line(1, 400), line(2, 2_000), line(3, 400), line(4, 400)]);
    const limits = { maxRecordsPerBatch: 500, maxBatchBytes: 1_000, maxRecordBytes: 1_000 };
    const first = await spool.read(spool.ackPosition, { records: 0, bytes: 0 }, limits);
    expect(first.records.map((r) => r.length)).toEqual([400, 400]);
    expect(first.oversize.map((r) => r.length)).toEqual([2_000]);
    const second = await spool.read(first.end, { records: 0, bytes: 0 }, limits);
    expect(second.records.map((r) => JSON.parse(r.toString()).id)).toEqual(["4"]);
    await spool.close();
  });

  it("refuses records that are not exactly one newline-terminated line", async () => {
    const spool = await DiskSpool.open(tempDir());
    await expect(spool.append([Buffer.from('{"a":1}')])).rejects.toThrow(/record 0 is not exactly one newline-terminated line/);
    await expect(spool.append([Buffer.from('{"a":1}\n{"b":2}\n')])).rejects.toThrow(/record 0/);
    await spool.close();
  });
});

describe("DiskSpool ownership", () => {
  it("refuses a second open of the same directory until the first is closed", async () => {
    const dir = tempDir();
    const first = await DiskSpool.open(dir);
    await expect(DiskSpool.open(dir)).rejects.toThrow(/already open in this process/);
    await first.close();
    const second = await DiskSpool.open(dir);
    await second.close();
  });

  it("refuses a directory locked by another live process, and takes over a lock left by a dead one", async () => {
    const { writeFileSync } = await import("node:fs");
    const { spawnSync } = await import("node:child_process");
    const dir = tempDir();
    writeFileSync(path.join(dir, "spool.lock"), String(process.ppid));
    await expect(DiskSpool.open(dir)).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(path.join(dir, "spool.lock"), dead);
    const spool = await DiskSpool.open(dir);
    await spool.close();
  });
});
