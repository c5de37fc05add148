/**
 * The filtered stream as a source of Post batches, with automatic gap fill: after every
 * disconnect, the window from the last post before the drop to the first post after reconnect is
 * searched (recent search, skipping ids delivery has seen) while the stream keeps being read.
 */
import { postFromStreamLine, PostNormalisationError, type Post } from "@defi-sentiment/shared";
import { deletionNoticeOf, isIgnoredComplianceEvent, type DeletionNotice } from "../compliance/deletion-notice.ts";
import { BudgetExceededError } from "../core/budget.ts";
import { gapWindow, isoSecond, type TimeWindow } from "../core/gap-fill.ts";
import { superviseStream, type StreamSupervisorOptions } from "../core/stream-supervisor.ts";
import type { BudgetMeter } from "../x/budget-meter.ts";
import type { XClient } from "../x/x-client.ts";

export interface LiveStreamStats {
  connections: number;
  reconnects: number;
  keepAlives: number;
  lastKeepAliveAt: number | null;
  lastDataAt: number | null;
  postsRead: number;
  badLines: number;
  truncatedLines: number;
  gapsOpened: number;
  gapsFilled: number;
  gapPostsDelivered: number;
  lastDisconnect: string | null;
  /** Deletion notices handed to `onDeletionNotice` (not posts, not bad lines). */
  deletionNotices: number;
  /** Compliance events recognised and deliberately ignored (undrop, tweet_edit, scrub_geo, …). */
  ignoredComplianceEvents: number;
}

export function newLiveStreamStats(): LiveStreamStats {
  return {
    connections: 0,
    reconnects: 0,
    keepAlives: 0,
    lastKeepAliveAt: null,
    lastDataAt: null,
    postsRead: 0,
    badLines: 0,
    truncatedLines: 0,
    gapsOpened: 0,
    gapsFilled: 0,
    gapPostsDelivered: 0,
    lastDisconnect: null,
    deletionNotices: 0,
    ignoredComplianceEvents: 0,
  };
}

export interface LiveStreamOptions {
  client: XClient;
  signal?: AbortSignal;
  clock?: () => number;
  sleep?: StreamSupervisorOptions["sleep"];
  stallMs?: number;
  budget?: BudgetMeter;
  /** Searches a gap window; usually `searchBackfill` over the rule set's queries. */
  fillGap?: (window: TimeWindow, sinceId: string | undefined, signal: AbortSignal) => AsyncIterable<Post[]>;
  log?: (e: Record<string, unknown>) => void;
  stats?: LiveStreamStats;
  /**
   * The newest post a previous run delivered: the first post after start opens a gap from it, so
   * downtime between runs is searched like any disconnect.
   */
  resumeFrom?: { at: string; id: string } | null;
  /**
   * Told of every deletion notice on the stream (X compliance events, legacy status deletes).
   * Must return at once: the caller batches and applies them off the stream's path.
   */
  onDeletionNotice?: (notice: DeletionNotice, where: string) => void;
  /** Queue size (batches) at which the stream reader waits for the consumer. */
  highWater?: number;
}

/** An async queue with a high-water mark: producers await space, the consumer awaits items. */
class Channel<T> {
  private items: T[] = [];
  /** Callbacks of `pushAccepted` items in `items`, by index; told once the consumer took them and asked for more. */
  private acks: (((accepted: boolean) => void) | null)[] = [];
  private waiting: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private closed = false;
  private failure: unknown = null;
  constructor(private readonly highWater: number) {}
  async push(item: T) {
    while (this.items.length >= this.highWater && !this.closed) await new Promise<void>((r) => this.spaceWaiters.push(r));
    this.items.push(item);
    this.acks.push(null);
    this.waiting.shift()?.();
  }
  /**
   * Pushes and resolves true once the consumer has taken the item and come back for more (for
   * `drain`'s consumer that means it accepted the batch); false if the channel closed first.
   */
  async pushAccepted(item: T): Promise<boolean> {
    while (this.items.length >= this.highWater && !this.closed) await new Promise<void>((r) => this.spaceWaiters.push(r));
    if (this.closed) return false;
    return new Promise<boolean>((resolve) => {
      this.items.push(item);
      this.acks.push(resolve);
      this.waiting.shift()?.();
    });
  }
  close(failure?: unknown) {
    if (failure !== undefined && this.failure === null) this.failure = failure;
    this.closed = true;
    for (const a of this.acks.splice(0)) a?.(false);
    for (const w of this.waiting.splice(0)) w();
    for (const w of this.spaceWaiters.splice(0)) w();
  }
  /**
   * Yields everything queued since the last take as one item (`merge`d), so a consumer that is
   * slower per call than the producer per item (one fdatasync per accept) takes bigger bites
   * instead of falling behind: group commit.
   */
  async *drain(merge: (items: T[]) => T): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length) {
        const taken = this.items.splice(0);
        const acks = this.acks.splice(0);
        for (const w of this.spaceWaiters.splice(0)) w();
        // Resumed = the consumer accepted the batch and asked for more. Returned or thrown
        // instead = not known to be accepted: tell the pusher no, so it keeps no checkpoint.
        let resumed = false;
        try {
          yield merge(taken);
          resumed = true;
        } finally {
          for (const a of acks) a?.(resumed);
        }
        continue;
      }
      if (this.closed) {
        if (this.failure !== null) throw this.failure;
        return;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }
}

export async function* liveStreamSource(o: LiveStreamOptions): AsyncGenerator<Post[]> {
  const clock = o.clock ?? Date.now;
  const log = o.log ?? (() => {});
  const stats = o.stats ?? newLiveStreamStats();
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const out = new Channel<Post[]>(o.highWater ?? 1000);
  let gapChain: Promise<void> = Promise.resolve();

  // Gaps are filled one after another (they share the search state file), off the stream's path.
  const fill = (window: TimeWindow, sinceId: string | undefined, firstAfterId: string) => {
    if (!o.fillGap) return;
    stats.gapsOpened++;
    gapChain = gapChain.then(async () => {
      if (inner.signal.aborted) return;
      log({ level: "info", msg: "filling stream gap", from: isoSecond(window.start), to: isoSecond(window.end), sinceId });
      let delivered = 0;
      for await (const found of o.fillGap!(window, sinceId, inner.signal)) {
        if (inner.signal.aborted) return;
        // The first post after reconnect came from the stream (it may not be accepted yet).
        const batch = found.filter((p) => p.id !== firstAfterId);
        if (!batch.length) continue;
        delivered += batch.length;
        // Search saves its checkpoint when we ask for the next page: only once these are accepted
        // (spooled), so a crash can never mark a window searched whose posts were not kept.
        if (!(await out.pushAccepted(batch))) return;
      }
      stats.gapsFilled++;
      stats.gapPostsDelivered += delivered;
      log({ level: "info", msg: "stream gap filled", from: isoSecond(window.start), to: isoSecond(window.end), delivered });
    });
    gapChain.catch((err) => {
      if (err instanceof BudgetExceededError) inner.abort();
      out.close(err);
    });
  };

  const pump = (async () => {
    let last: { at: string; id: string } | null = o.resumeFrom ?? null;
    let gapOpen = last !== null;
    const complianceOf = (v: unknown) => deletionNoticeOf(v) ?? (isIgnoredComplianceEvent(v) ? ("ignored" as const) : null);
    for await (const e of superviseStream({ connect: (s) => o.client.connectStream(s), signal: inner.signal, clock, sleep: o.sleep, stallMs: o.stallMs, complianceOf })) {
      switch (e.type) {
        case "connected":
          stats.connections++;
          log({ level: "info", msg: "stream connected", connection: e.connection });
          break;
        case "keep-alive":
          stats.keepAlives++;
          stats.lastKeepAliveAt = e.at;
          break;
        case "stream-error":
          log({ level: "warn", msg: "stream error message", detail: e.detail });
          break;
        case "compliance":
          stats.lastDataAt = e.at;
          if (!e.notice) {
            stats.ignoredComplianceEvents++;
            break;
          }
          stats.deletionNotices++;
          if (o.onDeletionNotice) o.onDeletionNotice(e.notice, e.where);
          else log({ level: "warn", msg: "deletion notice not applied: no deletion targets", where: e.where, notice: e.notice });
          break;
        case "bad-line":
          stats.badLines++;
          if (e.reason === "truncated") stats.truncatedLines++;
          log({ level: "warn", msg: "stream line skipped", reason: e.reason, where: e.where, detail: e.detail });
          break;
        case "disconnected":
          stats.reconnects++;
          stats.lastDisconnect = `${e.failure.kind}${e.failure.kind === "http" ? ` ${e.failure.status}` : ""}`;
          log({ level: "warn", msg: "stream disconnected", failure: e.failure, reconnectInMs: e.delayMs });
          if (last) gapOpen = true;
          break;
        case "line": {
          stats.lastDataAt = e.at;
          stats.postsRead++;
          o.budget?.record(1);
          let post: Post;
          try {
            post = postFromStreamLine(e.line, "stream", new Date(clock()));
          } catch (err) {
            if (!(err instanceof PostNormalisationError)) throw err;
            stats.badLines++;
            log({ level: "warn", msg: "stream post skipped", where: err.path, reason: err.message });
            break;
          }
          if (gapOpen && last) {
            fill(gapWindow(last.at, post.created_at), last.id, post.id);
            gapOpen = false;
          }
          if (!last || post.created_at >= last.at) last = { at: post.created_at, id: post.id };
          await out.push([post]);
          if (o.budget) o.budget.assertAvailable();
          break;
        }
      }
    }
  })();
  pump.then(
    () => gapChain.then(() => out.close(), (err) => out.close(err)),
    (err) => {
      inner.abort();
      out.close(err);
    },
  );
  try {
    yield* out.drain((batches) => batches.flat());
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    inner.abort();
    out.close();
    await pump.catch(() => {});
    await gapChain.catch(() => {});
  }
}
