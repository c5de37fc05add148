import { packedBuffer } from "@defi-sentiment/shared";

/**
 * Records back to back in one buffer, with where each ends and when it arrived: what a delivery
 * stream holds between flushes. One copy per record on the way in, and no object per record kept
 * alive until the flush (tens of thousands of small Buffers would outlive the young generation and
 * cost the garbage collector a full mark each time).
 */
export class RecordRun {
  private memory: Buffer;
  private readonly ends: number[] = [];
  private readonly arrivals: number[] = [];

  /** `reuse`: memory of a run no longer needed (see `release`), used when it holds `capacity`. */
  constructor(capacity = 64 * 1024, reuse?: Buffer) {
    this.memory = reuse && reuse.length >= capacity ? reuse : Buffer.allocUnsafeSlow(Math.max(1024, capacity));
  }

  /** Gives up this run's memory for a new run to reuse; the run must not be read after. */
  release(): Buffer {
    const bytes = this.memory;
    this.memory = Buffer.alloc(0);
    this.ends.length = 0;
    this.arrivals.length = 0;
    return bytes;
  }

  /** Records held. */
  get length(): number {
    return this.ends.length;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1]!;
  }

  push(data: Uint8Array, arrivedAt: number): void {
    const at = this.byteLength;
    if (at + data.byteLength > this.memory.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.memory.length, at + data.byteLength));
      this.memory.copy(bigger, 0, 0, at);
      this.memory = bigger;
    }
    this.memory.set(data, at);
    this.ends.push(at + data.byteLength);
    this.arrivals.push(arrivedAt);
  }

  /** The memory records lie in: record i is `bytes[start(i) … end(i))`; valid until the next push or `release`. */
  get bytes(): Buffer {
    return this.memory;
  }

  start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }

  end(i: number): number {
    return this.ends[i]!;
  }

  /** Record i's bytes (a view: valid while this run lives). */
  data(i: number): Buffer {
    return this.memory.subarray(this.start(i), this.ends[i]);
  }

  arrivedAt(i: number): number {
    return this.arrivals[i]!;
  }

  /**
   * Records [from, to) in a buffer of their own (transferable to a worker), with ends relative to
   * it: a view of `into` when that memory is large enough (it is then the data's own), else new.
   */
  pack(from: number, to: number, into?: ArrayBufferLike): { data: Buffer; ends: Uint32Array; arrivals: Float64Array } {
    const base = this.start(from);
    const data = packedBuffer(this.start(to) - base, into);
    this.memory.copy(data, 0, base, this.start(to));
    const ends = new Uint32Array(to - from);
    for (let i = from; i < to; i++) ends[i - from] = this.ends[i]! - base;
    return { data, ends, arrivals: Float64Array.from(this.arrivals.slice(from, to)) };
  }
}

/**
 * Rows kept until they land (a flush's Ok rows), as few views as possible: rows lying back to
 * back in one buffer (every Ok row of a packed answer) join into one. A view per row would keep
 * tens of thousands of objects alive for seconds, promoted and then collected by full GCs.
 */
export class RowPieces {
  readonly pieces: Buffer[] = [];
  rows = 0;

  add(row: Buffer): void {
    this.addRun(row, 1);
  }

  /** `rows` whole lines back to back in `run` (one view for a run of adjacent rows, not a view per row). */
  addRun(run: Buffer, rows: number): void {
    this.rows += rows;
    const n = this.pieces.length;
    const last = n > 0 ? this.pieces[n - 1]! : null;
    if (last && last.buffer === run.buffer && last.byteOffset + last.byteLength === run.byteOffset) {
      this.pieces[n - 1] = Buffer.from(last.buffer, last.byteOffset, last.byteLength + run.byteLength);
    } else {
      this.pieces.push(run);
    }
  }
}
