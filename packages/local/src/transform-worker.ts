/**
 * Worker thread running the scorer's Firehose transformation, so scoring uses the second core
 * while the main thread collects, spools and writes the lake (as Lambda runs beside Firehose).
 * A packed invocation is scored by `transformPacked`: the Lambda's code and results, without base64.
 */
import { parentPort } from "node:worker_threads";
import type { FirehoseTransformationEvent, PackedInvocation } from "@defi-sentiment/shared";
import { transformPacked, transformRecords, type LogLine } from "@defi-sentiment/scorer";

if (!parentPort) throw new Error("transform-worker.ts must run as a worker thread");
const port = parentPort;

/** Shared memory the main thread sent, by slot id: records come in it and the answer goes back in it. */
const slots = new Map<number, SharedArrayBuffer>();

type Message =
  /** A slot the main thread no longer keeps. */
  | { forget: number }
  | {
      id: number;
      event?: FirehoseTransformationEvent;
      slot?: { id: number; length: number; memory?: SharedArrayBuffer };
      packed?: Omit<PackedInvocation, "data" | "reuse">;
    };

port.on("message", (msg: Message) => {
  if ("forget" in msg) {
    slots.delete(msg.forget);
    return;
  }
  const logs: LogLine[] = [];
  try {
    const log = (line: LogLine) => logs.push(line);
    if (msg.slot && msg.packed) {
      if (msg.slot.memory) slots.set(msg.slot.id, msg.slot.memory);
      const memory = slots.get(msg.slot.id);
      if (!memory) throw new Error(`no memory for slot ${msg.slot.id}`);
      // the answer is written over the records once they are all read (transformPacked's `reuse`)
      const { results, ends, data } = transformPacked({ ...msg.packed, data: new Uint8Array(memory, 0, msg.slot.length), reuse: memory }, { log });
      if (data.buffer === memory) port.postMessage({ id: msg.id, answer: { results, ends, length: data.byteLength }, logs }, [ends.buffer as ArrayBuffer]);
      else port.postMessage({ id: msg.id, packed: { results, ends, data }, logs }, [data.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
    } else {
      port.postMessage({ id: msg.id, response: transformRecords(msg.event!, { log }), logs });
    }
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), logs });
  }
});
