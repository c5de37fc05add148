/**
 * Drives the collector's X test server (packages/collector/test/x-server.ts) like X itself: posts
 * are created at a steady rate whether or not anyone is connected, every post lands on the
 * search `timeline` (so recent search can recover it), and whichever stream connection is open
 * gets each post as it is created. Stream faults are injected into the open connection (reset,
 * keep-alive stall) and into the next connection replies (429 with x-rate-limit-reset, 503).
 *
 * Posts come from the shared seeded generator; `created_at` is rewritten to the moment of
 * creation (gap fill searches by time), ids stay 1e18 + n, so the set of posts X made available
 * is exactly n in [0, created). Per-post bookkeeping lives in preallocated typed arrays, and the
 * timeline forgets posts once the Firehose side acknowledged them, so the harness's own memory is
 * flat however long the soak runs.
 */
import { generateStreamLines, type XStreamLine } from "@defi-sentiment/shared";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's protocol test servers, reused, not copied (issue 8)
import type { StreamStep, XServer } from "../../../collector/test/x-server.ts";

export const SYNTHETIC_ID_BASE = 1_000_000_000_000_000_000n;

/** Index n of a synthetic post id (1e18 + n), or -1 when the id is not one of ours. */
export function indexOfId(id: string, capacity: number): number {
  if (!/^\d{19}$/.test(id)) return -1;
  const n = Number(BigInt(id) - SYNTHETIC_ID_BASE);
  return n >= 0 && n < capacity ? n : -1;
}

type ConnectionFault = "reset" | "stall" | null;

interface OpenConnection {
  id: number;
  queue: XStreamLine[];
  fault: ConnectionFault;
}

/** A post written this long ago on a connection that stayed healthy since has reached the collector. */
const SAFE_AFTER_MS = 10_000;

/** A step list the server iterates lazily: the steps are produced while the connection lives. */
class LiveSteps extends Array<StreamStep> {
  constructor(private readonly produce: () => Iterator<StreamStep>) {
    super();
    super.push({ keepAlive: true }); // non-empty, so the server iterates it
  }
  static override get [Symbol.species]() {
    return Array;
  }
  override [Symbol.iterator](): ArrayIterator<StreamStep> {
    return this.produce() as ArrayIterator<StreamStep>;
  }
}

export interface XFeedOptions {
  server: XServer;
  /** Posts created per second. */
  rate: number;
  /** Most posts this feed will ever create (sizes the bookkeeping arrays). */
  capacity: number;
  seed?: number;
  /** Acknowledged posts older than this leave the search timeline (default 5 s). */
  forgetAckedAfterMs?: number;
}

export class XFeed {
  readonly capacity: number;
  /** Posts created so far: ids 1e18 + n for n < created. */
  created = 0;
  /** Epoch ms each post was written to a stream connection (NaN: never, e.g. created while disconnected). */
  readonly writtenAt: Float64Array;
  /** Epoch ms each post was created. */
  readonly createdAt: Float64Array;
  streamed = 0;
  /** Connection each post was written on, and when each connection ended (Infinity: still open). */
  private readonly connectionOf: Uint32Array;
  private readonly connectionEnd = new Map<number, number>();
  private connections = 0;
  private readonly lines: Generator<XStreamLine>;
  private readonly open = new Set<OpenConnection>();
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private producing = false;
  private readonly isAcked: (n: number) => boolean;

  constructor(
    private readonly o: XFeedOptions,
    isAcked: (n: number) => boolean,
  ) {
    this.capacity = o.capacity;
    this.writtenAt = new Float64Array(o.capacity).fill(Number.NaN);
    this.createdAt = new Float64Array(o.capacity).fill(Number.NaN);
    this.connectionOf = new Uint32Array(o.capacity);
    this.lines = generateStreamLines(o.capacity, { seed: o.seed ?? 2026, authors: 5000 });
    this.isAcked = isAcked;
    o.server.streamReplies.push(this.streamReply());
  }

  /** A stream reply that delivers posts as they are created until a fault is injected. */
  streamReply(): { steps: StreamStep[] } {
    return { steps: new LiveSteps(() => this.connectionSteps()) };
  }

  private *connectionSteps(): Generator<StreamStep> {
    const conn: OpenConnection = { id: ++this.connections, queue: [], fault: null };
    this.open.add(conn);
    this.connectionEnd.set(conn.id, Infinity);
    let quietSince = Date.now();
    try {
      for (;;) {
        if (conn.fault) {
          this.open.delete(conn);
          yield conn.fault === "reset" ? { destroy: true } : { stall: true };
          return;
        }
        const line = conn.queue.shift();
        if (line) {
          const at = Date.now();
          yield { line };
          // Resumed: the server wrote it (it returns instead when the client has gone).
          const n = Number(BigInt(line.data.id) - SYNTHETIC_ID_BASE);
          this.writtenAt[n] = at;
          this.connectionOf[n] = conn.id;
          this.streamed++;
          quietSince = at;
          continue;
        }
        if (Date.now() - quietSince >= 500) {
          quietSince = Date.now();
          yield { keepAlive: true };
        } else yield { waitMs: 2 };
      }
    } finally {
      this.open.delete(conn);
      this.connectionEnd.set(conn.id, Date.now());
    }
  }

  /** Starts creating posts at `rate` per second. */
  start(): void {
    this.startedAt = Date.now();
    this.producing = true;
    this.timer = setInterval(() => this.tick(), 5);
  }

  /** Stops creating posts (open connections stay, with keep-alives). */
  stop(): void {
    this.producing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tick(true);
  }

  private tick(final = false): void {
    const now = Date.now();
    const due = Math.min(this.capacity, Math.floor(((now - this.startedAt) / 1000) * this.o.rate));
    if (!this.producing && !final) return;
    const timeline = this.o.server.timeline;
    while (this.created < due) {
      const next = this.lines.next();
      if (next.done) break;
      const line = next.value;
      line.data.created_at = new Date(now).toISOString();
      this.createdAt[this.created] = now;
      this.created++;
      timeline.push(line);
      for (const c of this.open) if (!c.fault) c.queue.push(line);
    }
    this.forget(now);
  }

  /**
   * Drops posts gap fill can no longer need from the front of the timeline: acknowledged ones
   * older than forgetAckedAfterMs, and ones written SAFE_AFTER_MS ago on a connection that stayed
   * healthy since (the collector has read them). Dropping one it did need shows up as a lost post.
   */
  private forget(now: number): void {
    const timeline = this.o.server.timeline;
    const age = this.o.forgetAckedAfterMs ?? 5000;
    let k = 0;
    while (k < timeline.length) {
      const n = Number(BigInt(timeline[k]!.data.id) - SYNTHETIC_ID_BASE);
      const written = this.writtenAt[n]!;
      const delivered = written + SAFE_AFTER_MS < now && this.connectionEnd.get(this.connectionOf[n]!)! > written + SAFE_AFTER_MS;
      if (!(this.isAcked(n) && now - this.createdAt[n]! >= age) && !delivered) break;
      k++;
    }
    if (k >= 500) timeline.splice(0, k);
  }

  /** Posts the search timeline holds now. */
  get timelineLength(): number {
    return this.o.server.timeline.length;
  }

  /** Resets the open connection now; `then` are the replies to the next connects (before streaming resumes). */
  reset(then: { status: number; headers?: Record<string, string>; body?: unknown }[] = []): void {
    this.o.server.streamReplies.push(...then, this.streamReply());
    for (const c of this.open) c.fault = "reset";
  }

  /** Stops writing to the open connection, keeping it open (no data, no keep-alives). */
  stall(): void {
    this.o.server.streamReplies.push(this.streamReply());
    for (const c of this.open) c.fault = "stall";
  }

  get openConnections(): number {
    return this.open.size;
  }
}
