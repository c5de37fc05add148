/**
 * The scorer's transformation behind worker threads, with the delivery stream's `Transform`
 * signature: several invocations run at once, as Firehose invokes Lambda concurrently.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FirehoseTransformationEvent, FirehoseTransformationResponse } from "@defi-sentiment/shared";
import type { PackedInvocation, PackedResponse } from "@defi-sentiment/lake";
import type { LogLine } from "@defi-sentiment/scorer";
import { SlotPool } from "./slot-pool.ts";

export interface WorkerTransform {
  transform(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse>;
  /**
   * The same, packed (see the delivery stream's `packedTransform`). The records cross in a slot
   * of memory both threads hold and the answer comes back in it; `release` frees the slot once
   * the answer's rows are no longer read (the stream's `releaseAnswer`).
   */
  packed(invocation: PackedInvocation): Promise<PackedResponse>;
  /** A free slot of at least `bytes` to pack an invocation into (the stream's `packMemory`); `packed` takes it over. */
  memoryFor(bytes: number): SharedArrayBuffer;
  release(memory: ArrayBufferLike): void;
  /** Slots of shared memory held, in use or free (free ones beyond `freeSlots` are dropped). */
  readonly slots: number;
  close(): Promise<void>;
}

/** What a worker answers a packed invocation with: in its slot, or (too big for it) in memory of its own. */
type SlotAnswer = { results: string[]; ends: Uint32Array; length: number };
type Reply = { id: number; response?: FirehoseTransformationResponse; answer?: SlotAnswer; packed?: Omit<PackedResponse, "recordIds">; error?: string; logs: LogLine[] };
type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };

interface Scorer {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Slots this worker already holds (a slot's memory is sent once; later messages name it). */
  known: Set<number>;
  dead: Error | null;
}

/** A slot for records of `bytes`, with room for their answer: a scored row is a little longer than its post (a longer answer comes back in memory of its own). */
const slotBytes = (bytes: number) => Math.ceil(1.25 * bytes);

/** Default pool size: a core each, leaving one for the main thread (collector, lake files, DuckDB). */
export const DEFAULT_SCORING_WORKERS = Math.max(1, availableParallelism() - 1);

export interface WorkerTransformOptions {
  /** Scoring worker threads (default: one per core beyond the main thread's). */
  workers?: number;
  /** Free slots kept for reuse (default 64: ~64 MiB for the stream's 1 MiB invocations); more given back at once are dropped. */
  freeSlots?: number;
}

export function startWorkerTransform(log: (line: LogLine) => void, options: WorkerTransformOptions = {}): WorkerTransform {
  const size = options.workers ?? DEFAULT_SCORING_WORKERS;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`scoring workers must be a positive integer, got ${size}`);
  let next = 0;
  // Buffers transferred between threads count as new memory on the receiving side each time,
  // and V8 answers every few dozen MiB of it with a garbage collection: records and answers
  // cross in slots both threads keep instead.
  const pool = new SlotPool(options.freeSlots);
  const scorers: Scorer[] = Array.from({ length: size }, () => {
    // The worker loads TypeScript source through tsx, registered by its .mjs entry. Scoring
    // allocates many short-lived strings; a larger young generation keeps them out of the old
    // one (measured: about a fifth less wall time end to end at 200k posts).
    const worker = new Worker(new URL("./transform-worker-boot.mjs", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 192 } });
    worker.unref();
    const scorer: Scorer = { worker, pending: new Map(), known: new Set(), dead: null };
    const failAll = (err: Error) => {
      scorer.dead = err;
      for (const p of scorer.pending.values()) p.reject(err);
      scorer.pending.clear();
    };
    worker.on("message", (reply: Reply) => {
      reply.logs.forEach(log);
      const p = scorer.pending.get(reply.id);
      if (!p) return;
      scorer.pending.delete(reply.id);
      if (scorer.pending.size === 0) worker.unref();
      if (reply.error === undefined) p.resolve(reply);
      else p.reject(new Error(`transformation failed in the worker: ${reply.error}`));
    });
    worker.on("error", (err) => failAll(err));
    worker.on("exit", (code) => failAll(new Error(`transformation worker exited (code ${code})`)));
    return scorer;
  });
  const pick = (): Scorer | Error => {
    const live = scorers.filter((s) => !s.dead);
    // the least busy worker takes the invocation
    return live.length === 0 ? scorers[0]!.dead! : live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  };
  const send = (scorer: Scorer, message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Reply> => {
    const id = next++;
    scorer.worker.ref();
    return new Promise<Reply>((resolve, reject) => {
      scorer.pending.set(id, { resolve, reject });
      scorer.worker.postMessage({ id, ...message }, transfer);
    });
  };
  /** A slot dropped from the pool is dropped by the workers too (none is using it: it was free). */
  const giveBack = (slot: number) => {
    if (pool.give(slot)) return;
    for (const s of scorers) if (s.known.delete(slot) && !s.dead) s.worker.postMessage({ forget: slot });
  };
  return {
    async transform(event) {
      const scorer = pick();
      if (scorer instanceof Error) throw scorer;
      return (await send(scorer, { event }, [])).response!;
    },
    async packed(invocation) {
      const { data, recordIds, reuse: _reuse, ...rest } = invocation;
      // records packed into a slot (memoryFor) go as they are; any others are copied into one
      let slot = data.byteOffset === 0 ? pool.idOf(data.buffer) : undefined;
      if (slot === undefined) {
        slot = pool.take(slotBytes(data.byteLength));
        new Uint8Array(pool.memory(slot), 0, data.byteLength).set(data);
      }
      const memory = pool.memory(slot);
      let reply: Reply;
      try {
        const scorer = pick();
        if (scorer instanceof Error) throw scorer;
        const fresh = !scorer.known.has(slot);
        scorer.known.add(slot);
        reply = await send(
          scorer,
          { slot: { id: slot, length: data.byteLength, ...(fresh ? { memory } : {}) }, packed: { ...rest, recordIds } },
          [rest.ends.buffer as ArrayBuffer, rest.arrivals.buffer as ArrayBuffer],
        );
      } catch (err) {
        giveBack(slot);
        throw err;
      }
      if (reply.answer) {
        const { results, ends, length } = reply.answer;
        return { recordIds, results, ends, data: Buffer.from(memory, 0, length) };
      }
      giveBack(slot);
      return { ...reply.packed!, recordIds };
    },
    memoryFor(bytes) {
      return pool.memory(pool.take(slotBytes(bytes)));
    },
    release(memory) {
      const slot = pool.idOf(memory);
      if (slot !== undefined) giveBack(slot);
    },
    get slots() {
      return pool.size;
    },
    async close() {
      await Promise.all(
        scorers.map(async (s) => {
          s.worker.removeAllListeners("exit");
          await s.worker.terminate();
        }),
      );
    },
  };
}
