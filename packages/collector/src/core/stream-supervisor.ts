/**
 * Keeps one filtered-stream connection alive: connects, splits the body into `\r\n` lines, detects
 * stalls (nothing, not even X's 20 s keep-alive, for `stallMs`), handles operational-disconnect
 * messages and truncated lines, and reconnects on the schedule of reconnect-schedule.ts. Everything
 * it does is reported as an event; the transport, clock and sleep are injected.
 */
import { DecodeError, parseJsonSafe, XStreamLineSchema, type XStreamLine } from "@defi-sentiment/shared";
import type { DeletionNotice } from "../compliance/deletion-notice.ts";
import { nextReconnectDelay, parseRateLimitReset, type StreamFailure } from "./reconnect-schedule.ts";

/** One HTTP response of `GET /2/tweets/search/stream`. */
export interface StreamConnection {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Decoded UTF-8 text of the body, in arbitrary chunks; ends when the server closes. */
  chunks: AsyncIterator<string>;
  /** Aborts the response (used on stall, shutdown and operational-disconnect). */
  close(): void;
}

export type StreamEvent =
  | { type: "connected"; connection: number; at: number }
  | { type: "line"; line: XStreamLine; at: number }
  | { type: "keep-alive"; at: number }
  | { type: "bad-line"; reason: "truncated" | "invalid-json" | "invalid-shape"; where: string; detail: string; at: number }
  | { type: "stream-error"; detail: string; at: number }
  /** A compliance message (deletion notice, or a recognised event we ignore: `notice` null). */
  | { type: "compliance"; notice: DeletionNotice | null; where: string; at: number }
  | { type: "disconnected"; failure: StreamFailure; delayMs: number; at: number };

export class StreamStoppedError extends Error {
  override name = "StreamStoppedError";
}

export interface StreamSupervisorOptions {
  connect: (signal: AbortSignal) => Promise<StreamConnection>;
  signal?: AbortSignal;
  clock?: () => number;
  /** Waits `ms` unless `signal` aborts first. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Silence (no data, no keep-alive) after which the connection counts as stalled (default 30 s). */
  stallMs?: number;
  /** X allows 50 connects per 15 minutes; the supervisor never exceeds it. */
  maxConnectsPerWindow?: number;
  connectWindowMs?: number;
  /**
   * Recognises compliance messages among lines that are not posts: a deletion notice, `"ignored"`
   * for an event we deliberately ignore, or null (then the line is a bad line as before).
   */
  complianceOf?: (value: unknown) => DeletionNotice | "ignored" | null;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

const STALL = Symbol("stall");
const ABORT = Symbol("abort");

function nextWithin<T>(it: AsyncIterator<T>, ms: number, signal: AbortSignal): Promise<IteratorResult<T> | typeof STALL | typeof ABORT> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(ABORT);
    const onAbort = () => finish(() => resolve(ABORT));
    const timer = setTimeout(() => finish(() => resolve(STALL)), ms);
    signal.addEventListener("abort", onAbort, { once: true });
    function finish(f: () => void) {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      f();
    }
    it.next().then(
      (r) => finish(() => resolve(r)),
      (e) => finish(() => reject(e)),
    );
  });
}

const preview = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}…` : s);

function isOperationalDisconnect(value: unknown): string | null {
  const errors = (value as { errors?: { title?: string; detail?: string; disconnect_type?: string }[] } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  const e = errors.find((x) => x?.title === "operational-disconnect" || x?.disconnect_type === "OperationalDisconnect");
  return e ? (e.detail ?? e.title ?? "operational-disconnect") : null;
}

/** Runs until `signal` aborts (returns) or X refuses the credentials (throws StreamStoppedError). */
export async function* superviseStream(options: StreamSupervisorOptions): AsyncGenerator<StreamEvent> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const stallMs = options.stallMs ?? 30_000;
  const maxConnects = options.maxConnectsPerWindow ?? 50;
  const connectWindowMs = options.connectWindowMs ?? 15 * 60_000;
  const outer = options.signal ?? new AbortController().signal;
  const attempts = { network: 0, http: 0, "rate-limit": 0 };
  const connects: number[] = [];
  let connection = 0;

  while (!outer.aborted) {
    // Respect X's connect quota before dialling.
    while (connects.length && connects[0]! <= clock() - connectWindowMs) connects.shift();
    if (connects.length >= maxConnects) {
      await sleep(connects[0]! + connectWindowMs - clock(), outer);
      continue;
    }
    connects.push(clock());
    connection++;
    const local = new AbortController();
    const onOuterAbort = () => local.abort();
    outer.addEventListener("abort", onOuterAbort, { once: true });
    let failure: StreamFailure | null = null;
    let conn: StreamConnection | null = null;
    try {
      try {
        conn = await options.connect(local.signal);
      } catch (err) {
        failure = { kind: "network", detail: (err as Error).message };
      }
      if (conn && conn.status !== 200) {
        let body = "";
        try {
          for (let r = await conn.chunks.next(); !r.done && body.length < 2000; r = await conn.chunks.next()) body += r.value;
        } catch {
          /* the status is what matters */
        }
        conn.close();
        failure = {
          kind: "http",
          status: conn.status,
          detail: preview(body.trim()) || `HTTP ${conn.status}`,
          rateLimitResetAt: parseRateLimitReset(conn.headers["x-rate-limit-reset"]),
        };
      } else if (conn) {
        yield { type: "connected", connection, at: clock() };
        let buffer = "";
        let lineNo = 0;
        let gotBytes = false;
        for (;;) {
          let r: Awaited<ReturnType<typeof nextWithin<string>>>;
          try {
            r = await nextWithin(conn.chunks, stallMs, local.signal);
          } catch (err) {
            failure = { kind: "network", detail: (err as Error).message };
            break;
          }
          if (r === ABORT) break;
          if (r === STALL) {
            failure = { kind: "stall", silentMs: stallMs };
            break;
          }
          if (r.done) {
            failure = { kind: "network", detail: "stream closed by server" };
            break;
          }
          if (!gotBytes) {
            gotBytes = true;
            attempts.network = attempts.http = attempts["rate-limit"] = 0;
          }
          buffer += r.value;
          let nl: number;
          let disconnect: string | null = null;
          while ((nl = buffer.indexOf("\n")) !== -1) {
            const raw = buffer.slice(0, nl).replace(/\r$/, "");
            buffer = buffer.slice(nl + 1);
            lineNo++;
            const at = clock();
            if (!raw.trim()) {
              yield { type: "keep-alive", at };
              continue;
            }
            const where = `stream connection ${connection} line ${lineNo}`;
            let value: unknown;
            try {
              value = parseJsonSafe(raw, where);
            } catch (err) {
              yield { type: "bad-line", reason: "invalid-json", where, detail: (err as DecodeError).message, at };
              continue;
            }
            const parsed = XStreamLineSchema.safeParse(value);
            if (parsed.success) {
              yield { type: "line", line: parsed.data, at };
              continue;
            }
            const compliance = options.complianceOf?.(value) ?? null;
            if (compliance) {
              yield { type: "compliance", notice: compliance === "ignored" ? null : compliance, where, at };
              continue;
            }
            disconnect = isOperationalDisconnect(value);
            if (disconnect) break;
            if (value && typeof value === "object" && "errors" in value && !("data" in value)) {
              yield { type: "stream-error", detail: preview(raw), at };
              continue;
            }
            const issue = parsed.error.issues[0];
            yield { type: "bad-line", reason: "invalid-shape", where, detail: `${issue?.path.join(".")}: ${issue?.message}`, at };
          }
          if (disconnect) {
            failure = { kind: "operational-disconnect", detail: disconnect };
            buffer = "";
            break;
          }
        }
        conn.close();
        if (buffer.trim() && !outer.aborted) {
          yield {
            type: "bad-line",
            reason: "truncated",
            where: `stream connection ${connection} line ${lineNo + 1}`,
            detail: `connection ended mid-line: ${preview(buffer)}`,
            at: clock(),
          };
        }
      }
    } finally {
      outer.removeEventListener("abort", onOuterAbort);
      conn?.close();
    }
    if (outer.aborted || !failure) break;
    const cls = failure.kind === "http" ? (failure.status === 429 ? "rate-limit" : failure.status === 401 || failure.status === 403 ? null : "http") : "network";
    const attempt = cls ? ++attempts[cls] : 1;
    const decision = nextReconnectDelay(failure, attempt, clock());
    if (decision.action === "stop") throw new StreamStoppedError(decision.reason);
    yield { type: "disconnected", failure, delayMs: decision.delayMs, at: clock() };
    await sleep(decision.delayMs, outer);
  }
}
