/**
 * Delivery that loses nothing: dedupe → durable disk spool → up to `maxBatchesInFlight`
 * PutRecordBatch calls at once → ack cursor, advanced strictly in spool order. See docs/delivery.md for the design and the crash semantics.
 */
import { encodeFirehoseRecords, type Post } from "@defi-sentiment/shared";
import { DEFAULT_BATCH_LIMITS, isOversizeRecord, type BatchLimits } from "./core/batch-plan.ts";
import { backoffDelay, DEFAULT_RESEND_POLICY, planResend, type ResendPolicy } from "./core/resend-policy.ts";
import type { Delivery, DeliveryOptions, DeliveryStats } from "./delivery-types.ts";
import { DeadLetterFile, type DeadLetterEntry } from "./dead-letter-file.ts";
import { comparePositions, DiskSpool, type SpoolPosition } from "./disk-spool.ts";
import { DeliveryClosedError, DeliveryConfigError } from "./errors.ts";
import { RecentIdsFile } from "./recent-ids-file.ts";

interface Batch {
  records: Buffer[];
  bytes: number;
  /** Spool position of the batch's first record (or oversize skip). */
  start: SpoolPosition;
  end: SpoolPosition;
  startedAt: number;
  /** Oversize records skipped (dead-lettered) inside this batch's spool range. */
  skipped: number;
}

/** A batch handed to `send`, in spool order; acked once it and every batch before it are done. */
interface Dispatched {
  batch: Batch;
  settled: Promise<void>;
  /** true: every record acknowledged or dead-lettered; false: stopped by close with records left. */
  done?: boolean;
  error?: unknown;
}

interface Entry {
  data: Buffer;
  permanentFailures: number;
}

export const DEFAULT_MAX_BATCHES_IN_FLIGHT = 4;
const MAX_BATCHES_IN_FLIGHT_LIMIT = 64;

const emptyBatch = (at: SpoolPosition): Batch => ({ records: [], bytes: 0, start: at, end: at, startedAt: 0, skipped: 0 });

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
  private readonly window: number;
  private readonly deadLetter: DeadLetterFile;
  private timer: NodeJS.Timeout | null = null;
  private readonly cancelBackoffs = new Set<() => void>();
  /** Batches sent and not yet acked, in spool order. */
  private inFlightBatches: Dispatched[] = [];
  /** Set when the sender stops (close or an unexpected error): sends give up at their next wait. */
  private stopSends = false;
  /**
   * Sink health. Until a call has been answered (at start, and after a whole-call error) the sink
   * is "down": one batch (the probe) makes the calls, with the shared outage backoff; the others
   * wait and no new batch is started. The first answered call opens the window again.
   */
  private sinkUp = false;
  private probe: object | null = null;
  private outageRounds = 0;
  private sinkWaiters: (() => void)[] = [];
  /** Direct sends under way (`options.direct`), each settling once its records are delivered or spooled. */
  private readonly directSends = new Set<Promise<void>>();
  /**
   * Ids of direct sends under way: duplicates of them are refused, but they join the dedupe window
   * (whose file a compaction rewrites from memory) only once the sink has their records.
   */
  private readonly sending = new Set<string>();

  constructor(
    private readonly options: DeliveryOptions,
    private readonly spool: DiskSpool,
    private readonly recent: RecentIdsFile,
  ) {
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.policy = { ...DEFAULT_RESEND_POLICY, ...options.resendPolicy };
    this.maxBatchAgeMs = options.maxBatchAgeMs ?? 1000;
    this.window = options.maxBatchesInFlight ?? DEFAULT_MAX_BATCHES_IN_FLIGHT;
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

  private stopping(): boolean {
    return this.closing || this.stopSends;
  }

  /** Backoff sleep that close() cuts short (one pending sleep per batch at most, nothing accumulates over a long outage). */
  private backoff(ms: number): Promise<void> {
    if (this.stopping()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const finish = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        this.cancelBackoffs.delete(finish);
        resolve();
      };
      this.cancelBackoffs.add(finish);
      if (this.options.sleep) this.options.sleep(ms).then(finish, finish);
      else timer = setTimeout(finish, ms);
    });
  }

  private cancelWaits(): void {
    for (const cancel of [...this.cancelBackoffs]) cancel();
    for (const w of this.sinkWaiters.splice(0)) w();
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
    // In post order: an invalid post's dead letter, or the index of a new post among `kept`
    const outcomes: (DeadLetterEntry | number)[] = [];
    const kept: Post[] = [];
    posts.forEach((post, i) => {
      const id = (post as { id?: unknown } | null)?.id;
      if (typeof id !== "string" || id === "") {
        outcomes.push({ reason: "invalid", record: Buffer.from(JSON.stringify(post ?? null) + "\n"), errorMessage: `accept: posts[${i}] has no string id` });
        return;
      }
      if (this.recent.ids.has(id) || this.sending.has(id) || inCall.has(id)) {
        duplicates++;
        return;
      }
      inCall.add(id);
      fresh.push(id);
      outcomes.push(kept.push(post) - 1);
    });
    const encoded = encodeFirehoseRecords(kept);
    for (const o of outcomes) {
      if (typeof o !== "number") {
        rejected.push(o);
        continue;
      }
      const record = encoded[o]!;
      if (isOversizeRecord(record.length, this.limits)) {
        rejected.push({ reason: "oversize", record, errorMessage: `record is ${record.length} bytes, Firehose accepts at most ${this.limits.maxRecordBytes}` });
      } else {
        records.push(record);
      }
    }
    await this.deadLetter.write(rejected);
    if (records.length && this.sendsDirect()) {
      for (const id of fresh) this.sending.add(id);
      await this.sendDirect(records, fresh);
    } else {
      await this.spool.append(records);
      await this.recent.remember(fresh);
    }
    this.counters.duplicates += duplicates;
    this.counters.deadLettered += rejected.length;
    if (rejected.length) this.log({ event: "dead-lettered", reasons: rejected.map((r) => r.reason), count: rejected.length });
    if (records.length) this.notify();
    return { accepted: fresh.length, duplicates };
  }

  /** Direct only while nothing is spooled or on its way from the spool, so a backlog drains first. */
  private sendsDirect(): boolean {
    return this.options.direct === true && !this.closing && this.spool.backlog === 0 && this.inFlightBatches.length === 0;
  }

  /**
   * Starts sending records straight to the (durable) sink, after waiting for room in the window.
   * Their ids are persisted once the sink has them; records a stop or an error left unsent go
   * to the spool instead, so nothing accepted is dropped.
   */
  private async sendDirect(records: Buffer[], ids: string[]): Promise<void> {
    while (this.directSends.size >= this.window) await Promise.race(this.directSends);
    const spoolInstead = async () => {
      await this.spool.append(records);
      this.notify();
    };
    const run: Promise<void> = this.send(records)
      .then((done) => (done ? undefined : spoolInstead()))
      .catch(async (err: unknown) => {
        this.log({ event: "direct-send-error", records: records.length, error: String((err as Error)?.message ?? err) });
        await spoolInstead();
      })
      .then(() => this.recent.remember(ids))
      .catch((err: unknown) => this.log({ event: "direct-send-error", records: records.length, error: String((err as Error)?.message ?? err) }))
      .finally(() => {
        for (const id of ids) this.sending.delete(id);
        this.directSends.delete(run);
      });
    this.directSends.add(run);
  }

  seen(id: string): boolean {
    return this.recent.ids.has(id) || this.sending.has(id);
  }

  stats(): DeliveryStats {
    return { ...this.counters, spooled: this.spool.backlog, lastDeliveredAt: this.lastDeliveredAt };
  }

  async drain(): Promise<void> {
    await this.acceptChain;
    while (this.directSends.size > 0) await Promise.all(this.directSends);
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

  private flushRequested(batch: Batch): boolean {
    return this.closing || this.drainWaiters.length > 0 || comparePositions(batch.start, this.recoverUntil) < 0;
  }

  /**
   * Reads batches from the spool and hands each to its own `send`, up to `window` at a time; acks
   * the spool strictly in order as the oldest batches complete.
   */
  private async run(): Promise<void> {
    this.stopSends = false;
    this.sinkUp = false;
    this.probe = null;
    this.outageRounds = 0;
    this.inFlightBatches = [];
    try {
      await this.dispatchLoop();
      // Closing: let calls under way finish (sends in backoff return at once), then ack what completed.
      await Promise.all(this.inFlightBatches.map((d) => d.settled));
      await this.ackCompleted();
    } finally {
      this.stopSends = true;
      this.cancelWaits();
      await Promise.all(this.inFlightBatches.map((d) => d.settled));
    }
  }

  private async dispatchLoop(): Promise<void> {
    let batch = emptyBatch(this.spool.ackPosition);
    for (;;) {
      await this.ackCompleted();
      const room = this.inFlightBatches.length < this.window;
      // While the sink is down (or not yet heard from) only the batches already out go on, through the probe.
      const sinkAllows = this.sinkUp || this.inFlightBatches.length === 0;
      if (this.closing && (!room || !sinkAllows || (batch.records.length === 0 && !this.spool.hasDataAfter(batch.end)))) return;
      if (!room || !sinkAllows) {
        await this.waitForWork();
        continue;
      }
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
        batch.skipped += read.oversize.length;
      }
      if (batch.records.length === 0) {
        // Only oversize records so far: they are done, but the cursor may pass them only in order.
        if (batch.skipped > 0) {
          this.dispatch(batch);
          batch = emptyBatch(batch.end);
          continue;
        }
        if (this.closing) return;
        await this.waitForWork();
        continue;
      }
      const full = this.spool.hasDataAfter(batch.end) || batch.records.length >= this.limits.maxRecordsPerBatch;
      const age = this.clock() - batch.startedAt;
      if (!full && !this.flushRequested(batch) && age < this.maxBatchAgeMs) {
        await this.waitForWork(this.maxBatchAgeMs - age);
        continue;
      }
      this.dispatch(batch);
      batch = emptyBatch(batch.end);
      if (this.closing) return; // close flushes the batch being gathered, and starts nothing after it
    }
  }

  private dispatch(batch: Batch): void {
    const d: Dispatched = { batch, settled: Promise.resolve() };
    const sending = batch.records.length ? this.send(batch.records) : Promise.resolve(true);
    d.settled = sending.then(
      (done) => {
        d.done = done;
        this.notify();
      },
      (err: unknown) => {
        d.error = err ?? new Error("send failed");
        this.notify();
      },
    );
    this.inFlightBatches.push(d);
  }

  /** Acks the completed prefix of the batches in flight (one cursor write), never past an incomplete one. */
  private async ackCompleted(): Promise<void> {
    let records = 0;
    let end: SpoolPosition | null = null;
    let n = 0;
    for (const d of this.inFlightBatches) {
      if (d.error !== undefined) throw d.error;
      if (d.done !== true) break;
      records += d.batch.records.length + d.batch.skipped;
      end = d.batch.end;
      n++;
    }
    if (end) {
      await this.spool.ack(end, records);
      this.inFlightBatches.splice(0, n);
    }
    this.settleDrains();
  }

  /** Resolves true when this batch may make a call now; false if the sender is stopping. */
  private async passGate(token: object): Promise<boolean> {
    for (;;) {
      if (this.sinkUp) return true;
      if (this.probe === null || this.probe === token) {
        this.probe = token;
        return true;
      }
      if (this.stopping()) return false;
      await new Promise<void>((resolve) => this.sinkWaiters.push(resolve));
    }
  }

  private sinkAnswered(): void {
    this.outageRounds = 0;
    this.probe = null;
    if (this.sinkUp) return;
    this.sinkUp = true;
    for (const w of this.sinkWaiters.splice(0)) w();
    this.notify(); // the window opens again
  }

  /** A whole-call error: the sink is down for every batch. Returns the backoff this batch waits before its next call. */
  private sinkFailed(token: object): number {
    this.sinkUp = false;
    this.probe ??= token;
    // A batch that is not the probe waits in passGate for the sink to answer someone, without calling;
    // only the probe's failures grow the backoff, so concurrent failures count as one round.
    if (this.probe !== token) return 0;
    this.outageRounds++;
    return backoffDelay(this.outageRounds, this.random, this.policy);
  }

  /** Sends one batch until every record is acknowledged or dead-lettered; false if the sender stopped first. */
  private async send(records: Buffer[]): Promise<boolean> {
    const token = {};
    let pending: Entry[] = records.map((data) => ({ data, permanentFailures: 0 }));
    let recordRounds = 0;
    let waitMs = 0;
    let first = true;
    while (pending.length > 0) {
      if (!first) {
        if (this.stopping()) return false;
        if (waitMs > 0) {
          this.log({ event: "resend-wait", round: this.probe === token ? this.outageRounds : recordRounds, records: pending.length, delayMs: waitMs });
          await this.backoff(waitMs);
          if (this.stopping()) return false;
        }
      }
      if (!(await this.passGate(token))) return false;
      if (!first) this.counters.resent += pending.length;
      first = false;
      const sent = pending.length;
      this.counters.inFlight += sent;
      let failed;
      let plan;
      try {
        failed = (await this.options.sink.putRecordBatch(pending.map((e) => e.data))).failed;
        plan = planResend(pending, failed, (e) => e.permanentFailures, this.policy);
      } catch (err) {
        this.counters.sinkErrors++;
        const name = err instanceof RangeError ? "RangeError" : ((err as Error)?.name ?? "Error");
        this.log({ event: "sink-error", records: sent, round: this.outageRounds + 1, error: name, message: String((err as Error)?.message ?? err) });
        waitMs = this.sinkFailed(token);
        continue;
      } finally {
        this.counters.inFlight -= sent;
      }
      this.sinkAnswered();
      for (const [entry, n] of plan.permanentCounts) entry.permanentFailures = n;
      this.counters.delivered += plan.accepted;
      if (plan.accepted > 0) this.lastDeliveredAt = this.clock();
      if (failed.length) {
        this.counters.sinkErrors += failed.length;
        const codes: Record<string, number> = {};
        for (const f of failed) codes[f.errorCode] = (codes[f.errorCode] ?? 0) + 1;
        this.log({ event: "records-failed", round: recordRounds + 1, failed: failed.length, of: sent, codes });
      }
      if (plan.deadLetter.length) {
        await this.deadLetter.write(plan.deadLetter.map((d) => ({ reason: "rejected" as const, record: d.entry.data, errorCode: d.errorCode, errorMessage: d.errorMessage })));
        this.counters.deadLettered += plan.deadLetter.length;
        this.log({ event: "dead-lettered", reasons: ["rejected"], count: plan.deadLetter.length });
      }
      pending = plan.resend;
      if (pending.length) waitMs = backoffDelay(++recordRounds, this.random, this.policy);
    }
    return true;
  }

  close(): Promise<void> {
    this.closePromise ??= (async () => {
      this.refusing = true;
      await this.acceptChain;
      this.closing = true;
      this.cancelWaits();
      this.notify();
      // Direct sends in backoff stop now and spool what they still hold.
      while (this.directSends.size > 0) await Promise.all(this.directSends);
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
  const window = options.maxBatchesInFlight;
  if (window !== undefined && !(Number.isInteger(window) && window >= 1 && window <= MAX_BATCHES_IN_FLIGHT_LIMIT)) {
    throw new DeliveryConfigError(`must be an integer from 1 to ${MAX_BATCHES_IN_FLIGHT_LIMIT}, got ${String(window)}`, "maxBatchesInFlight");
  }
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
