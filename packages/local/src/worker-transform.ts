/**
 * The scorer's transformation behind worker threads, with the delivery stream's `Transform`
 * signature: several invocations run at once, as Firehose invokes Lambda concurrently.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FirehoseTransformationEvent, FirehoseTransformationResponse } from "@defi-sentiment/shared";
import type { PackedInvocation, PackedResponse } from "@defi-sentiment/lake";
import type { LogLine } from "@defi-sentiment/scorer";

export interface WorkerTransform {
  transform(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse>;
  /** The same, packed (see the delivery stream's `packedTransform`): the invocation's buffers are transferred. */
  packed(invocation: PackedInvocation): Promise<PackedResponse>;
  close(): Promise<void>;
}

type Reply = { id: number; response?: FirehoseTransformationResponse; packed?: PackedResponse; error?: string; logs: LogLine[] };
type Pending = { resolve: (r: FirehoseTransformationResponse | PackedResponse) => void; reject: (e: Error) => void };

interface Scorer {
  worker: Worker;
  pending: Map<number, Pending>;
  dead: Error | null;
}

/** Default pool size: a core each, leaving one for the main thread (collector, lake files, DuckDB). */
export const DEFAULT_SCORING_WORKERS = Math.max(1, availableParallelism() - 1);

export function startWorkerTransform(log: (line: LogLine) => void, options: { workers?: number } = {}): WorkerTransform {
  const size = options.workers ?? DEFAULT_SCORING_WORKERS;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`scoring workers must be a positive integer, got ${size}`);
  let next = 0;
  const scorers: Scorer[] = Array.from({ length: size }, () => {
    // The worker loads TypeScript source through tsx, registered by its .mjs entry. Scoring
    // allocates many short-lived strings; a larger young generation keeps them out of the old
    // one (measured: about a fifth less wall time end to end at 200k posts).
    const worker = new Worker(new URL("./transform-worker-boot.mjs", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 192 } });
    worker.unref();
    const scorer: Scorer = { worker, pending: new Map(), dead: null };
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
      const out = reply.response ?? reply.packed;
      if (out) p.resolve(out);
      else p.reject(new Error(`transformation failed in the worker: ${reply.error}`));
    });
    worker.on("error", (err) => failAll(err));
    worker.on("exit", (code) => failAll(new Error(`transformation worker exited (code ${code})`)));
    return scorer;
  });
  const send = <T>(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<T> => {
    const live = scorers.filter((s) => !s.dead);
    if (live.length === 0) return Promise.reject(scorers[0]!.dead);
    // the least busy worker takes the invocation
    const scorer = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = next++;
    scorer.worker.ref();
    return new Promise<T>((resolve, reject) => {
      scorer.pending.set(id, { resolve: resolve as Pending["resolve"], reject });
      scorer.worker.postMessage({ id, ...message }, transfer);
    });
  };
  return {
    transform: (event) => send({ event }, []),
    packed: (invocation) =>
      send({ packed: invocation }, [
        invocation.data.buffer as ArrayBuffer,
        invocation.ends.buffer as ArrayBuffer,
        invocation.arrivals.buffer as ArrayBuffer,
        ...(invocation.reuse ? [invocation.reuse] : []),
      ]),
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
