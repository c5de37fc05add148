/**
 * When to reconnect to the filtered stream, as X's guidance says, as a pure function.
 *
 * - network errors (reset, refused, stall, operational-disconnect): linear, 250 ms steps, max 16 s
 * - HTTP errors (5xx, other 4xx): exponential from 5 s, doubling, max 320 s
 * - HTTP 429: exponential from 60 s, doubling (max 15 min), and never before `x-rate-limit-reset`
 * - HTTP 401 / 403: stop, the credentials or the project's access are wrong; retrying cannot help
 *
 * `attempt` counts consecutive failures of the same class, starting at 1; the supervisor resets it
 * after a connection that delivered data.
 */

export type StreamFailure =
  | { kind: "network"; detail: string }
  | { kind: "stall"; silentMs: number }
  | { kind: "operational-disconnect"; detail: string }
  | { kind: "http"; status: number; detail: string; rateLimitResetAt?: number | null };

export type FailureClass = "network" | "http" | "rate-limit" | "fatal";

export type ReconnectDecision =
  | { action: "retry"; delayMs: number; failureClass: Exclude<FailureClass, "fatal"> }
  | { action: "stop"; failureClass: "fatal"; reason: string };

export const RECONNECT_LIMITS = {
  networkStepMs: 250,
  networkMaxMs: 16_000,
  httpFirstMs: 5_000,
  httpMaxMs: 320_000,
  rateLimitFirstMs: 60_000,
  rateLimitMaxMs: 900_000,
} as const;

export function classifyFailure(failure: StreamFailure): FailureClass {
  if (failure.kind !== "http") return "network";
  if (failure.status === 401 || failure.status === 403) return "fatal";
  if (failure.status === 429) return "rate-limit";
  return "http";
}

const exponential = (first: number, max: number, attempt: number) =>
  Math.min(max, first * 2 ** Math.min(30, Math.max(0, attempt - 1)));

/**
 * The delay before the next connect after `failure`, the `attempt`-th consecutive one of its class.
 * `now` is epoch ms; a 429's `rateLimitResetAt` is epoch ms too.
 */
export function nextReconnectDelay(failure: StreamFailure, attempt: number, now: number): ReconnectDecision {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`nextReconnectDelay: attempt must be an integer >= 1, got ${attempt}`);
  const failureClass = classifyFailure(failure);
  switch (failureClass) {
    case "fatal": {
      const f = failure as Extract<StreamFailure, { kind: "http" }>;
      return {
        action: "stop",
        failureClass,
        reason: `X answered HTTP ${f.status} on the filtered stream (${f.detail}): check X_BEARER_TOKEN and that the app's project has filtered-stream access; not retrying`,
      };
    }
    case "network":
      return { action: "retry", failureClass, delayMs: Math.min(RECONNECT_LIMITS.networkMaxMs, RECONNECT_LIMITS.networkStepMs * attempt) };
    case "http":
      return { action: "retry", failureClass, delayMs: exponential(RECONNECT_LIMITS.httpFirstMs, RECONNECT_LIMITS.httpMaxMs, attempt) };
    case "rate-limit": {
      const backoff = exponential(RECONNECT_LIMITS.rateLimitFirstMs, RECONNECT_LIMITS.rateLimitMaxMs, attempt);
      const reset = failure.kind === "http" && failure.rateLimitResetAt ? failure.rateLimitResetAt - now : 0;
      return { action: "retry", failureClass, delayMs: Math.max(backoff, reset) };
    }
  }
}

/** `x-rate-limit-reset` is epoch seconds; returns epoch ms, or null when absent or malformed. */
export function parseRateLimitReset(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim()) * 1000;
}
