/**
 * Recent search as a source of Post batches, for `backfill --since` and for stream gap fill.
 *
 * No post is read twice from search: the windows already searched (per query) are persisted, and
 * a new request only covers what they do not. The page cursor (`next_token`) is checkpointed after
 * each page has been accepted by delivery, so a restart resumes the window where it stopped.
 */
import { postsFromSearchPage, type Post } from "@defi-sentiment/shared";
import { BudgetExceededError } from "../core/budget.ts";
import { alignWindow, clampToRecentSearch, isoSecond, mergeWindows, RECENT_SEARCH, subtractWindows, type TimeWindow } from "../core/gap-fill.ts";
import { abortableSleep } from "../core/stream-supervisor.ts";
import type { BudgetMeter } from "../x/budget-meter.ts";
import { readJsonState, writeJsonState } from "../x/json-state-file.ts";
import { XApiError, type XClient } from "../x/x-client.ts";

export interface SearchQuery {
  query: string;
  tags: string[];
}

interface SearchState {
  version: 1;
  searched: Record<string, TimeWindow[]>;
  inProgress: { query: string; tags: string[]; window: TimeWindow; nextToken: string; sinceId?: string } | null;
}

const isSearchState = (v: unknown): v is SearchState => {
  const o = v as SearchState | null;
  return !!o && o.version === 1 && typeof o.searched === "object" && o.searched !== null && "inProgress" in o;
};

export interface SearchStats {
  pages: number;
  postsRead: number;
  skippedSeen: number;
  invalid: number;
}

export interface SearchBackfillOptions {
  client: XClient;
  queries: SearchQuery[];
  window: TimeWindow;
  /** Where searched windows and the page checkpoint live. */
  statePath: string;
  sinceId?: string;
  budget?: BudgetMeter;
  /** Posts already delivered (from the stream) are not delivered again. */
  seen?: (id: string) => boolean;
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  log?: (e: Record<string, unknown>) => void;
  maxResults?: number;
  stats?: SearchStats;
  /** Retries of one page after 429 / 5xx before giving up (default 5). */
  maxPageRetries?: number;
  /**
   * Gap fill: when the window ends less than 10 s ago (recent search's minimum age for end_time),
   * wait until it can be searched whole instead of clipping its end.
   */
  waitForRecent?: boolean;
}

export function newSearchStats(): SearchStats {
  return { pages: 0, postsRead: 0, skippedSeen: 0, invalid: 0 };
}

/** Windows already searched for `query`, from the state file. */
export function searchedWindows(statePath: string, query: string): TimeWindow[] {
  return readJsonState<SearchState>(statePath, { version: 1, searched: {}, inProgress: null }, isSearchState).searched[query] ?? [];
}

export async function* searchBackfill(o: SearchBackfillOptions): AsyncGenerator<Post[]> {
  const clock = o.clock ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const log = o.log ?? (() => {});
  const stats = o.stats ?? newSearchStats();
  const state = readJsonState<SearchState>(o.statePath, { version: 1, searched: {}, inProgress: null }, isSearchState);
  const save = () => {
    // Windows older than recent search's reach can never be searched again: forget them, so the
    // state stays small over weeks of reconnects.
    const horizon = clock() - RECENT_SEARCH.lookbackMs - 86_400_000;
    for (const q of Object.keys(state.searched)) {
      state.searched[q] = state.searched[q]!.filter((w) => w.end > horizon);
      if (!state.searched[q]!.length) delete state.searched[q];
    }
    writeJsonState(o.statePath, state);
  };

  type Piece = { q: SearchQuery; window: TimeWindow; nextToken?: string; sinceId?: string };
  const pieces: Piece[] = [];
  if (state.inProgress) {
    const p = state.inProgress;
    pieces.push({ q: { query: p.query, tags: p.tags }, window: p.window, nextToken: p.nextToken, sinceId: p.sinceId });
    log({ level: "info", msg: "resuming search from checkpoint", window: [isoSecond(p.window.start), isoSecond(p.window.end)] });
  }
  const ready = o.window.end + RECENT_SEARCH.minAgeMs + 1000;
  if (o.waitForRecent && ready > clock()) {
    await sleep(ready - clock(), o.signal);
    if (o.signal?.aborted) return;
  }
  // Whole seconds, as X's start_time/end_time: what is stored as searched is exactly what was asked.
  const clamped = clampToRecentSearch(alignWindow(o.window), clock());
  if (clamped && clamped.start > o.window.start)
    log({ level: "warn", msg: "search window starts before recent search's 7 days; older posts cannot be recovered", from: isoSecond(o.window.start), searchableFrom: isoSecond(clamped.start) });
  if (clamped) {
    for (const q of o.queries) {
      const done = [...(state.searched[q.query] ?? []), ...pieces.filter((p) => p.q.query === q.query).map((p) => p.window)];
      for (const w of subtractWindows(clamped, done)) pieces.push({ q, window: w, sinceId: o.sinceId });
    }
  }

  for (const piece of pieces) {
    let nextToken = piece.nextToken;
    do {
      if (o.signal?.aborted) return;
      let maxResults = o.maxResults ?? 100;
      if (o.budget) {
        o.budget.assertAvailable();
        const remaining = o.budget.remaining();
        if (remaining < 10) throw new BudgetExceededError(`X read budget: only ${remaining} posts left this month, below recent search's minimum page of 10; stopping search`);
        maxResults = Math.min(maxResults, remaining);
      }
      const page = await fetchPage(o.client, {
        query: piece.q.query,
        startTime: isoSecond(piece.window.start),
        endTime: isoSecond(piece.window.end),
        sinceId: piece.sinceId,
        nextToken,
        maxResults,
      }, { clock, sleep, signal: o.signal, log, maxRetries: o.maxPageRetries ?? 5 });
      if (!page) return; // aborted while waiting
      const read = page.data?.length ?? 0;
      stats.pages++;
      stats.postsRead += read;
      o.budget?.record(read);
      const { posts, errors } = postsFromSearchPage(page, "search", new Date(clock()));
      for (const e of errors) log({ level: "warn", msg: "search post skipped", where: e.path, reason: e.message });
      stats.invalid += errors.length;
      const fresh = posts.filter((p) => !o.seen?.(p.id)).map((p) => ({ ...p, rule_tags: piece.q.tags }));
      stats.skippedSeen += posts.length - fresh.length;
      if (fresh.length) yield fresh; // resumes only after the consumer has accepted them
      nextToken = page.meta?.next_token;
      if (nextToken) {
        state.inProgress = { query: piece.q.query, tags: piece.q.tags, window: piece.window, nextToken, ...(piece.sinceId ? { sinceId: piece.sinceId } : {}) };
      } else {
        state.inProgress = null;
        state.searched[piece.q.query] = mergeWindows([...(state.searched[piece.q.query] ?? []), piece.window]);
      }
      save();
    } while (nextToken);
  }
}

async function fetchPage(
  client: XClient,
  params: Parameters<XClient["searchRecent"]>[0],
  ctx: { clock: () => number; sleep: (ms: number, s?: AbortSignal) => Promise<void>; signal?: AbortSignal; log: (e: Record<string, unknown>) => void; maxRetries: number },
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.searchRecent(params);
    } catch (err) {
      const retryable = err instanceof XApiError && (err.status === 429 || err.status >= 500 || err.status === 0);
      if (!retryable || attempt > ctx.maxRetries) throw err;
      const backoff = err.status === 429 ? 60_000 * 2 ** (attempt - 1) : 5_000 * 2 ** (attempt - 1);
      const delay = Math.max(backoff, err.rateLimitResetAt ? err.rateLimitResetAt - ctx.clock() : 0);
      ctx.log({ level: "warn", msg: "search page failed, retrying", status: err.status, attempt, delayMs: delay, error: err.message });
      await ctx.sleep(delay, ctx.signal);
      if (ctx.signal?.aborted) return null;
    }
  }
}
