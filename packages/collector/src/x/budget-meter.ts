/**
 * The persisted X read budget: counts every post read (stream or search) into a state file and
 * says when the monthly cap is reached. Counters survive restarts.
 */
import {
  budgetExceededMessage,
  budgetStatus,
  emptyBudget,
  recordRead,
  BudgetExceededError,
  type BudgetLimits,
  type BudgetState,
  type BudgetStatus,
} from "../core/budget.ts";
import { readJsonState, writeJsonState } from "./json-state-file.ts";

const isBudgetState = (v: unknown): v is BudgetState => {
  const o = v as BudgetState | null;
  return !!o && typeof o.day === "string" && typeof o.month === "string" && Number.isInteger(o.postsToday) && Number.isInteger(o.postsThisMonth);
};

export interface BudgetMeter {
  /**
   * Counts posts read. Persists at once when the last write is `persistEveryMs` old or the cap is
   * reached, otherwise within `persistEveryMs` (a sync fsync per stream post would cap the stream
   * at the disk's fsync rate); a crash forgets at most that long of counting.
   */
  record(posts: number): void;
  /** Writes counts not yet persisted. */
  flush(): void;
  status(): BudgetStatus & { postsToday: number; postsThisMonth: number };
  /** How many more posts may be read this month. */
  remaining(): number;
  /** Throws BudgetExceededError with the stop message when the cap is reached. */
  assertAvailable(): void;
  readonly limits: BudgetLimits;
}

export function openBudgetMeter(path: string, limits: BudgetLimits, clock: () => number = Date.now, persistEveryMs = 1000): BudgetMeter {
  let state = readJsonState(path, emptyBudget(clock()), isBudgetState);
  let savedAt = -Infinity;
  let pending: NodeJS.Timeout | null = null;
  const save = () => {
    if (pending) clearTimeout(pending);
    pending = null;
    savedAt = clock();
    writeJsonState(path, state);
  };
  return {
    limits,
    record(posts) {
      if (posts <= 0) return;
      state = recordRead(state, posts, clock());
      if (clock() - savedAt >= persistEveryMs || budgetStatus(state, limits, clock()).exhausted) save();
      else pending ??= setTimeout(save, persistEveryMs).unref();
    },
    flush() {
      if (pending) save();
    },
    status() {
      const s = budgetStatus(state, limits, clock());
      const rolled = recordRead(state, 0, clock());
      return { ...s, postsToday: rolled.postsToday, postsThisMonth: rolled.postsThisMonth };
    },
    remaining: () => budgetStatus(state, limits, clock()).remaining,
    assertAvailable() {
      if (budgetStatus(state, limits, clock()).exhausted) throw new BudgetExceededError(budgetExceededMessage(recordRead(state, 0, clock()), limits));
    },
  };
}
