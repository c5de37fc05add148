/**
 * Runs the collector once: picks the source from flags and environment (and says which and why),
 * reads it to the end or until aborted (signal or SIGTERM), delivers every post at least once
 * through the disk-spooled delivery, reports health, and resolves with the figures.
 *
 * @example
 *   const run = await runCollector({ sink, dataDir: "lake/.collector", argv: ["--count", "1000"] });
 *   // { source: "generator", read: 1000, accepted: 1000, duplicates: 0, delivered: 1000 }
 */
import path from "node:path";
import type { Post, RecordSink } from "@defi-sentiment/shared";
import { fileDeletionLog, type DeletionLog } from "./compliance/deletion-log.ts";
import type { DeletionNotice } from "./compliance/deletion-notice.ts";
import { startDeletionNoticeApplier } from "./compliance/deletion-notice-applier.ts";
import type { DeletionTarget } from "./compliance/deletion-target.ts";
import { isTombstoned, type DeletionTombstones } from "./compliance/deletion-tombstones.ts";
import { BudgetExceededError } from "./core/budget.ts";
import { searchQueriesFor } from "./core/rules-plan.ts";
import { openDelivery, type Delivery } from "./delivery/index.ts";
import { parseCollectorConfig, type CollectorConfig } from "./config.ts";
import { startHealthReporter } from "./health/health-reporter.ts";
import { localHealthWriter, s3HealthWriter, type HealthWriter } from "./health/health-writer.ts";
import { generatorSource } from "./sources/generator.ts";
import { liveStreamSource, newLiveStreamStats, type LiveStreamStats } from "./sources/live-stream.ts";
import { newReplayStats, replaySource } from "./sources/replay.ts";
import { newSearchStats, searchBackfill } from "./sources/search-backfill.ts";
import { resolveBearerToken } from "./x/bearer-token.ts";
import { openBudgetMeter, type BudgetMeter } from "./x/budget-meter.ts";
import { RuleSyncError, syncRules } from "./x/rules-sync.ts";
import { createXClient, type XClient } from "./x/x-client.ts";
import { readJsonState, writeJsonState } from "./x/json-state-file.ts";

export interface CollectorRun {
  source: "generator" | "replay" | "stream" | "search";
  read: number;
  accepted: number;
  duplicates: number;
  delivered: number;
  /** Posts dropped before delivery because the deletion record says they were deleted. */
  tombstoned: number;
  /** Deletion notices that arrived on the stream. */
  deletionNotices: number;
}

export interface RunCollectorOptions {
  sink: RecordSink;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  argv?: string[];
  signal?: AbortSignal;
  onProgress?: (s: { read: number; delivered: number; spooled: number }) => void;
  log?: (e: Record<string, unknown>) => void;
  /**
   * Stores that stream deletion notices delete from (the lake package's `localDeletionTarget` on
   * a laptop). Without them a notice is logged and its post is still refused for this run.
   */
  deletionTargets?: DeletionTarget[];
  /** Where notices are recorded (default `fileDeletionLog(<lake dir>)`). */
  deletionLog?: DeletionLog;
  /**
   * Ids and authors already deleted (e.g. `() => readDeletionTombstones(lakeDir)`, or in AWS
   * `s3DeletionTombstones(…)`): such posts are dropped before delivery, whatever the source.
   * Read before the source opens and every `tombstoneRefreshMs`.
   */
  tombstones?: () => DeletionTombstones | Promise<DeletionTombstones>;
  /** Default 10 minutes. */
  tombstoneRefreshMs?: number;
  /** Notice batching (defaults: 100 notices, 1 s). */
  noticeBatch?: { maxBatch?: number; maxDelayMs?: number; retryDelayMs?: number };
  /** Test seams: the X client and clocks (default: built from config, real time). */
  xClient?: XClient;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** State files under the data dir. */
export const dataFiles = (dataDir: string) => ({
  spool: path.join(dataDir, "spool"),
  deadLetter: path.join(dataDir, "dead-letter"),
  budget: path.join(dataDir, "x-budget.json"),
  search: path.join(dataDir, "x-search-state.json"),
  stream: path.join(dataDir, "x-stream-state.json"),
});

export async function runCollector(options: RunCollectorOptions): Promise<CollectorRun> {
  const log = options.log ?? (() => {});
  const config = parseCollectorConfig(options.argv ?? [], options.env ?? process.env, { dataDir: options.dataDir });
  const files = dataFiles(config.dataDir);
  log({ level: "info", event: "source", source: config.source, reason: config.sourceReason, dataDir: config.dataDir });

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) abort.abort();
  const onSigterm = () => {
    log({ level: "info", msg: "SIGTERM: stopping reads, draining delivery" });
    abort.abort();
  };
  process.once("SIGTERM", onSigterm);

  // A generated or replayed run can be read again, so a durable sink (the local stream) needs no spool before it.
  const direct = options.sink.durable === true && (config.source === "generator" || config.source === "replay");
  const delivery = await openDelivery({ sink: options.sink, spoolDir: files.spool, deadLetterDir: files.deadLetter, log, direct });
  const streamStats = newLiveStreamStats();
  let budget: BudgetMeter | null = null;
  const closers: (() => void)[] = [];
  const afterAccept: ((batch: Post[]) => void)[] = [];
  const run: CollectorRun = { source: config.source, read: 0, accepted: 0, duplicates: 0, delivered: 0, tombstoned: 0, deletionNotices: 0 };
  const tombstones = await openTombstones(options, log);
  const notices = options.deletionTargets?.length
    ? startDeletionNoticeApplier({
        targets: options.deletionTargets,
        log: options.deletionLog ?? fileDeletionLog(config.lakeDir),
        events: log,
        // A noticed post may still be spooled or in flight: let it reach the sink first, so the
        // targets delete it rather than it landing afterwards. Never past a stop.
        beforeApply: () => Promise.race([delivery.drain(), abortedPromise(abort.signal)]),
        ...options.noticeBatch,
      })
    : null;
  const onDeletionNotice = (n: DeletionNotice, where: string) => {
    run.deletionNotices++;
    // Refused from now on, even before the batch is applied.
    if (n.kind === "post") tombstones.value.ids.add(n.id);
    else tombstones.value.authorIds.add(n.authorId);
    log({ level: "info", event: "deletion-notice", where, ...(n.kind === "post" ? { id: n.id } : { authorId: n.authorId }), reason: n.reason });
    notices?.add(n);
  };
  const health = startHealthReporter({
    snapshot: () => ({ ...snapshot(config, delivery, streamStats, budget), tombstoned: run.tombstoned, deletion_notices: run.deletionNotices }),
    writers: await healthWriters(config, log),
    intervalMs: config.healthIntervalMs,
    log,
  });

  try {
    const batches = await openSource(config, { delivery, streamStats, signal: abort.signal, log, options, setBudget: (b) => (budget = b), closers, afterAccept, onDeletionNotice });
    try {
      for await (const batch of batches) {
        run.read += batch.length;
        const kept = dropTombstoned(batch, tombstones.value, run, log);
        const r = kept.length ? await delivery.accept(kept) : { accepted: 0, duplicates: 0 };
        run.accepted += r.accepted;
        run.duplicates += r.duplicates;
        for (const f of afterAccept) f(batch);
        const s = delivery.stats();
        options.onProgress?.({ read: run.read, delivered: s.delivered, spooled: s.spooled });
        if (abort.signal.aborted) break;
      }
    } catch (err) {
      if (!(err instanceof BudgetExceededError)) throw err;
      log({ level: "error", event: "budget-exhausted", msg: err.message });
    }
    if (!abort.signal.aborted) await delivery.drain();
    run.delivered = delivery.stats().delivered;
    options.onProgress?.({ read: run.read, delivered: run.delivered, spooled: delivery.stats().spooled });
    return run;
  } finally {
    tombstones.stop();
    // Before the delivery closes: pending notices are applied (and recorded) on every stop.
    await notices?.close();
    for (const close of closers) close();
    await delivery.close();
    await health.report().catch(() => {});
    await health.stop();
    process.off("SIGTERM", onSigterm);
    options.signal?.removeEventListener("abort", onAbort);
    log({ level: "info", event: "stopped", ...run, delivered: delivery.stats().delivered, spooled: delivery.stats().spooled });
  }
}

const abortedPromise = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));

/** The tombstones, re-read from the injected source every `tombstoneRefreshMs`, plus this run's notices. */
async function openTombstones(options: RunCollectorOptions, log: (e: Record<string, unknown>) => void): Promise<{ value: DeletionTombstones; stop(): void }> {
  const value: DeletionTombstones = { ids: new Set(), authorIds: new Set(), unreadable: [] };
  if (!options.tombstones) return { value, stop() {} };
  const read = options.tombstones;
  let reading = false;
  const merge = async () => {
    if (reading) return; // a slow read (S3) is not stacked by the next tick
    reading = true;
    try {
      const t = await read();
      for (const id of t.ids) value.ids.add(id);
      for (const id of t.authorIds) value.authorIds.add(id);
      if (t.unreadable.length && t.unreadable.join() !== value.unreadable.join()) {
        value.unreadable = t.unreadable;
        log({ level: "warn", msg: "deletion record has unreadable lines; their ids are not refused", where: t.unreadable.slice(0, 20) });
      }
    } catch (err) {
      log({ level: "warn", msg: "could not read the deletion tombstones", error: (err as Error).message });
    } finally {
      reading = false;
    }
  };
  await merge();
  if (value.ids.size || value.authorIds.size) log({ level: "info", event: "tombstones", ids: value.ids.size, authors: value.authorIds.size });
  const timer = setInterval(() => void merge(), options.tombstoneRefreshMs ?? 600_000);
  timer.unref();
  return { value, stop: () => clearInterval(timer) };
}

/** Drops posts the deletion record (or a notice this run) says were deleted, counting and logging them. */
function dropTombstoned(batch: Post[], t: DeletionTombstones, run: CollectorRun, log: (e: Record<string, unknown>) => void): Post[] {
  if (t.ids.size === 0 && t.authorIds.size === 0) return batch;
  const kept = batch.filter((p) => !isTombstoned(t, p));
  const dropped = batch.length - kept.length;
  if (dropped) {
    run.tombstoned += dropped;
    const ids = batch.filter((p) => isTombstoned(t, p)).map((p) => p.id);
    log({ level: "warn", event: "tombstoned", msg: "posts deleted earlier were collected again; not delivered", dropped, total: run.tombstoned, ids: ids.slice(0, 20), source: batch[0]?.source });
  }
  return kept;
}

async function healthWriters(config: CollectorConfig, log: (e: Record<string, unknown>) => void): Promise<HealthWriter[]> {
  if (config.lakeBucket) {
    try {
      return [await s3HealthWriter({ bucket: config.lakeBucket, region: config.firehose.region ?? undefined, endpoint: config.s3Endpoint ?? undefined })];
    } catch (err) {
      log({ level: "warn", msg: "S3 health writer unavailable; health goes to logs only", error: (err as Error).message });
      return [];
    }
  }
  return [localHealthWriter(config.lakeDir)];
}

function snapshot(config: CollectorConfig, delivery: Delivery, s: LiveStreamStats, budget: BudgetMeter | null) {
  const d = delivery.stats();
  const b = budget?.status();
  return {
    source: config.source,
    received: d.received,
    delivered: d.delivered,
    duplicates: d.duplicates,
    resent: d.resent,
    spooled: d.spooled,
    dead_lettered: d.deadLettered,
    in_flight: d.inFlight,
    sink_errors: d.sinkErrors,
    last_delivered_at: d.lastDeliveredAt ? new Date(d.lastDeliveredAt).toISOString() : null,
    reconnects: s.reconnects,
    last_keep_alive_at: s.lastKeepAliveAt ? new Date(s.lastKeepAliveAt).toISOString() : null,
    bad_lines: s.badLines,
    gaps_filled: s.gapsFilled,
    gap_posts: s.gapPostsDelivered,
    posts_read_today: b?.postsToday ?? 0,
    posts_read_month: b?.postsThisMonth ?? 0,
    spend_usd_month: b?.spendUsd ?? 0,
    budget_remaining: b?.remaining ?? 0,
  };
}

async function openSource(
  config: CollectorConfig,
  ctx: {
    delivery: Delivery;
    streamStats: LiveStreamStats;
    signal: AbortSignal;
    log: (e: Record<string, unknown>) => void;
    options: RunCollectorOptions;
    setBudget: (b: BudgetMeter) => void;
    closers: (() => void)[];
    afterAccept: ((batch: Post[]) => void)[];
    onDeletionNotice: (n: DeletionNotice, where: string) => void;
  },
): Promise<AsyncIterable<Post[]>> {
  const { signal, log } = ctx;
  switch (config.source) {
    case "generator":
      return generatorSource({ count: config.count, seed: config.seed, signal });
    case "replay": {
      const stats = newReplayStats();
      return (async function* () {
        yield* replaySource({ paths: config.replayPaths, signal, log, stats });
        log({ level: stats.badLines ? "warn" : "info", event: "replay-done", files: stats.files, lines: stats.lines, posts: stats.posts, badLines: stats.badLines });
      })();
    }
    case "search":
    case "stream": {
      const client = ctx.options.xClient ?? createXClient({ bearerToken: await resolveBearerToken(config.x, config.firehose.region), baseUrl: config.x.baseUrl });
      const budget = openBudgetMeter(dataFiles(config.dataDir).budget, config.budget);
      ctx.setBudget(budget);
      ctx.closers.push(() => budget.flush());
      budget.assertAvailable();
      const queries = searchQueriesFor(config.rules, config.x.searchQueryMaxLength);
      const statePath = dataFiles(config.dataDir).search;
      const seen = (id: string) => ctx.delivery.seen(id);
      if (config.source === "search") {
        const stats = newSearchStats();
        return (async function* () {
          yield* searchBackfill({ client, queries, window: { start: config.since!, end: Date.now() }, statePath, budget, seen, signal, log, stats, sleep: ctx.options.sleep });
          log({ level: "info", event: "backfill-done", ...stats });
        })();
      }
      const report = await syncRules(client, config.rules);
      log({ level: "info", event: "rules-synced", kept: report.plan.keep.length, added: report.added.length, deleted: report.deleted });
      if (report.invalid > 0) throw new RuleSyncError(report);
      const streamState = dataFiles(config.dataDir).stream;
      const resumeFrom = readJsonState<{ at: string; id: string } | null>(streamState, null, (v): v is { at: string; id: string } => typeof (v as { at?: unknown })?.at === "string" && typeof (v as { id?: unknown })?.id === "string");
      if (resumeFrom) log({ level: "info", msg: "will fill the gap since the previous run's newest post", since: resumeFrom.at });
      let savedAt = 0;
      let latest: { at: string; id: string } | null = null;
      // The newest stream post delivery has accepted; saved throttled and on close. A crash loses at
      // most 5 s of it, which only widens the next run's first gap search.
      ctx.afterAccept.push((batch) => {
        for (const p of batch) if (p.source === "stream" && (!latest || p.created_at >= latest.at)) latest = { at: p.created_at, id: p.id };
        if (latest && Date.now() - savedAt >= 5_000) {
          savedAt = Date.now();
          writeJsonState(streamState, latest);
        }
      });
      ctx.closers.push(() => latest && writeJsonState(streamState, latest));
      return liveStreamSource({
        client,
        resumeFrom,
        signal,
        budget,
        stallMs: config.x.stallMs,
        sleep: ctx.options.sleep,
        stats: ctx.streamStats,
        log,
        onDeletionNotice: ctx.onDeletionNotice,
        fillGap: (window, sinceId, s) => searchBackfill({ client, queries, window, sinceId, statePath, budget, seen, signal: s, log, sleep: ctx.options.sleep, waitForRecent: true }),
      });
    }
  }
}
