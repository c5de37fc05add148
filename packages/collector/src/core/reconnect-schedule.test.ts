import { describe, expect, it } from "vitest";
import { nextReconnectDelay, parseRateLimitReset, type StreamFailure } from "./reconnect-schedule.ts";

const NOW = Date.parse("2026-11-24T12:00:00Z");
const delays = (failure: StreamFailure, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const d = nextReconnectDelay(failure, i + 1, NOW);
    return d.action === "retry" ? d.delayMs : d.action;
  });

describe("reconnect schedule (X filtered-stream guidance)", () => {
  it("backs off linearly by 250 ms after network errors and caps at 16 s", () => {
    const all = delays({ kind: "network", detail: "ECONNRESET" }, 70);
    expect(all.slice(0, 4)).toEqual([250, 500, 750, 1000]);
    expect(all[63]).toBe(16_000);
    expect(all[64]).toBe(16_000);
    expect(all[69]).toBe(16_000);
    for (let i = 1; i < all.length; i++) expect(all[i]! >= all[i - 1]!).toBe(true);
  });

  it("treats a stall and an operational disconnect like network errors", () => {
    expect(delays({ kind: "stall", silentMs: 30_000 }, 3)).toEqual([250, 500, 750]);
    expect(delays({ kind: "operational-disconnect", detail: "x" }, 2)).toEqual([250, 500]);
  });

  it("backs off exponentially from 5 s to 320 s after HTTP errors", () => {
    expect(delays({ kind: "http", status: 503, detail: "Service Unavailable" }, 10)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000, 320_000, 320_000,
    ]);
    expect(delays({ kind: "http", status: 500, detail: "" }, 1)).toEqual([5_000]);
    expect(delays({ kind: "http", status: 400, detail: "" }, 1)).toEqual([5_000]);
  });

  it("backs off exponentially from 60 s after 429 and caps at 15 minutes", () => {
    expect(delays({ kind: "http", status: 429, detail: "TooManyConnections" }, 7)).toEqual([
      60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000,
    ]);
  });

  it("never reconnects before x-rate-limit-reset after a 429", () => {
    const resetAt = NOW + 600_000;
    const d = nextReconnectDelay({ kind: "http", status: 429, detail: "", rateLimitResetAt: resetAt }, 1, NOW);
    expect(d).toEqual({ action: "retry", failureClass: "rate-limit", delayMs: 600_000 });
    const past = nextReconnectDelay({ kind: "http", status: 429, detail: "", rateLimitResetAt: NOW - 5_000 }, 2, NOW);
    expect(past).toMatchObject({ delayMs: 120_000 });
  });

  it("stops on 401 and 403 with a message naming the token", () => {
    for (const status of [401, 403]) {
      const d = nextReconnectDelay({ kind: "http", status, detail: "Unauthorized" }, 1, NOW);
      expect(d.action).toBe("stop");
      expect(d.action === "stop" && d.reason).toContain(`HTTP ${status}`);
      expect(d.action === "stop" && d.reason).toContain("X_BEARER_TOKEN");
    }
  });

  it("rejects an attempt number below 1", () => {
    expect(() => nextReconnectDelay({ kind: "network", detail: "" }, 0, NOW)).toThrow(/attempt/);
  });

  it("reads x-rate-limit-reset as epoch seconds", () => {
    expect(parseRateLimitReset("1790000000")).toBe(1_790_000_000_000);
    expect(parseRateLimitReset(["1790000000"])).toBe(1_790_000_000_000);
    expect(parseRateLimitReset(undefined)).toBeNull();
    expect(parseRateLimitReset("soon")).toBeNull();
  });
});
