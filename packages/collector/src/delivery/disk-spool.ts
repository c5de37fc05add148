/**
 * The durable queue between reading posts and sending them: append-only segment files of
 * Firehose records (one record per line, exactly the bytes that will be sent), plus an ack cursor.
 *
 * - `append` writes and fdatasyncs before resolving, so an accepted record survives kill -9.
 * - `ack(position)` commits the cursor atomically (tmp file, fsync, rename, fsync dir) and deletes
 *   segments that lie wholly before it. Nothing before the cursor is ever sent again.
 * - `open` recovers: drops a torn last line (a write that never resolved), removes segments left
 *   behind by a crash between cursor commit and unlink, and counts the backlog.
 * - Reads go in bounded windows from the cursor; the backlog is never held in memory.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { fitsBatch, isOversizeRecord, type BatchLimits } from "./core/batch-plan.ts";
import { SpoolError } from "./errors.ts";
import { lockSpool, unlockSpool } from "./spool-lock.ts";

export interface SpoolPosition {
  segment: number;
  offset: number;
}

export type SpoolReadLimits = BatchLimits;

export interface SpoolRead {
  /** Records that fit after what the caller already holds, in spool order. */
  records: Buffer[];
  /** Records in the range that can never be sent (above maxRecordBytes): dead-letter them. */
  oversize: Buffer[];
  /** Position just after the last record returned (or skipped as oversize). */
  end: SpoolPosition;
}

const SEGMENT = /^segment-(\d{12})\.ndjson$/;
const ACK_FILE = "ack.json";
const NEWLINE = 0x0a;
/** Bytes read from a segment at a time (a full batch of typical posts; reads loop for more). */
const READ_WINDOW = 1024 * 1024;

const segmentName = (n: number) => `segment-${String(n).padStart(12, "0")}.ndjson`;

export function comparePositions(a: SpoolPosition, b: SpoolPosition): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;
}

/** Makes a rename or a new file in `dir` durable; off the event loop (an ack runs per batch). */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class DiskSpool {
  private writer: FileHandle | null = null;
  private reader: { segment: number; handle: FileHandle } | null = null;
  /** Read window, reused: what a read returns is copied out of it. */
  private scratch = Buffer.allocUnsafeSlow(READ_WINDOW);
  /** Durable size of every live segment; the last one is the one being appended to. */
  private readonly sizes = new Map<number, number>();
  private writeChain: Promise<void> = Promise.resolve();
  private ackPos: SpoolPosition;
  private backlogRecords: number;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    ack: SpoolPosition,
    backlog: number,
  ) {
    this.ackPos = ack;
    this.backlogRecords = backlog;
  }

  static async open(dir: string, options: { segmentBytes?: number } = {}): Promise<DiskSpool> {
    await mkdir(dir, { recursive: true });
    await lockSpool(dir);
    try {
      return await DiskSpool.recover(dir, options);
    } catch (err) {
      await unlockSpool(dir);
      throw err;
    }
  }

  private static async recover(dir: string, options: { segmentBytes?: number }): Promise<DiskSpool> {
    const segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    const names = (await readdir(dir)).filter((n) => SEGMENT.test(n));
    const numbers = names.map((n) => Number(SEGMENT.exec(n)![1])).sort((a, b) => a - b);
    let ack: SpoolPosition = { segment: numbers[0] ?? 1, offset: 0 };
    const ackPath = path.join(dir, ACK_FILE);
    try {
      const parsed = JSON.parse(await readFile(ackPath, "utf8")) as SpoolPosition;
      if (!Number.isInteger(parsed.segment) || !Number.isInteger(parsed.offset)) throw new Error("segment/offset are not integers");
      ack = parsed;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new SpoolError(`ack cursor unreadable: ${(err as Error).message}`, ackPath, { cause: err });
    }
    // Segments wholly before the cursor were acked; a crash kept them from being deleted.
    for (const n of numbers.filter((n) => n < ack.segment)) await rm(path.join(dir, segmentName(n)), { force: true });
    const live = numbers.filter((n) => n >= ack.segment);
    if (live.length === 0) live.push(ack.segment);
    const spool = new DiskSpool(dir, segmentBytes, ack.segment >= live[0]! ? ack : { segment: live[0]!, offset: 0 }, 0);
    for (const n of live) {
      const file = path.join(dir, segmentName(n));
      let size = 0;
      try {
        size = (await stat(file)).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        await writeFile(file, "");
      }
      spool.sizes.set(n, size);
    }
    await spool.recoverTail(live[live.length - 1]!);
    if (spool.ackPos.offset > spool.sizes.get(spool.ackPos.segment)!) {
      throw new SpoolError(`ack cursor ${JSON.stringify(spool.ackPos)} is past the end of its segment`, ackPath);
    }
    spool.backlogRecords = await spool.countLines(spool.ackPos);
    const last = live[live.length - 1]!;
    spool.writer = await open(path.join(dir, segmentName(last)), "r+");
    await fsyncDir(dir);
    return spool;
  }

  /** Truncates a torn final line (an append killed mid-write never resolved, so nobody relies on it). */
  private async recoverTail(segment: number): Promise<void> {
    const file = path.join(this.dir, segmentName(segment));
    const size = this.sizes.get(segment)!;
    if (size === 0) return;
    const handle = await open(file, "r+");
    try {
      let end = size;
      const chunk = Buffer.alloc(64 * 1024);
      while (end > 0) {
        const start = Math.max(0, end - chunk.length);
        const { bytesRead } = await handle.read(chunk, 0, end - start, start);
        const i = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
        if (i >= 0) {
          end = start + i + 1;
          break;
        }
        end = start;
      }
      if (end !== size) {
        await handle.truncate(end);
        await handle.datasync();
        this.sizes.set(segment, end);
      }
    } finally {
      await handle.close();
    }
  }

  private async countLines(from: SpoolPosition): Promise<number> {
    let count = 0;
    const chunk = Buffer.alloc(1024 * 1024);
    for (const [segment, size] of this.sizes) {
      if (segment < from.segment) continue;
      const handle = await open(path.join(this.dir, segmentName(segment)), "r");
      try {
        for (let pos = segment === from.segment ? from.offset : 0; pos < size; ) {
          const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - pos), pos);
          if (bytesRead === 0) break;
          for (let i = chunk.indexOf(NEWLINE, 0); i !== -1 && i < bytesRead; i = chunk.indexOf(NEWLINE, i + 1)) count++;
          pos += bytesRead;
        }
      } finally {
        await handle.close();
      }
    }
    return count;
  }

  get ackPosition(): SpoolPosition {
    return { ...this.ackPos };
  }

  /** Position after the last durable record. */
  get endPosition(): SpoolPosition {
    const last = this.lastSegment();
    return { segment: last, offset: this.sizes.get(last)! };
  }

  /** Records appended and not yet acked. */
  get backlog(): number {
    return this.backlogRecords;
  }

  /** Bytes on disk not yet acked. */
  get backlogBytes(): number {
    let bytes = 0;
    for (const [segment, size] of this.sizes) {
      if (segment > this.ackPos.segment) bytes += size;
      else if (segment === this.ackPos.segment) bytes += size - this.ackPos.offset;
    }
    return bytes;
  }

  private lastSegment(): number {
    let last = -1;
    for (const s of this.sizes.keys()) last = Math.max(last, s);
    return last;
  }

  /** Appends records (each a complete line ending in "\n") and fdatasyncs; resolves once durable. */
  append(records: readonly Buffer[]): Promise<void> {
    const run = this.writeChain.then(() => this.appendNow(records));
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  private async appendNow(records: readonly Buffer[]): Promise<void> {
    if (this.closed || !this.writer) throw new SpoolError("spool is closed", this.dir);
    if (records.length === 0) return;
    for (const [i, r] of records.entries()) {
      if (r.length === 0 || r[r.length - 1] !== NEWLINE || r.indexOf(NEWLINE) !== r.length - 1) {
        throw new SpoolError(`record ${i} is not exactly one newline-terminated line`, this.dir);
      }
    }
    let last = this.lastSegment();
    if (this.sizes.get(last)! >= this.segmentBytes) {
      await this.writer.close();
      last += 1;
      this.writer = await open(path.join(this.dir, segmentName(last)), "w+");
      this.sizes.set(last, 0);
      await fsyncDir(this.dir);
    }
    const offset = this.sizes.get(last)!;
    const length = records.reduce((n, r) => n + r.length, 0);
    // writev: the records go to the file as they are, without a concatenated copy
    let written = (await this.writer.writev(records as Buffer[], offset)).bytesWritten;
    if (written < length) {
      const data = Buffer.concat(records as Buffer[]);
      while (written < length) written += (await this.writer.write(data, written, length - written, offset + written)).bytesWritten;
    }
    await this.writer.datasync();
    this.sizes.set(last, offset + length);
    this.backlogRecords += records.length;
  }

  /** Moves a position that sits at the end of a finished segment to the start of the next. */
  private normalise(pos: SpoolPosition): SpoolPosition {
    let p = { ...pos };
    while (p.offset >= (this.sizes.get(p.segment) ?? 0) && this.sizes.has(p.segment + 1)) p = { segment: p.segment + 1, offset: 0 };
    return p;
  }

  private async readHandle(segment: number): Promise<FileHandle> {
    if (this.reader?.segment === segment) return this.reader.handle;
    await this.reader?.handle.close();
    this.reader = null;
    const handle = await open(path.join(this.dir, segmentName(segment)), "r");
    this.reader = { segment, handle };
    return handle;
  }

  /**
   * Reads the records that follow `from` and fit a batch already holding `have` records/bytes.
   * Reads at most about one batch of bytes, whatever the backlog.
   */
  async read(from: SpoolPosition, have: { records: number; bytes: number }, limits: SpoolReadLimits): Promise<SpoolRead> {
    const records: Buffer[] = [];
    const oversize: Buffer[] = [];
    let count = have.records;
    let bytes = have.bytes;
    let pos = this.normalise(from);
    while (count < limits.maxRecordsPerBatch && bytes < limits.maxBatchBytes) {
      pos = this.normalise(pos);
      const size = this.sizes.get(pos.segment) ?? 0;
      const available = size - pos.offset;
      if (available <= 0) break;
      const handle = await this.readHandle(pos.segment);
      // A batch holds at most maxRecordsPerBatch records: read about that many (records average
      // well under 2 KiB), growing the window only for a record longer than it.
      let window = Math.min(available, limits.maxBatchBytes - bytes + limits.maxRecordBytes + 2, READ_WINDOW);
      let buf: Buffer;
      for (;;) {
        if (this.scratch.length < window) this.scratch = Buffer.allocUnsafeSlow(window);
        const { bytesRead } = await handle.read(this.scratch, 0, window, pos.offset);
        buf = this.scratch.subarray(0, bytesRead);
        if (buf.indexOf(NEWLINE) !== -1 || window >= available) break;
        window = Math.min(available, window * 2);
      }
      // Whole records that fit, as [start, end, oversize]; then copied out of the reused window
      // in one piece, and handed out as views of that copy.
      const found: [number, number, boolean][] = [];
      let start = 0;
      let full = false;
      for (let nl = buf.indexOf(NEWLINE); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
        const length = nl + 1 - start;
        const over = isOversizeRecord(length, limits);
        if (!over && !fitsBatch(count, bytes, length, limits)) {
          full = true;
          break;
        }
        found.push([start, nl + 1, over]);
        if (!over) {
          count++;
          bytes += length;
        }
        start = nl + 1;
        pos = { segment: pos.segment, offset: pos.offset + length };
      }
      const kept = Buffer.from(buf.subarray(0, start));
      for (const [from, to, over] of found) (over ? oversize : records).push(kept.subarray(from, to));
      if (full) break;
      if (start === 0) {
        throw new SpoolError(`no complete record at offset ${pos.offset}`, path.join(this.dir, segmentName(pos.segment)));
      }
    }
    return { records, oversize, end: pos };
  }

  /** Commits that everything before `to` was delivered (`records` of them since the last ack). */
  async ack(to: SpoolPosition, records: number): Promise<void> {
    if (comparePositions(to, this.ackPos) < 0) throw new SpoolError(`ack moves backwards from ${JSON.stringify(this.ackPos)} to ${JSON.stringify(to)}`, this.dir);
    const target = this.normalise(to);
    const tmp = path.join(this.dir, `${ACK_FILE}.tmp`);
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(JSON.stringify(target));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path.join(this.dir, ACK_FILE));
    await fsyncDir(this.dir);
    this.ackPos = target;
    this.backlogRecords = Math.max(0, this.backlogRecords - records);
    for (const segment of [...this.sizes.keys()]) {
      if (segment >= target.segment) continue;
      if (this.reader?.segment === segment) {
        await this.reader.handle.close();
        this.reader = null;
      }
      await rm(path.join(this.dir, segmentName(segment)), { force: true });
      this.sizes.delete(segment);
    }
  }

  /** True when durable records follow `pos`. */
  hasDataAfter(pos: SpoolPosition): boolean {
    return comparePositions(this.normalise(pos), this.endPosition) < 0;
  }

  /** The records of the newest segment (bounded by the segment size plus one append). */
  async newestSegmentRecords(): Promise<Buffer[]> {
    const last = this.lastSegment();
    const size = this.sizes.get(last)!;
    if (size === 0) return [];
    const data = await readFile(path.join(this.dir, segmentName(last)));
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl !== -1 && nl < size; nl = data.indexOf(NEWLINE, start)) {
      out.push(data.subarray(start, nl + 1));
      start = nl + 1;
    }
    return out;
  }

  /** Number of segment files on disk (for tests and health). */
  get segmentCount(): number {
    return this.sizes.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeChain;
    this.closed = true;
    await this.reader?.handle.close();
    this.reader = null;
    await this.writer?.close();
    this.writer = null;
    await unlockSpool(this.dir);
  }
}
