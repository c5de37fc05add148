/**
 * Worker thread running the scorer's Firehose transformation, so scoring uses the second core
 * while the main thread collects, spools and writes the lake (as Lambda runs beside Firehose).
 */
import { parentPort } from "node:worker_threads";
import type { FirehoseTransformationEvent } from "@defi-sentiment/shared";
import { transformRecords, type LogLine } from "@defi-sentiment/scorer";

if (!parentPort) throw new Error("transform-worker.ts must run as a worker thread");
const port = parentPort;

port.on("message", (msg: { id: number; event: FirehoseTransformationEvent }) => {
  const logs: LogLine[] = [];
  try {
    const response = transformRecords(msg.event, { log: (line) => logs.push(line) });
    port.postMessage({ id: msg.id, response, logs });
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), logs });
  }
});
