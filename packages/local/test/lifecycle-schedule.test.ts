import { describe, expect, it } from "vitest";
import { scheduleComplianceCheck, type ComplianceScheduleTimers } from "../src/lifecycle/compliance-schedule.ts";

/** Timers driven by the test: `fire()` runs the one armed timer, `armed` says for how long it was set. */
function manualTimers() {
  let next: { fn: () => void; ms: number } | null = null;
  const timers: ComplianceScheduleTimers = {
    setTimeout: (fn, ms) => (next = { fn, ms }),
    clearTimeout: (h) => {
      if (h === next) next = null;
    },
  };
  return {
    timers,
    get armed() {
      return next?.ms ?? null;
    },
    fire() {
      const t = next;
      next = null;
      t?.fn();
    },
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("scheduled compliance check", () => {
  it("runs first after the start delay, then every interval, never two at once, and logs each run", async () => {
    const t = manualTimers();
    const lines: string[] = [];
    let finish: (() => void) | null = null;
    const s = scheduleComplianceCheck({ check: () => new Promise<string>((r) => (finish = () => r("deleted 0 posts"))), log: (l) => lines.push(l), intervalMs: 24 * 3_600_000, firstDelayMs: 60_000, timers: t.timers });
    expect(t.armed).toBe(60_000);
    t.fire();
    expect(s.runs).toBe(1);
    expect(t.armed).toBeNull(); // while a check runs, no next one is armed
    finish!();
    await tick();
    expect(t.armed).toBe(24 * 3_600_000);
    t.fire();
    expect(s.runs).toBe(2);
    finish!();
    await tick();
    expect(lines).toContain("compliance check 2: deleted 0 posts");
    expect(lines[0]).toMatch(/scheduled: first in 60 s, then every 24 h/);
    await s.stop();
    expect(t.armed).toBeNull();
  });

  it("logs a failed check and keeps the schedule", async () => {
    const t = manualTimers();
    const lines: string[] = [];
    const s = scheduleComplianceCheck({ check: async () => { throw new Error("HTTP 503"); }, log: (l) => lines.push(l), intervalMs: 1000, timers: t.timers });
    t.fire();
    await tick();
    expect(lines.at(-1)).toBe("compliance check 1 failed: HTTP 503; next in 1 s");
    expect(t.armed).toBe(1000);
    await s.stop();
  });

  it("stop aborts a running check and waits for it to end", async () => {
    const t = manualTimers();
    let seen: AbortSignal | null = null;
    const s = scheduleComplianceCheck({
      check: (signal) => new Promise<string>((_, reject) => { seen = signal; signal.addEventListener("abort", () => reject(new Error("stopped"))); }),
      log: () => {},
      timers: t.timers,
    });
    t.fire();
    await s.stop();
    expect(seen!.aborted).toBe(true);
    expect(t.armed).toBeNull();
  });
});
