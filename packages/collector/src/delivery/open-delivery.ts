/**
 * Delivery that loses nothing: dedupe → durable disk spool → one PutRecordBatch at a time →
 * ack cursor. See docs/delivery.md for the design and the crash semantics.
 */
import { encodeFirehoseRecord, type Post } from "@defi-sentiment/shared";
import { DEFAULT_BATCH_LIMITS, isOversizeRecord, type BatchLimits } from "./core/batch-plan.ts";
import { backoffDelay, DEFAULT_RESEND_POLICY, planResend, type ResendPolicy } from "./core/resend-policy.ts";
import type { Delivery, DeliveryOptions, DeliveryStats } from "./delivery-types.ts";
import { DeadLetterFile, type DeadLetterEntry } from "./dead-letter-file.ts";
import { comparePositions, DiskSpool, type SpoolPosition } from "./disk-spool.ts";
import { DeliveryClosedError } from "./errors.ts";
import { RecentIdsFile } from "./recent-ids-file.ts";

interface Batch {
  records: Buffer[];
  bytes: number;
  end: SpoolPosition;
  startedAt: number;
  /** Oversize records skipped (dead-lettered) inside this batch's spool range. */
  skipped: number;
}

interface Entry {
  data: Buffer;
  permanentFailures: number;
}

class SpoolDelivery implements Delivery {
  private readonly counters = { received: 0, duplicates: 0, delivered: 0, resent: 0, deadLettered: 0, inFlight: 0, sinkErrors: 0 };
  private lastDeliveredAt: number | null = null;
  private acceptChain: Promise<unknown> = Promise.resolve();
  private drainWaiters: { target: SpoolPosition; resolve: () => void; reject: (e: Error) => void }[] = [];
  private wake: (() => void) | null = null;
  private pendingWake = false;
  private closing = false;
  /** Set as soon as close() is called: new accepts are refused from then on. */
  private refusing = false;
  private closePromise: Promise<void> | null = null;
  private loop: Promise<void> = Promise.resolve();
  private readonly recoverUntil: SpoolPosition;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly policy: ResendPolicy;
  private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS;
  private readonly maxBatchAgeMs: number;
  private readonly deadLetter: DeadLetterFile;
  private timer: NodeJS.Timeout | null = null;
  private cancelBackoff: (() => void) | null = null;

  constructor(
    private readonly options: DeliveryOptions,
    private readonly spool: DiskSpool,
    private readonly recent: RecentIdsFile,
  ) {
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.policy = { ...DEFAULT_RESEND_POLICY, ...options.resendPolicy };
    this.maxBatchAgeMs = options.maxBatchAgeMs ?? 1000;
    this.deadLetter = new DeadLetterFile(options.deadLetterDir, this.clock);
    this.recoverUntil = spool.endPosition;
  }

  start(): void {
    this.loop = this.supervise();
  }

  /** Keeps the sender running: an unexpected error (disk full on ack, say) is logged and retried from the ack cursor. */
  private async supervise(): Promise<void> {
    let failures = 0;
    while (!this.closing) {
      try {
        await this.run();
        return;
      } catch (err) {
        failures++;
        this.counters.inFlight = 0;
        this.log({ event: "sender-error", error: (err as Error)?.name ?? "Error", message: String((err as Error)?.message ?? err), failures });
        await this.backoff(backoffDelay(failures, this.random, this.policy));
      }
    }
  }

  private log(event: Record<string, unknown>): void {
    this.options.log?.({ component: "delivery", ...event });
  }

  private notify(): void {
    this.pendingWake = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Waits for `notify` (or `ms`, if given); returns at once if a notify came since the last wait. */
  private waitForWork(ms?: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.pendingWake = false;
        resolve();
      };
      this.wake = done;
      if (ms !== undefined) this.timer = setTimeout(done, Math.max(0, ms));
    });
  }

  /** Backoff sleep that close() cuts short (one pending sleep at most, nothing accumulates over a long outage). */
  private backoff(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const finish = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (this.cancelBackoff === finish) this.cancelBackoff = null;
        resolve();
      };
      this.cancelBackoff = finish;
      if (this.options.sleep) this.options.sleep(ms).then(finish, finish);
      else timer = setTimeout(finish, ms);
    });
  }

  accept(posts: Post[]): Promise<{ accepted: number; duplicates: number }> {
    if (this.refusing) return Promise.reject(new DeliveryClosedError("accept", this.spool.backlog));
    const run = this.acceptChain.then(() => this.acceptNow(posts));
    this.acceptChain = run.catch(() => undefined);
    return run;
  }

  private async acceptNow(posts: Post[]): Promise<{ accepted: number; duplicates: number }> {
    this.counters.received += posts.length;
    const fresh: string[] = [];
    const inCall = new Set<string>();
    const records: Buffer[] = [];
    const rejected: DeadLetterEntry[] = [];
    let duplicates = 0;
    posts.forEach((post, i) => {
      const id = (post as { id?: unknown } | null)?.id;
      if (typeof id !== "string" || id === "") {
        rejected.push({ reason: "invalid", record: Buffer.from(JSON.stringify(post ?? null) + "\n"), errorMessage: `accept: posts[${i}] has no string id` });
        return;
      }
      if (this.recent.ids.has(id) || inCall.has(id)) {
        duplicates++;
        return;
      }
      inCall.add(id);
      fresh.push(id);
      const record = encodeFirehoseRecord(post);
      if (isOversizeRecord(record.length, this.limits)) {
        rejected.push({ reason: "oversize", record, errorMessage: `record is ${record.length} bytes, Firehose accepts at most ${this.limits.maxRecordBytes}` });
      } else {
        records.push(record);
      }
    });
    await this.deadLetter.write(rejected);
    await this.spool.append(records);
    await this.recent.remember(fresh);
    this.counters.duplicates += duplicates;
    this.counters.deadLettered += rejected.length;
    if (rejected.length) this.log({ event: "dead-lettered", reasons: rejected.map((r) => r.reason), count: rejected.length });
    if (records.length) this.notify();
    return { accepted: fresh.length, duplicates };
  }

  seen(id: string): boolean {
    return this.recent.ids.has(id);
  }

  stats(): DeliveryStats {
    return { ...this.counters, spooled: this.spool.backlog, lastDeliveredAt: this.lastDeliveredAt };
  }

  async drain(): Promise<void> {
    await this.acceptChain;
    if (this.closing) {
      if (this.spool.backlog === 0) return;
      throw new DeliveryClosedError("drain", this.spool.backlog);
    }
    const target = this.spool.endPosition;
    if (comparePositions(this.spool.ackPosition, target) >= 0 || this.spool.backlog === 0) return;
    await new Promise<void>((resolve, reject) => {
      this.drainWaiters.push({ target, resolve, reject });
      this.notify();
    });
  }

  private settleDrains(): void {
    const ack = this.spool.ackPosition;
    const empty = this.spool.backlog === 0 && !this.spool.hasDataAfter(ack);
    this.drainWaiters = this.drainWaiters.filter((w) => {
      if (empty || comparePositions(ack, w.target) >= 0) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  private flushRequested(): boolean {
    return this.closing || this.drainWaiters.length > 0 || comparePositions(this.spool.ackPosition, this.recoverUntil) < 0;
  }

  private async run(): Promise<void> {
    let batch: Batch = { records: [], bytes: 0, end: this.spool.ackPosition, startedAt: 0, skipped: 0 };
    while (!this.closing || batch.records.length > 0 || this.spool.hasDataAfter(batch.end)) {
      const read = await this.spool.read(batch.end, { records: batch.records.length, bytes: batch.bytes }, this.limits);
      if (read.records.length && batch.records.length === 0) batch.startedAt = this.clock();
      for (const r of read.records) {
        batch.records.push(r);
        batch.bytes += r.length;
      }
      batch.end = read.end;
      if (read.oversize.length) {
        await this.deadLetter.write(read.oversize.map((record) => ({ reason: "oversize" as const, record })));
        this.counters.deadLettered += read.oversize.length;
        if (batch.records.length === 0) await this.spool.ack(batch.end, read.oversize.length);
        else batch.skipped += read.oversize.length;
      }
      if (batch.records.length === 0) {
        this.settleDrains();
        if (this.closing) break;
        await this.waitForWork();
        continue;
      }
      const full = this.spool.hasDataAfter(batch.end) || batch.records.length >= this.limits.maxRecordsPerBatch;
      const age = this.clock() - batch.startedAt;
      if (!full && !this.flushRequested() && age < this.maxBatchAgeMs) {
        await this.waitForWork(this.maxBatchAgeMs - age);
        continue;
      }
      const done = await this.send(batch.records);
      if (!done) break; // closing with records unacknowledged: they stay in the spool
      await this.spool.ack(batch.end, batch.records.length + batch.skipped);
      batch = { records: [], bytes: 0, end: batch.end, startedAt: 0, skipped: 0 };
      this.settleDrains();
      if (this.closing) break;
    }
  }

  /** Sends one batch until every record is acknowledged or dead-lettered; false if closing cut it short. */
  private async send(records: Buffer[]): Promise<boolean> {
    let pending: Entry[] = records.map((data) => ({ data, permanentFailures: 0 }));
    let round = 0;
    while (pending.length > 0) {
      if (round > 0) {
        if (this.closing) return false;
        const delayMs = backoffDelay(round, this.random, this.policy);
        this.log({ event: "resend-wait", round, records: pending.length, delayMs });
        await this.backoff(delayMs);
        if (this.closing) return false;
        this.counters.resent += pending.length;
      }
      round++;
      this.counters.inFlight = pending.length;
      let failed;
      try {
        failed = (await this.options.sink.putRecordBatch(pending.map((e) => e.data))).failed;
      } catch (err) {
        this.counters.sinkErrors++;
        this.log({ event: "sink-error", records: pending.length, round, error: (err as Error)?.name ?? "Error", message: String((err as Error)?.message ?? err) });
        continue;
      } finally {
        this.counters.inFlight = 0;
      }
      let plan;
      try {
        plan = planResend(pending, failed, (e) => e.permanentFailures, this.policy);
      } catch (err) {
        this.counters.sinkErrors++;
        this.log({ event: "sink-error", records: pending.length, round, error: "RangeError", message: (err as Error).message });
        continue;
      }
      for (const [entry, n] of plan.permanentCounts) entry.permanentFailures = n;
      this.counters.delivered += plan.accepted;
      if (plan.accepted > 0) this.lastDeliveredAt = this.clock();
      if (failed.length) {
        this.counters.sinkErrors += failed.length;
        const codes: Record<string, number> = {};
        for (const f of failed) codes[f.errorCode] = (codes[f.errorCode] ?? 0) + 1;
        this.log({ event: "records-failed", round, failed: failed.length, of: pending.length, codes });
      }
      if (plan.deadLetter.length) {
        await this.deadLetter.write(plan.deadLetter.map((d) => ({ reason: "rejected" as const, record: d.entry.data, errorCode: d.errorCode, errorMessage: d.errorMessage })));
        this.counters.deadLettered += plan.deadLetter.length;
        this.log({ event: "dead-lettered", reasons: ["rejected"], count: plan.deadLetter.length });
      }
      pending = plan.resend;
    }
    return true;
  }

  close(): Promise<void> {
    this.closePromise ??= (async () => {
      this.refusing = true;
      await this.acceptChain;
      this.closing = true;
      this.cancelBackoff?.();
      this.notify();
      await this.loop;
      if (this.timer) clearTimeout(this.timer);
      await this.recent.flush();
      const remaining = this.spool.backlog;
      await this.spool.close();
      for (const w of this.drainWaiters.splice(0)) w.reject(new DeliveryClosedError("drain", remaining));
      this.log({ event: "delivery-closed", spooled: remaining, ...this.counters });
    })();
    return this.closePromise;
  }
}

/**
 * Opens the spool (recovering after a crash), restores the dedupe window and starts the sender
 * loop, which drains any backlog from an earlier run first.
 *
 * @example
 * const delivery = await openDelivery({ sink, spoolDir: "data/spool", deadLetterDir: "data/dead-letter" });
 * await delivery.accept(posts);   // durable on disk when this resolves
 * await delivery.drain();         // acknowledged by the sink
 * await delivery.close();
 */
export async function openDelivery(options: DeliveryOptions): Promise<Delivery> {
  const spool = await DiskSpool.open(options.spoolDir, options.segmentBytes ? { segmentBytes: options.segmentBytes } : {});
  const recent = await RecentIdsFile.open(options.spoolDir, options.dedupeWindow ?? 200_000);
  // An append whose ids never reached recent-ids.txt (killed in between) is in the newest segment.
  const recovered: string[] = [];
  for (const r of await spool.newestSegmentRecords()) {
    try {
      const id = (JSON.parse(r.toString("utf8")) as { id?: unknown }).id;
      if (typeof id === "string") recovered.push(id);
    } catch {
      // not a post; it will be delivered as it is
    }
  }
  recent.recall(recovered);
  const delivery = new SpoolDelivery(options, spool, recent);
  options.log?.({ component: "delivery", event: "delivery-open", spooled: spool.backlog, spooledBytes: spool.backlogBytes, segments: spool.segmentCount });
  delivery.start();
  return delivery;
}
