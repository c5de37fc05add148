/**
 * The scorer's transformation behind a worker thread, with the delivery stream's `Transform`
 * signature. One worker: the machine this targets has two cores, one for everything else.
 */
import { Worker } from "node:worker_threads";
import type { FirehoseTransformationEvent, FirehoseTransformationResponse } from "@defi-sentiment/shared";
import type { LogLine } from "@defi-sentiment/scorer";

export interface WorkerTransform {
  transform(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse>;
  close(): Promise<void>;
}

type Reply = { id: number; response?: FirehoseTransformationResponse; error?: string; logs: LogLine[] };

export function startWorkerTransform(log: (line: LogLine) => void): WorkerTransform {
  // The worker loads TypeScript source through tsx, registered by its .mjs entry.
  const worker = new Worker(new URL("./transform-worker-boot.mjs", import.meta.url));
  worker.unref();
  const pending = new Map<number, { resolve: (r: FirehoseTransformationResponse) => void; reject: (e: Error) => void }>();
  let next = 0;
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on("message", (reply: Reply) => {
    reply.logs.forEach(log);
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.response) p.resolve(reply.response);
    else p.reject(new Error(`transformation failed in the worker: ${reply.error}`));
  });
  worker.on("error", (err) => failAll(err));
  worker.on("exit", (code) => failAll(new Error(`transformation worker exited (code ${code})`)));
  return {
    transform(event) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      worker.ref();
      return new Promise<FirehoseTransformationResponse>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      });
    },
    async close() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
