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

port.on("message", (msg: { id: number; event?: FirehoseTransformationEvent; packed?: PackedInvocation }) => {
  const logs: LogLine[] = [];
  try {
    const log = (line: LogLine) => logs.push(line);
    if (msg.packed) {
      const packed = transformPacked(msg.packed, { log });
      // the invocation's memory goes back too, for the next invocation (less allocation churn on both threads)
      const spent = msg.packed.data.buffer as ArrayBuffer;
      port.postMessage({ id: msg.id, packed: { ...packed, spent }, logs }, [packed.data.buffer as ArrayBuffer, packed.ends.buffer as ArrayBuffer, spent]);
    } else {
      port.postMessage({ id: msg.id, response: transformRecords(msg.event!, { log }), logs });
    }
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), logs });
  }
});
