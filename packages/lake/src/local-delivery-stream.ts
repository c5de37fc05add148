/**
 * A local delivery stream with Amazon Data Firehose semantics, standing in for Firehose on a
 * laptop. It accepts PutRecordBatch calls (same limits, per-record failures), buffers by size
 * and by time, backs up source records to `raw/`, runs the transformation through the very
 * handler Lambda runs (same event and response), upserts Ok rows into the warehouse and
 * writes failures to `errors/processing-failed/`.
 *
 * Durability: a batch is journaled (fsync) before `putRecordBatch` resolves, so what the
 * collector sees as accepted survives a crash; leftover journals are processed on `open`.
 * Processing is idempotent (the table upserts by id), so replaying a journal changes nothing.
 */
import { closeSync, existsSync, fsync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync, writevSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import {
  FIREHOSE_LIMITS,
  base64Length,
  errorPrefix,
  objectName,
  type ErrorRecord,
  type FirehoseTransformationEvent,
  type FirehoseTransformationResponse,
  type PackedInvocation,
  type PackedResponse,
  type PutRecordFailure,
  type RecordSink,
} from "@defi-sentiment/shared";
import { RawPartitions } from "./raw-partition.ts";
import { RecordRun, RowPieces } from "./record-run.ts";
import type { Warehouse } from "./warehouse.ts";

export type Transform = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResponse> | FirehoseTransformationResponse;

export type { PackedInvocation, PackedResponse };

export type PackedTransform = (invocation: PackedInvocation) => Promise<PackedResponse>;

/** The Firehose transformation event of a packed invocation. */
export function eventOfPacked(p: PackedInvocation): FirehoseTransformationEvent {
  const data = Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength);
  return {
    invocationId: p.invocationId,
    deliveryStreamArn: p.deliveryStreamArn,
    region: p.region,
    records: p.recordIds.map((recordId, i) => ({
      recordId,
      approximateArrivalTimestamp: p.arrivals[i]!,
      data: data.toString("base64", i === 0 ? 0 : p.ends[i - 1], p.ends[i]),
    })),
  };
}

/** Packs a transformation response; throws on a record that is not one (as decoding it would). */
export function packResponse(response: FirehoseTransformationResponse): PackedResponse {
  const records = Array.isArray(response?.records) ? response.records : [];
  let bound = 0;
  for (const r of records) {
    if (r?.result !== "Ok") continue;
    if (typeof r.data !== "string") throw new TypeError(`record ${String(r.recordId)}: Ok data is not a string`);
    bound += Math.ceil(r.data.length / 4) * 3;
  }
  // A buffer of its own (not the pool's), so it can be transferred
  const data = Buffer.allocUnsafeSlow(bound);
  const ends = new Uint32Array(records.length);
  let at = 0;
  records.forEach((r, i) => {
    if (r.result === "Ok") at += data.write(r.data, at, "base64");
    ends[i] = at;
  });
  return { recordIds: records.map((r) => r.recordId), results: records.map((r) => r.result), data: data.subarray(0, at), ends };
}

export interface LocalDeliveryStreamOptions {
  lakeDir: string;
  warehouse: Warehouse;
  /** The Firehose transformation handler (the scorer's Lambda handler). */
  transform: Transform;
  /** The same handler taking packed invocations (an in-process scorer in a worker); used instead of `transform` when given. */
  packedTransform?: PackedTransform;
  /**
   * Takes back the memory of each packed answer once its rows have landed (the transformation's
   * own pool); without it the stream keeps a few to answer into again (`reuse`).
   */
  releaseAnswer?: (memory: ArrayBufferLike) => void;
  /** Memory of at least `bytes` to pack an invocation's records into (the packed transformation's own pool). */
  packMemory?: (bytes: number) => ArrayBufferLike;
  /** Stream name, used in object names and the ARN. Default `defi-sentiment-local`. */
  name?: string;
  /** Flush when this many bytes are buffered. Default 5 MiB (Firehose's default). */
  bufferBytes?: number;
  /** Flush a partial buffer after this long. Default 10 s (Firehose: 60–900 s; shorter suits a laptop). */
  bufferIntervalMs?: number;
  /** Records per transformation invocation are cut at this size. Default 1 MiB (Firehose's processor default). */
  transformBatchBytes?: number;
  /** Invocation attempts before records go to processing-failed. Default 3. */
  transformAttempts?: number;
  /**
   * Flushes that may be on their way to the lake before `putRecordBatch` waits (backpressure).
   * Default 4: while the warehouse lands one group, the next buffers are scored and then land
   * together, so a slow warehouse gets bigger, cheaper upserts instead of a longer queue.
   */
  maxFlushesInFlight?: number;
  clock?: () => Date;
  log?: (event: Record<string, unknown>) => void;
}

export interface LocalDeliveryStreamStats {
  incomingRecords: number;
  incomingBytes: number;
  rejectedRecords: number;
  deliveredRows: number;
  processingFailed: number;
  dropped: number;
  flushes: number;
  bufferedRecords: number;
  lastFlushAt: string | null;
}

/** Thrown for a whole PutRecordBatch call that Firehose would refuse (as its InvalidArgumentException). */
export class InvalidArgumentError extends Error {
  override name = "InvalidArgumentException";
}

interface Staged {
  records: number;
  /** NDJSON lines of the Ok rows, each ending in a newline. */
  okRows: RowPieces;
  failures: ErrorRecord[];
  started: Date;
  /** Packed answers the Ok rows are views into: free for new answers once the rows have landed. */
  answers: ArrayBufferLike[];
}

interface Flush {
  journal: string;
  staged?: Staged;
  failed?: unknown;
  done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

export class LocalDeliveryStream implements RecordSink {
  private readonly o: Required<Omit<LocalDeliveryStreamOptions, "log" | "packedTransform" | "releaseAnswer" | "packMemory">> &
    Pick<LocalDeliveryStreamOptions, "log" | "packedTransform" | "releaseAnswer" | "packMemory">;
  private readonly journalDir: string;
  private buffer: RecordRun;
  private journalFd: number | null = null;
  private journalPath = "";
  /** fsyncs of the open journal still running; it is closed only after them. */
  private journalSyncs: Promise<unknown> = Promise.resolve();
  /** Flushes not yet in the lake, oldest first; the lander takes every ready one at once. */
  private inFlight: Flush[] = [];
  /**
   * Memory of runs whose flush no longer reads them, for the next runs: a fresh buffer per flush
   * is tens of MiB of external memory, and V8 answers such churn with extra garbage collections.
   */
  private readonly spareRuns: Buffer[] = [];
  /** Invocation memory the packed transformation handed back, for the next invocations. */
  private readonly spentPacks: ArrayBuffer[] = [];
  /** Memory of packed answers whose rows have landed, handed to the next invocations to answer into. */
  private readonly spentAnswers: ArrayBufferLike[] = [];
  private landing = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private seq = 0;
  readonly stats: LocalDeliveryStreamStats = {
    incomingRecords: 0,
    incomingBytes: 0,
    rejectedRecords: 0,
    deliveredRows: 0,
    processingFailed: 0,
    dropped: 0,
    flushes: 0,
    bufferedRecords: 0,
    lastFlushAt: null,
  };

  private constructor(options: LocalDeliveryStreamOptions) {
    this.o = {
      name: "defi-sentiment-local",
      bufferBytes: 5 * 1024 * 1024,
      bufferIntervalMs: 10_000,
      transformBatchBytes: 1024 * 1024,
      transformAttempts: 3,
      maxFlushesInFlight: 4,
      clock: () => new Date(),
      ...options,
    };
    this.journalDir = path.join(this.o.lakeDir, ".stream", this.o.name);
    this.buffer = this.newRun();
  }

  /** A run sized for a full buffer plus one batch, so a flush's records are copied in once. */
  private newRun(): RecordRun {
    return new RecordRun(Math.min(this.o.bufferBytes + FIREHOSE_LIMITS.maxBatchBytes, 256 * 1024 * 1024), this.spareRuns.pop());
  }

  /** Opens the stream, first processing journals a crash left behind. */
  static async open(options: LocalDeliveryStreamOptions): Promise<LocalDeliveryStream> {
    const stream = new LocalDeliveryStream(options);
    mkdirSync(stream.journalDir, { recursive: true });
    for (const file of readdirSync(stream.journalDir).filter((f) => f.endsWith(".journal")).sort()) {
      const full = path.join(stream.journalDir, file);
      const records = readJournal(full);
      stream.o.log?.({ event: "journal-recovered", file, records: records.length });
      await stream.process(records);
      rmSync(full, { force: true });
    }
    stream.timer = setInterval(() => {
      if (stream.buffer.length > 0 && stream.o.clock().getTime() - stream.buffer.arrivedAt(0) >= stream.o.bufferIntervalMs) {
        void stream.flush().catch((err) => stream.o.log?.({ event: "flush-failed", error: String(err) }));
      }
    }, Math.min(1000, stream.o.bufferIntervalMs));
    stream.timer.unref();
    return stream;
  }

  /** A call resolves only once its records are in the fsync'd journal. */
  readonly durable = true;

  get arn(): string {
    return `arn:local:firehose:local:000000000000:deliverystream/${this.o.name}`;
  }

  async putRecordBatch(records: Uint8Array[]): Promise<{ failed: PutRecordFailure[] }> {
    if (this.closed) throw new Error(`delivery stream ${this.o.name} is closed`);
    if (records.length === 0 || records.length > FIREHOSE_LIMITS.maxRecordsPerBatch) {
      throw new InvalidArgumentError(`PutRecordBatch takes 1 to ${FIREHOSE_LIMITS.maxRecordsPerBatch} records, got ${records.length}`);
    }
    const total = records.reduce((n, r) => n + r.byteLength, 0);
    if (total > FIREHOSE_LIMITS.maxBatchBytes) {
      throw new InvalidArgumentError(`PutRecordBatch takes at most ${FIREHOSE_LIMITS.maxBatchBytes} bytes, got ${total}`);
    }
    const failed: PutRecordFailure[] = [];
    const accepted: Uint8Array[] = [];
    const now = this.o.clock().getTime();
    records.forEach((r, index) => {
      if (r.byteLength > FIREHOSE_LIMITS.maxRecordBytes) {
        failed.push({ index, errorCode: "InvalidArgumentException", errorMessage: `record of ${r.byteLength} bytes exceeds ${FIREHOSE_LIMITS.maxRecordBytes}` });
      } else {
        accepted.push(r);
      }
    });
    // Journal and buffer change together (no await between), so a flush never takes a journal
    // without its records; the call returns only once the journal is on disk.
    const before = this.buffer.byteLength;
    const first = this.buffer.length;
    for (const r of accepted) this.buffer.push(r, now);
    const synced = this.journal(this.buffer, first, now);
    this.stats.incomingRecords += accepted.length;
    this.stats.incomingBytes += this.buffer.byteLength - before;
    this.stats.rejectedRecords += failed.length;
    this.stats.bufferedRecords = this.buffer.length;
    await synced;
    // A full buffer starts a flush; the call then waits only while too many flushes are still
    // on their way to the lake (backpressure, as Firehose throttles), so buffers are scored
    // while the next ones fill.
    if (this.buffer.byteLength >= this.o.bufferBytes) {
      void this.flush().catch(() => {});
      while (this.inFlight.length > this.o.maxFlushesInFlight) await this.inFlight[0]!.done.catch(() => {});
    }
    return { failed };
  }

  /** Processes everything buffered; resolves when it is in the lake (and every earlier flush too). */
  flush(): Promise<void> {
    const records = this.buffer;
    const journal = this.journalPath;
    const fd = this.journalFd;
    if (fd !== null) void this.journalSyncs.catch(() => {}).finally(() => closeSync(fd));
    this.journalFd = null;
    this.journalPath = "";
    this.buffer = this.newRun();
    this.stats.bufferedRecords = 0;
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    const entry: Flush = { journal, done, resolve, reject };
    this.inFlight.push(entry);
    // Two stages overlapping across flushes: raw backup + transformation (the scorer runs here;
    // invocations of several flushes may run at once, as Lambda scales out), then landing
    // (warehouse upsert, error files) in flush order. A failed flush keeps its journal
    // (processed again on the next open) and fails only its own waiters.
    const transformed = records.length > 0 ? this.transformStage(records) : Promise.resolve(emptyStaged(this.o.clock()));
    transformed.then(
      (staged) => {
        entry.staged = staged;
        // raw written and every invocation answered: nothing reads the run again, so a later run
        // takes its memory (a failed stage may still have invocations reading it: left to the GC)
        if (this.spareRuns.length < 2) this.spareRuns.push(records.release());
      },
      (err: unknown) => (entry.failed = err ?? new Error("transformation stage failed")),
    ).finally(() => this.land());
    return done;
  }

  /**
   * Lands every flush whose transformation is done, oldest first and stopping at the first not
   * yet done: their rows go in as one upsert, so a warehouse that falls behind catches up in
   * bigger, cheaper statements.
   */
  private land(): void {
    if (this.landing) return;
    const ready: Flush[] = [];
    for (const f of this.inFlight) {
      if (!f.staged && !f.failed) break;
      ready.push(f);
    }
    if (ready.length === 0) return;
    this.landing = true;
    this.inFlight.splice(0, ready.length);
    const ok = ready.filter((f) => f.staged);
    void this.landStage(ok.map((f) => f.staged!))
      // journals go on libuv's pool: unlinking tens of MiB is not the event loop's work
      .then(() => Promise.all(ok.map((f) => f.journal && rm(f.journal, { force: true }))))
      .then(
        () => {
          for (const f of ok) f.resolve();
        },
        (err: unknown) => ok.forEach((f) => f.reject(err)),
      )
      .finally(() => {
        for (const f of ready) if (f.failed) f.reject(f.failed);
        this.landing = false;
        this.land();
      });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Appends the run's records from `from` on to the open journal now; the promise resolves once they are on disk. */
  private journal(run: RecordRun, from: number, arrivedAt: number): Promise<void> {
    if (run.length === from) return Promise.resolve();
    if (this.journalFd === null) {
      this.journalPath = path.join(this.journalDir, `${Date.now().toString().padStart(15, "0")}-${randomUUID()}.journal`);
      this.journalFd = openSync(this.journalPath, "a");
      writeSync(this.journalFd, JOURNAL_MAGIC);
    }
    writeAllSync(this.journalFd, [journalHeader(run, from, arrivedAt), run.bytes.subarray(run.start(from), run.byteLength)]);
    const synced = fsyncAsync(this.journalFd);
    this.journalSyncs = Promise.allSettled([this.journalSyncs, synced]);
    return synced;
  }

  /** Processes records completely (used for journals left by a crash). */
  private async process(records: RecordRun): Promise<void> {
    await this.landStage([await this.transformStage(records)]);
  }

  private async transformStage(records: RecordRun): Promise<Staged> {
    const started = this.o.clock();
    const raw = this.writeRaw(records, started);
    const staged: Staged = { records: records.length, okRows: new RowPieces(), failures: [], started, answers: [] };
    // All invocations are sent at once: the transformation's queue never runs dry between them.
    await Promise.all([raw, ...[...chunkBySize(records, this.o.transformBatchBytes)].map(([from, to]) => this.transformChunk(records, from, to, staged))]);
    return staged;
  }

  private async landStage(group: Staged[]): Promise<void> {
    const rows = group.reduce((n, g) => n + g.okRows.rows, 0);
    try {
      if (rows > 0) await this.o.warehouse.upsertNdjson(group.flatMap((g) => g.okRows.pieces));
    } finally {
      // the rows are in the table (or failed, to be landed again from the journal): nothing reads
      // their answers' memory again
      const release = this.o.releaseAnswer;
      for (const g of group) for (const m of g.answers) if (release) release(m);
      else if (this.spentAnswers.length < 16) this.spentAnswers.push(m);
    }
    for (const { records, okRows, failures, started } of group) {
      if (records === 0) continue;
      if (failures.length > 0) await this.writeErrors(failures, started);
      this.stats.deliveredRows += okRows.rows;
      this.stats.processingFailed += failures.length;
      this.stats.flushes++;
      this.stats.lastFlushAt = this.o.clock().toISOString();
      this.o.log?.({ event: "flushed", records, rows: okRows.rows, failed: failures.length, landedWith: group.length, ms: this.o.clock().getTime() - started.getTime() });
    }
  }

  /** Runs records [from, to) of `records` through one transformation invocation (with retries). */
  private async transformChunk(records: RecordRun, from: number, to: number, { okRows, failures, answers }: Staged): Promise<void> {
    const invocation = ++this.seq;
    const invocationId = `${invocation}-${randomUUID()}`;
    const recordIds = Array.from({ length: to - from }, (_, i) => `${invocation}.${i}`);
    const invoke = this.o.packedTransform
      ? this.packedInvoker(records, from, to, invocationId, recordIds, this.o.packedTransform)
      : this.eventInvoker(records, from, to, invocationId, recordIds);
    let response: Outcomes | null = null;
    let lastError = "";
    for (let attempt = 1; attempt <= this.o.transformAttempts && !response; attempt++) {
      try {
        response = await invoke();
      } catch (err) {
        lastError = `Lambda.FunctionError: ${(err as Error).message}`;
      }
    }
    const at = this.o.clock().toISOString();
    const fail = (i: number, reason: string) =>
      failures.push({ type: "processing-failed", reason, where: `record ${recordIds[i]}`, at, raw_data: records.data(from + i).toString("base64") });
    if (!response) {
      recordIds.forEach((_, i) => fail(i, lastError));
      return;
    }
    if (response.memory) answers.push(response.memory);
    // Answers come back in request order; a map is built only for one that does not.
    const ids = response.recordIds;
    const { results, bytes, ends } = response;
    let byId: Map<string, number> | null = null;
    // Ok rows lying back to back in the answer (all of a packed one's, in order) are kept as one
    // view per run of them, by offsets, rather than a view per row
    let runFrom = 0;
    let runTo = 0;
    let runRows = 0;
    const endRun = () => {
      if (runRows > 0) okRows.addRun(bytes.subarray(runFrom, runTo), runRows);
      runRows = 0;
    };
    for (let i = 0; i < recordIds.length; i++) {
      let j: number | undefined = i;
      if (ids[i] !== recordIds[i]) {
        byId ??= new Map(ids.map((rid, k) => [rid, k]));
        j = byId.get(recordIds[i]!);
      }
      if (j === undefined) {
        fail(i, "Lambda.MissingRecordId: the transformation did not return this record");
        continue;
      }
      const result = results[j];
      if (result === "Dropped") {
        this.stats.dropped++;
        continue;
      }
      if (result !== "Ok") {
        fail(i, `Lambda.ProcessingFailed: ${result}`);
        continue;
      }
      const from = j === 0 ? 0 : ends[j - 1]!;
      const to = ends[j]!;
      if (to === from || bytes[to - 1] !== NEWLINE) {
        // not a whole line: its own piece, with the newline added
        endRun();
        okRows.add(asLine(bytes.subarray(from, to)));
      } else if (runRows > 0 && from === runTo) {
        runTo = to;
        runRows++;
      } else {
        endRun();
        runFrom = from;
        runTo = to;
        runRows = 1;
      }
    }
    endRun();
  }

  /** Invokes `transform` with the Lambda event of records [from, to). */
  private eventInvoker(records: RecordRun, from: number, to: number, invocationId: string, recordIds: string[]): () => Promise<Outcomes> {
    const event: FirehoseTransformationEvent = {
      invocationId,
      deliveryStreamArn: this.arn,
      region: "local",
      records: recordIds.map((recordId, i) => ({ recordId, approximateArrivalTimestamp: records.arrivedAt(from + i), data: records.data(from + i).toString("base64") })),
    };
    return async () => {
      const { recordIds, results, data, ends } = packResponse(await this.o.transform(event));
      return { recordIds, results, bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength), ends };
    };
  }

  /** Invokes the packed transformation with records [from, to) packed into one buffer. */
  private packedInvoker(records: RecordRun, from: number, to: number, invocationId: string, recordIds: string[], transform: PackedTransform): () => Promise<Outcomes> {
    return async () => {
      // packed per attempt (one copy): into memory the transformation gives (and then owns), or
      // else memory it handed back before (buffers transferred to a worker are gone from here)
      const into = this.o.packMemory ? this.o.packMemory(records.start(to) - records.start(from)) : this.spentPacks.pop();
      const { data, ends, arrivals } = records.pack(from, to, into);
      const reuse = this.spentAnswers.pop();
      const out = await transform({ invocationId, deliveryStreamArn: this.arn, region: "local", recordIds, arrivals, data, ends, ...(reuse ? { reuse } : {}) });
      if (out.spent && this.spentPacks.length < 64) this.spentPacks.push(out.spent);
      const bytes = Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength);
      return { recordIds: out.recordIds, results: out.results, bytes, ends: out.ends, memory: out.data.buffer };
    };
  }

  /** Source-record backup, partitioned by each post's own date (arrival time when unreadable). */
  private async writeRaw(records: RecordRun, at: Date): Promise<void> {
    // A partition's records mostly lie back to back in the run: read in place, a view per run of
    // them (one when posts come in time order), and a single view is compressed straight from
    // the run, with no copy
    const groups = new Map<string, Buffer[]>();
    const partitions = new RawPartitions();
    const bytes = records.bytes;
    let prefix = "";
    let from = 0;
    let to = 0;
    const add = (piece: Buffer) => {
      const pieces = groups.get(prefix);
      if (pieces) pieces.push(piece);
      else groups.set(prefix, [piece]);
    };
    const endRun = () => {
      if (to > from) add(bytes.subarray(from, to));
      from = to;
    };
    for (let i = 0; i < records.length; i++) {
      const end = records.end(i);
      const p = partitions.of(bytes, to, end, records.arrivedAt(i));
      if (p !== prefix) {
        endRun();
        prefix = p;
      }
      const whole = end > to && bytes[end - 1] === NEWLINE;
      to = end;
      if (!whole) {
        // not a whole line: the newline is added after it
        endRun();
        add(NEWLINE_BYTES);
      }
    }
    endRun();
    await Promise.all([...groups].map(([prefix, pieces]) => this.writeObject(prefix, pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces), at)));
  }

  private async writeErrors(failures: ErrorRecord[], at: Date): Promise<void> {
    await this.writeObject(errorPrefix("processing-failed", at), Buffer.from(failures.map((f) => JSON.stringify(f) + "\n").join("")), at);
  }

  /** Writes an object atomically (temp file + fsync + rename), as S3 makes objects appear whole. */
  private async writeObject(prefix: string, body: Buffer, at: Date): Promise<void> {
    const dir = path.join(this.o.lakeDir, prefix);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, objectName(this.o.name, at, randomUUID()));
    const tmp = `${file}.tmp`;
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(await gzipAsync(body, GZIP));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  }
}

// fsync and gzip run on libuv's pool: the event loop keeps accepting, scoring and landing meanwhile
const fsyncAsync = promisify(fsync);
const gzipAsync = promisify(gzip);
// Level 1: raw backups are written once and read rarely. 256 KiB output chunks: zlib calls back
// on the event loop once per chunk, and the 16 KiB default made thousands of callbacks a run.
const GZIP = { level: 1, chunkSize: 256 * 1024 };

/**
 * A transformation's answer, packed whichever form it came in: ids and results in response order,
 * and an Ok record's bytes at `bytes[ends[j - 1] ?? 0 … ends[j])`.
 */
interface Outcomes {
  recordIds: string[];
  results: string[];
  bytes: Buffer;
  ends: ArrayLike<number>;
  /** The memory `bytes` lives in, when a packed transformation may answer into it again. */
  memory?: ArrayBufferLike;
}

const NEWLINE = 10;
const NEWLINE_BYTES = Buffer.from("\n");
/** The bytes as one NDJSON line: with their newline, added when missing. */
const asLine = (bytes: Buffer): Buffer => (bytes.at(-1) === NEWLINE ? bytes : Buffer.concat([bytes, NEWLINE_BYTES]));

const emptyStaged = (started: Date): Staged => ({ records: 0, okRows: new RowPieces(), failures: [], started, answers: [] });

/** Index ranges [from, to) of invocations whose records' base64 stays within `maxBytes` (at least one record each). */
function* chunkBySize(records: RecordRun, maxBytes: number): Generator<[number, number]> {
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const size = base64Length(records.start(i + 1) - records.start(i));
    if (i > from && bytes + size > maxBytes) {
      yield [from, i];
      from = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (records.length > from) yield [from, records.length];
}

/**
 * Journal files: a magic line, then a block per call: its record count (uint32), arrival time
 * (float64), each record's length (uint32), then the records' bytes as they lie in the run. The
 * bytes are written straight from the run (no copy); a block cut short (a call that never
 * returned) is dropped whole.
 */
const JOURNAL_MAGIC = Buffer.from("defi-sentiment journal 3\n");
const BLOCK_HEADER = 12;
/** Version 2: per record its arrival time (float64), length (uint32) and bytes. */
const JOURNAL_MAGIC_2 = Buffer.from("defi-sentiment journal 2\n");
const JOURNAL_HEADER_2 = 12;

/** Reused for every append: the journal is written synchronously, so the header is free again at once. */
const journalHeaderScratch = Buffer.allocUnsafeSlow(BLOCK_HEADER + 4 * FIREHOSE_LIMITS.maxRecordsPerBatch);

function journalHeader(run: RecordRun, from: number, arrivedAt: number): Buffer {
  const count = run.length - from;
  const out = journalHeaderScratch;
  out.writeUInt32LE(count, 0);
  out.writeDoubleLE(arrivedAt, 4);
  for (let i = 0; i < count; i++) out.writeUInt32LE(run.end(from + i) - run.start(from + i), BLOCK_HEADER + 4 * i);
  return out.subarray(0, BLOCK_HEADER + 4 * count);
}

/** Writes every byte of `pieces`, in order (a regular file may take fewer at a time). */
function writeAllSync(fd: number, pieces: Buffer[]): void {
  let written = writevSync(fd, pieces);
  for (const piece of pieces) {
    if (written >= piece.length) {
      written -= piece.length;
      continue;
    }
    for (let at = written; at < piece.length; ) at += writeSync(fd, piece, at);
    written = 0;
  }
}

function readJournal(file: string): RecordRun {
  const out = new RecordRun();
  if (!existsSync(file)) return out;
  const data = readFileSync(file);
  if (data.subarray(0, JOURNAL_MAGIC.length).equals(JOURNAL_MAGIC)) {
    // A block cut short is a torn write from a crash; its call never resolved, so drop it.
    for (let at = JOURNAL_MAGIC.length; at + BLOCK_HEADER <= data.length; ) {
      const count = data.readUInt32LE(at);
      const arrivedAt = data.readDoubleLE(at + 4);
      let bytesAt = at + BLOCK_HEADER + 4 * count;
      if (bytesAt > data.length) break;
      let end = bytesAt;
      for (let i = 0; i < count; i++) end += data.readUInt32LE(at + BLOCK_HEADER + 4 * i);
      if (end > data.length) break;
      for (let i = 0; i < count; i++) {
        const length = data.readUInt32LE(at + BLOCK_HEADER + 4 * i);
        out.push(data.subarray(bytesAt, bytesAt + length), arrivedAt);
        bytesAt += length;
      }
      at = end;
    }
    return out;
  }
  if (data.subarray(0, JOURNAL_MAGIC_2.length).equals(JOURNAL_MAGIC_2)) {
    // A record cut short is a torn write from a crash; its call never resolved, so drop it.
    for (let at = JOURNAL_MAGIC_2.length; at + JOURNAL_HEADER_2 <= data.length; ) {
      const length = data.readUInt32LE(at + 8);
      if (at + JOURNAL_HEADER_2 + length > data.length) break;
      out.push(data.subarray(at + JOURNAL_HEADER_2, at + JOURNAL_HEADER_2 + length), data.readDoubleLE(at));
      at += JOURNAL_HEADER_2 + length;
    }
    return out;
  }
  // Journals written before version 2: a line per record, "<arrival ms> <base64>".
  const lines = data.toString("utf8").split("\n");
  // The text after the last newline is a torn write from a crash; its call never resolved, so drop it.
  lines.pop();
  for (const line of lines) {
    const space = line.indexOf(" ");
    if (space <= 0) continue;
    out.push(Buffer.from(line.slice(space + 1), "base64"), Number(line.slice(0, space)));
  }
  return out;
}
