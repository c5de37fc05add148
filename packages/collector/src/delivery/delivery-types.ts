/** The delivery contract the sources and `runCollector` use (implemented by `openDelivery`). */
import type { Post, RecordSink } from "@defi-sentiment/shared";
import type { ResendPolicy } from "./core/resend-policy.ts";

export interface DeliveryOptions {
  /** Firehose adapter in AWS, the local delivery stream locally (packages/lake). */
  sink: RecordSink;
  /** Durable disk spool; drained first on restart. */
  spoolDir: string;
  /** Oversize / permanently rejected records, NDJSON files, never silently dropped. */
  deadLetterDir: string;
  /** Flush a partial batch after this long (default 1000). */
  maxBatchAgeMs?: number;
  /** Recent post ids remembered (default 200_000), persisted in spoolDir. */
  dedupeWindow?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  log?: (event: Record<string, unknown>) => void;
  /** Roll to a new spool segment file past this size (default 8 MiB). */
  segmentBytes?: number;
  /**
   * Batches sent concurrently, each with its own resend loop (default 4, 1–64). The ack cursor
   * still advances in spool order, so a crash can resend up to this many batches.
   */
  maxBatchesInFlight?: number;
  /** Backoff and permanent-failure policy (defaults: 100 ms doubling to 20 s, 5 attempts). */
  resendPolicy?: Partial<ResendPolicy>;
  /**
   * Send accepted records straight to the sink instead of through the spool, while the spool is
   * empty (a backlog from an earlier run is drained first). Only for a durable sink (see
   * `RecordSink.durable`) fed by a re-readable source: `accept` then resolves once the records
   * are handed over (at most `maxBatchesInFlight` calls under way), their ids are persisted only
   * once the sink has them, and after a crash the source is simply read again.
   */
  direct?: boolean;
}

export interface DeliveryStats {
  /** Posts passed to `accept`. */
  received: number;
  /** Posts dropped by `accept` because their id was seen recently. */
  duplicates: number;
  /** Records the sink acknowledged (a record redelivered after a crash counts again). */
  delivered: number;
  /** Record sends beyond the first (resend rounds and whole-call retries). */
  resent: number;
  /** Records in the disk spool not yet acknowledged (the backlog). */
  spooled: number;
  deadLettered: number;
  /** Records in sink calls under way, summed over the batches in flight. */
  inFlight: number;
  lastDeliveredAt: number | null;
  /** Whole-call errors plus per-record failures reported by the sink. */
  sinkErrors: number;
}

export interface Delivery {
  /** Dedupes by post id, then appends to the spool durably (fsync); resolves when the posts are safe on disk. Returns how many were new. */
  accept(posts: Post[]): Promise<{ accepted: number; duplicates: number }>;
  /** True if this id was seen recently (used by search/gap fill to avoid re-delivering). */
  seen(id: string): boolean;
  stats(): DeliveryStats;
  /** Resolves when everything accepted so far has been acknowledged by the sink (or dead-lettered). */
  drain(): Promise<void>;
  /** Flushes, waits for the calls in flight (batches in backoff stop at once), persists state, stops. Safe to call twice. */
  close(): Promise<void>;
}
