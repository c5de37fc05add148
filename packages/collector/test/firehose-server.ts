/**
 * A local server that speaks Amazon Data Firehose's JSON 1.1 protocol for PutRecordBatch, with
 * scriptable faults, so delivery is tested through the real SDK client (endpoint override).
 *
 * It enforces the real limits (≤ 500 records, ≤ 4 MiB, ≤ 1,000 KiB per record →
 * InvalidArgumentException), records every call and every accepted record, and can append the
 * accepted records to a file so several processes (kill -9 drills) share one record of truth.
 */
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FIREHOSE_LIMITS } from "@defi-sentiment/shared";

export interface FirehoseFaults {
  /** Probability that each record in a call fails with ServiceUnavailableException (per-record ErrorCode). */
  recordFailureRate?: number;
  /** Per-record ErrorCode to use for those failures (default ServiceUnavailableException). */
  recordErrorCode?: string;
  /** The next N calls fail whole with this error. */
  outage?: { calls: number; kind: OutageKind };
  /** Calls fail whole with this error until this epoch ms. */
  outageUntil?: { until: number; kind: OutageKind };
  /** Delay before answering, in ms. */
  latencyMs?: number;
  /** The next N calls are accepted (recorded) and then the connection is reset, so the response is lost. */
  resetAfterAccept?: number;
}

export type OutageKind = "unavailable-500" | "throttling-400" | "limit-exceeded-400" | "reset";

export interface FirehoseCall {
  at: number;
  records: number;
  bytes: number;
  /** What the server answered: "ok" (possibly with per-record failures), or the fault. */
  outcome: "ok" | OutageKind | "invalid" | "reset-after-accept";
  failedRecords: number;
  streamName: string;
  /** The call's records (decoded), and the indexes that got a per-record ErrorCode; kept when keepRecords. */
  data: Buffer[];
  failedIndexes: number[];
}

export interface StartedFirehoseServer {
  url: string;
  calls: FirehoseCall[];
  /** Every record the server accepted, in order (decoded data). Redeliveries appear again. */
  accepted: Buffer[];
  /** Highest number of calls being handled at the same moment. */
  maxConcurrent: number;
  /** Calls being handled right now (a request whose client died may still be finishing). */
  active: number;
  faults: FirehoseFaults;
  close(): Promise<void>;
}

export interface FirehoseServerOptions {
  faults?: FirehoseFaults;
  /** Random source for per-record failures (seeded in tests). */
  random?: () => number;
  /** Append every accepted record's data (one JSON line each) to this file. */
  persistPath?: string;
  /** Keep accepted records in memory (default true; turn off in benchmarks). */
  keepRecords?: boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": `req-${Math.random().toString(16).slice(2)}`,
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  res.end(text);
}

function sendFault(req: IncomingMessage, res: ServerResponse, kind: OutageKind): void {
  if (kind === "reset") {
    req.socket.destroy();
    return;
  }
  if (kind === "unavailable-500") sendJson(res, 500, { __type: "ServiceUnavailableException", message: "Slow down." }, "ServiceUnavailableException");
  else if (kind === "throttling-400") sendJson(res, 400, { __type: "ThrottlingException", message: "Rate exceeded" }, "ThrottlingException");
  else sendJson(res, 400, { __type: "LimitExceededException", message: "Limit exceeded" }, "LimitExceededException");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFirehoseServer(options: FirehoseServerOptions = {}): Promise<StartedFirehoseServer> {
  const random = options.random ?? Math.random;
  const keep = options.keepRecords ?? true;
  let active = 0;
  const state: StartedFirehoseServer = {
    url: "",
    calls: [],
    accepted: [],
    maxConcurrent: 0,
    active: 0,
    faults: options.faults ?? {},
    close: async () => undefined,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = req.headers["x-amz-target"];
    if (req.method !== "POST" || req.url !== "/" || target !== "Firehose_20150804.PutRecordBatch") {
      sendJson(res, 400, { __type: "UnknownOperationException", message: `unsupported ${req.method} ${req.url} ${String(target)}` }, "UnknownOperationException");
      return;
    }
    if (!String(req.headers["content-type"]).startsWith("application/x-amz-json-1.1")) {
      sendJson(res, 400, { __type: "SerializationException", message: "content-type must be application/x-amz-json-1.1" }, "SerializationException");
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { DeliveryStreamName?: string; Records?: { Data?: string }[] };
    const records = (body.Records ?? []).map((r) => Buffer.from(r.Data ?? "", "base64"));
    const bytes = records.reduce((n, r) => n + r.length, 0);
    const call: FirehoseCall = { at: Date.now(), records: records.length, bytes, outcome: "ok", failedRecords: 0, streamName: body.DeliveryStreamName ?? "", data: keep ? records : [], failedIndexes: [] };
    state.calls.push(call);
    const f = state.faults;
    if (f.latencyMs) await sleep(f.latencyMs);

    const invalid =
      records.length === 0 || records.length > FIREHOSE_LIMITS.maxRecordsPerBatch
        ? `Records has ${records.length} entries; it must have between 1 and ${FIREHOSE_LIMITS.maxRecordsPerBatch}`
        : bytes > FIREHOSE_LIMITS.maxBatchBytes
          ? `request data is ${bytes} bytes, above ${FIREHOSE_LIMITS.maxBatchBytes}`
          : records.some((r) => r.length > FIREHOSE_LIMITS.maxRecordBytes)
            ? `a record is above ${FIREHOSE_LIMITS.maxRecordBytes} bytes`
            : !body.DeliveryStreamName
              ? "DeliveryStreamName is required"
              : null;
    if (invalid) {
      call.outcome = "invalid";
      sendJson(res, 400, { __type: "InvalidArgumentException", message: invalid }, "InvalidArgumentException");
      return;
    }
    if (f.outage && f.outage.calls > 0) {
      f.outage.calls--;
      call.outcome = f.outage.kind;
      sendFault(req, res, f.outage.kind);
      return;
    }
    if (f.outageUntil && Date.now() < f.outageUntil.until) {
      call.outcome = f.outageUntil.kind;
      sendFault(req, res, f.outageUntil.kind);
      return;
    }
    const rate = f.recordFailureRate ?? 0;
    const responses = records.map((r, i) => {
      if (rate > 0 && random() < rate) {
        call.failedIndexes.push(i);
        return { ErrorCode: f.recordErrorCode ?? "ServiceUnavailableException", ErrorMessage: "Slow down." };
      }
      if (keep) state.accepted.push(r);
      if (options.persistPath) appendFileSync(options.persistPath, r);
      return { RecordId: `rec-${state.accepted.length}-${Math.random().toString(36).slice(2, 10)}` };
    });
    const failedPutCount = responses.filter((r) => "ErrorCode" in r).length;
    call.failedRecords = failedPutCount;
    if (f.resetAfterAccept && f.resetAfterAccept > 0) {
      f.resetAfterAccept--;
      call.outcome = "reset-after-accept";
      req.socket.destroy();
      return;
    }
    sendJson(res, 200, { FailedPutCount: failedPutCount, Encrypted: false, RequestResponses: responses });
  };

  const server: Server = createServer((req, res) => {
    active++;
    state.active = active;
    state.maxConcurrent = Math.max(state.maxConcurrent, active);
    handle(req, res)
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 400, { __type: "SerializationException", message: String(err) }, "SerializationException");
      })
      .finally(() => (state.active = --active));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Post ids of accepted records (each record is one Post as JSON + "\n"). */
export function acceptedIds(records: readonly Buffer[]): string[] {
  return records.map((r) => (JSON.parse(r.toString("utf8")) as { id: string }).id);
}
