/**
 * One soak of the whole pipeline, bounded in time, shared by the CI test (soak.test.ts) and the
 * benchmark (bench/soak.ts):
 *
 *   XFeed → X test server (stream + recent search, stream faults)
 *         → collector (`runCollector`, live source, gap fill, disk spool)
 *         → Firehose-protocol test server (per-record failures, throttling, outage, latency,
 *           reset after accept) → its persist file
 *         → processor child (LocalDeliveryStream: scorer transformation → DuckDB upsert)
 *
 * Everything runs on 127.0.0.1; every wait is bounded. The collector's sleeps of 30 s or more
 * are compressed by `xTimeScale` (a 429's 60 s+ backoff would not fit a CI run; the schedule
 * itself is unit-tested in the collector); shorter ones run in real time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { createFirehoseSink, runCollector } from "@defi-sentiment/collector";
import { Warehouse } from "@defi-sentiment/lake";
import { LOCAL_WAREHOUSE_FILE, SCORED_TABLE_NAME, seededRandom } from "@defi-sentiment/shared";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's protocol test servers, reused, not copied (issue 8)
import { startFirehoseServer, type FirehoseCall } from "../../../collector/test/firehose-server.ts";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the collector's protocol test servers, reused, not copied (issue 8)
import { startXServer } from "../../../collector/test/x-server.ts";
import { FirehoseTap } from "./firehose-tap.ts";
import { linearFit, percentile, touchesWindow, type Window } from "./soak-stats.ts";
import { XFeed } from "./x-feed.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROCESSOR_SCRIPT = path.join(here, "processor.ts");

export interface SoakOptions {
  /** Seconds of post creation (faults happen inside this span). */
  seconds: number;
  /** Posts created per second (X's filtered stream delivers up to 250/s). */
  rate?: number;
  /** Share of records the Firehose server fails per record (ServiceUnavailableException). */
  recordFailureRate?: number;
  /** Firehose server latency per call, ms. */
  latencyMs?: number;
  /** Factor applied to the collector's sleeps of 30 s or more (429 backoff; default 0.05). */
  xTimeScale?: number;
  /** Bound for the end: all posts acknowledged, the collector stopped, the lake drained (default 180 s). */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  seconds: number;
  rate: number;
  created: number;
  streamed: number;
  /** Posts never written to a stream connection (created while disconnected): only gap fill can bring them. */
  neverStreamed: number;
  acked: number;
  firehoseRepeats: number;
  foreign: number;
  table: { rows: number; distinct: number; missing: number; unexpected: number };
  processor: { forwarded: number; rows: number; processingFailed: number; peakRssMiB: number };
  postsPerSecond: { created: number; acked: number };
  latency: { samples: number; outside: number; p50: number; p99: number; max: number; p50All: number; p99All: number; maxAll: number };
  rss: { startMiB: number; endMiB: number; peakMiB: number; growthMiBPerHour: number; fitGrowthMiB: number; fitSeconds: number; processorGrowthMiBPerHour: number; processorEndMiB: number; heapGrowthMiBPerHour: number; heapFitGrowthMiB: number; heapEndMiB: number };
  faults: { windows: Window[]; firehoseCalls: Record<string, number>; recordFailures: number; streamConnections: number; gapsFilled: number; gapPosts: number; collectorWarnings: Record<string, number> };
  drainMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mib = (bytes: number) => bytes / 2 ** 20;

function rssOf(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number, stepMs = 50): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`soak: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** Spawns the processor child; resolves `done` with its final JSON line. */
export function startProcessor(input: string, lakeDir: string): { child: ChildProcess; done: Promise<SoakResult["processor"] & Record<string, number>>; finish(): void } {
  const child = spawn(process.execPath, ["--import", "tsx", PROCESSOR_SCRIPT, JSON.stringify({ input, lakeDir })], { cwd: here, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const done = new Promise<SoakResult["processor"] & Record<string, number>>((resolve, reject) => {
    child.on("exit", (code, signal) => {
      const line = out.split("\n").find((l) => l.startsWith("done "));
      if (code === 0 && line) resolve(JSON.parse(line.slice(5)));
      else reject(new Error(`soak processor exited with ${code ?? signal}: ${err}`));
    });
  });
  return { child, done, finish: () => child.stdin!.end("finish\n") };
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const rate = o.rate ?? 1000;
  const scale = o.xTimeScale ?? 0.05;
  const log = o.log ?? (() => {});
  const drainTimeoutMs = o.drainTimeoutMs ?? 180_000;
  const capacity = Math.ceil(rate * o.seconds * 1.05) + 1000;
  const root = mkdtempSync(path.join(os.tmpdir(), "soak-"));
  const persistPath = path.join(root, "firehose-accepted.ndjson");
  const lakeDir = path.join(root, "lake");

  const x = await startXServer();
  const firehose = await startFirehoseServer({ faults: { recordFailureRate: o.recordFailureRate ?? 0.1, latencyMs: o.latencyMs ?? 10 }, random: seededRandom(7), persistPath, keepRecords: true });
  const tap = new FirehoseTap(capacity);
  firehose.accepted = tap;
  const feed = new XFeed({ server: x, rate, capacity }, (n) => tap.acked(n));
  const processor = startProcessor(persistPath, lakeDir);

  const warnings: Record<string, number> = {};
  let progress = { read: 0, delivered: 0, spooled: 0 };
  let gapsFilled = 0;
  let gapPosts = 0;
  const abort = new AbortController();
  const scaledSleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      // Only the long waits (429 backoff ≥ 60 s, x-rate-limit-reset) are compressed: shorter ones,
      // such as gap fill waiting for its window to be 10 s old on the real clock, stay real.
      const t = setTimeout(done, Math.max(0, ms >= 30_000 ? ms * scale : ms));
      function done() {
        clearTimeout(t);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    });
  const collector = runCollector({
    sink: createFirehoseSink({ deliveryStreamName: "defi-soak", region: "us-east-1", endpoint: firehose.url, credentials: { accessKeyId: "soak", secretAccessKey: "soak" } }),
    dataDir: path.join(root, "collector"),
    env: { X_BEARER_TOKEN: "soak-token", X_API_BASE_URL: x.base, X_STALL_TIMEOUT_MS: "1500", HEALTH_INTERVAL_MS: "10000" },
    argv: [],
    signal: abort.signal,
    sleep: scaledSleep,
    onProgress: (p) => (progress = p),
    log: (e) => {
      if (e.msg === "stream gap filled") {
        gapsFilled++;
        gapPosts += Number(e.delivered ?? 0);
      }
      if (e.level === "warn" || e.level === "error" || e.event === "sink-error" || e.event === "records-failed") {
        const key = String(e.msg ?? e.event);
        warnings[key] = (warnings[key] ?? 0) + 1;
      }
    },
  });
  collector.catch(() => {});

  const calls: Record<string, number> = {};
  let recordFailures = 0;
  const tally = (all: boolean) => {
    const cutoff = all ? Infinity : Date.now() - 3_000;
    let k = 0;
    while (k < firehose.calls.length && firehose.calls[k]!.at < cutoff) k++;
    for (const c of firehose.calls.splice(0, k) as FirehoseCall[]) {
      calls[c.outcome] = (calls[c.outcome] ?? 0) + 1;
      recordFailures += c.failedRecords;
    }
  };

  const rssT: number[] = [];
  const rssMain: number[] = [];
  const rssChild: number[] = [];
  // Live heap after a full GC, every 10 s: the leak signal (RSS also moves with V8's heap sizing).
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const heapT: number[] = [];
  const heapLive: number[] = [];
  const windows: Window[] = [];
  const timers: NodeJS.Timeout[] = [];
  let t0 = 0;
  try {
    await waitFor("the collector's first stream connection", () => feed.openConnections > 0, 60_000);
    t0 = Date.now();
    feed.start();
    const sampler = setInterval(() => {
      rssT.push((Date.now() - t0) / 1000);
      rssMain.push(process.memoryUsage.rss());
      rssChild.push(rssOf(processor.child.pid));
      tally(false);
      if (rssT.length % 10 === 0) {
        gc();
        heapT.push((Date.now() - t0) / 1000);
        heapLive.push(process.memoryUsage().heapUsed);
      }
      if (rssT.length % 5 === 0)
        log(`t=${rssT[rssT.length - 1]!.toFixed(0)} s created ${feed.created} streamed ${feed.streamed} collector read ${progress.read} spooled ${progress.spooled} timeline ${feed.timelineLength} acked ${tap.distinct} (+${tap.repeats} repeats) connections ${x.streamConnections()} rss ${mib(rssMain[rssMain.length - 1]!).toFixed(0)} MiB`);
    }, 1000);
    timers.push(sampler);

    // Faults, as a cycle over the run (one cycle for short runs, one every 120 s for long ones).
    const cycle = o.seconds <= 150 ? o.seconds : 120;
    const at = (fraction: number, name: string, durationMs: number, act: () => void) => {
      for (let start = 0; start + fraction * cycle < o.seconds - 10; start += cycle) {
        const ms = (start + fraction * cycle) * 1000;
        timers.push(
          setTimeout(() => {
            const now = Date.now();
            windows.push({ name, from: now, to: now + durationMs });
            log(`fault at ${((now - t0) / 1000).toFixed(1)} s: ${name}`);
            act();
          }, ms),
        );
      }
    };
    const recover = 4000;
    const f = firehose.faults;
    at(0.15, "stream reset", recover, () => feed.reset());
    at(0.25, "firehose throttling (4 calls ThrottlingException)", 8000 + recover, () => (f.outage = { calls: 4, kind: "throttling-400" }));
    at(0.35, "stream reset, then 429 with x-rate-limit-reset +90 s", 90_000 * scale + recover, () =>
      feed.reset([{ status: 429, headers: { "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 90) }, body: { title: "ConnectionException", detail: "This stream is currently at the maximum allowed connection limit." } }]),
    );
    at(0.45, "firehose reset after accept (2 calls)", 3000 + recover, () => (f.resetAfterAccept = 2));
    at(0.5, "stream keep-alive stall (stall timeout 1.5 s)", 1500 + recover, () => feed.stall());
    at(0.55, "firehose outage 4 s (500 ServiceUnavailable)", 4000 + 8000 + recover, () => (f.outageUntil = { until: Date.now() + 4000, kind: "unavailable-500" }));
    at(0.65, "stream reset, then 503", 5000 * scale + recover, () => feed.reset([{ status: 503, body: { title: "Service Unavailable" } }]));
    at(0.7, "firehose latency 300 ms for 3 s", 3000 + recover, () => {
      f.latencyMs = 300;
      setTimeout(() => (f.latencyMs = o.latencyMs ?? 10), 3000);
    });

    await sleep(o.seconds * 1000);
    feed.stop();
    const createdAtStop = feed.created;
    const stopAt = Date.now();
    log(`created ${createdAtStop} posts in ${o.seconds} s; waiting for every one to be acknowledged`);
    await waitFor(`all ${createdAtStop} posts acknowledged by the Firehose server (have ${tap.distinct})`, () => tap.distinct >= createdAtStop, drainTimeoutMs, 200);
    const ackedAt = Date.now();
    clearInterval(sampler);
    abort.abort();
    await Promise.race([collector, sleep(60_000).then(() => Promise.reject(new Error("soak: the collector did not stop within 60 s of abort")))]);
    await firehose.close();
    tally(true);
    processor.finish();
    const proc = await Promise.race([processor.done, sleep(drainTimeoutMs).then(() => Promise.reject(new Error(`soak: the processor did not drain within ${drainTimeoutMs} ms`)))]);
    const drainMs = Date.now() - stopAt;

    const wh = await Warehouse.open(path.join(lakeDir, LOCAL_WAREHOUSE_FILE), { readOnly: true });
    let table: SoakResult["table"];
    try {
      const [row] = await wh.query<{ rows: number; distinct_ids: number; missing: number; unexpected: number }>(`
        WITH expected AS (SELECT CAST(1000000000000000000 + n AS VARCHAR) AS id FROM range(0, ${createdAtStop}) t(n))
        SELECT (SELECT count(*) FROM ${SCORED_TABLE_NAME}) AS rows,
               (SELECT count(DISTINCT id) FROM ${SCORED_TABLE_NAME}) AS distinct_ids,
               (SELECT count(*) FROM expected e WHERE NOT EXISTS (SELECT 1 FROM ${SCORED_TABLE_NAME} p WHERE p.id = e.id)) AS missing,
               (SELECT count(*) FROM ${SCORED_TABLE_NAME} p WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.id = p.id)) AS unexpected`);
      table = { rows: row!.rows, distinct: row!.distinct_ids, missing: row!.missing, unexpected: row!.unexpected };
    } finally {
      wh.close();
    }

    // A fault's window lasts from its start until everything created up to its nominal end
    // (streamed, or recovered by gap fill) has been accepted by Firehose: the backlog it caused.
    for (const w of windows) {
      let recovered = w.to;
      for (let n = 0; n < createdAtStop && feed.createdAt[n]! <= w.to; n++) recovered = Math.max(recovered, tap.firstAckAt[n]!);
      w.to = recovered;
    }
    // Receive-to-acknowledge: X server wrote the line → Firehose server accepted the record.
    const all: number[] = [];
    const outside: number[] = [];
    let neverStreamed = 0;
    for (let n = 0; n < createdAtStop; n++) {
      const w = feed.writtenAt[n]!;
      const a = tap.firstAckAt[n]!;
      if (Number.isNaN(w)) {
        neverStreamed++;
        continue;
      }
      if (Number.isNaN(a)) continue;
      const ms = a - w;
      all.push(ms);
      if (!touchesWindow(w, a, windows)) outside.push(ms);
    }
    const warm = Math.max(15, o.seconds * 0.25);
    const heapIdx = heapT.map((t, i) => [t, i] as const).filter(([t]) => t >= warm && t <= o.seconds).map(([, i]) => i);
    const heapFit = linearFit(heapIdx.map((i) => heapT[i]!), heapIdx.map((i) => mib(heapLive[i]!)));
    const heapSeconds = heapIdx.length ? heapT[heapIdx[heapIdx.length - 1]!]! - heapT[heapIdx[0]!]! : 0;
    const fitIdx = rssT.map((t, i) => [t, i] as const).filter(([t]) => t >= warm && t <= o.seconds).map(([, i]) => i);
    const fit = linearFit(fitIdx.map((i) => rssT[i]!), fitIdx.map((i) => mib(rssMain[i]!)));
    const childIdx = fitIdx.filter((i) => Number.isFinite(rssChild[i]!));
    const childFit = linearFit(childIdx.map((i) => rssT[i]!), childIdx.map((i) => mib(rssChild[i]!)));
    const fitSeconds = fitIdx.length ? rssT[fitIdx[fitIdx.length - 1]!]! - rssT[fitIdx[0]!]! : 0;
    const run = await collector;
    log(`collector: ${JSON.stringify(run)}`);
    return {
      seconds: o.seconds,
      rate,
      created: createdAtStop,
      streamed: feed.streamed,
      neverStreamed,
      acked: tap.distinct,
      firehoseRepeats: tap.repeats,
      foreign: tap.foreign,
      table,
      processor: { forwarded: proc.forwarded, rows: proc.rows, processingFailed: proc.processingFailed, peakRssMiB: proc.peakRssMiB },
      postsPerSecond: { created: createdAtStop / o.seconds, acked: tap.distinct / ((ackedAt - t0) / 1000) },
      latency: {
        samples: all.length,
        outside: outside.length,
        p50: percentile(outside, 50),
        p99: percentile(outside, 99),
        max: outside.length ? Math.max(...outside) : Number.NaN,
        p50All: percentile(all, 50),
        p99All: percentile(all, 99),
        maxAll: all.reduce((m, v) => Math.max(m, v), 0),
      },
      rss: {
        startMiB: mib(rssMain[0] ?? Number.NaN),
        endMiB: mib(rssMain[rssMain.length - 1] ?? Number.NaN),
        peakMiB: mib(Math.max(...rssMain)),
        growthMiBPerHour: fit.slope * 3600,
        fitGrowthMiB: fit.slope * fitSeconds,
        fitSeconds,
        processorGrowthMiBPerHour: childFit.slope * 3600,
        processorEndMiB: mib(rssChild[rssChild.length - 1] ?? Number.NaN),
        heapGrowthMiBPerHour: heapFit.slope * 3600,
        heapFitGrowthMiB: heapFit.slope * heapSeconds,
        heapEndMiB: mib(heapLive[heapLive.length - 1] ?? Number.NaN),
      },
      faults: { windows: windows.map((w) => ({ ...w, from: (w.from - t0) / 1000, to: (w.to - t0) / 1000 })), firehoseCalls: calls, recordFailures, streamConnections: x.streamConnections(), gapsFilled, gapPosts, collectorWarnings: warnings },
      drainMs,
    };
  } finally {
    for (const t of timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    feed.stop();
    abort.abort();
    await collector.catch(() => undefined);
    await firehose.close().catch(() => undefined);
    if (processor.child.exitCode === null) processor.child.kill("SIGKILL");
    await x.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a");

/** The soak's results as a markdown table (stdout in the test, BENCHMARKS.md in the bench). */
export function formatSoakSummary(r: SoakResult): string {
  const rows: [string, string][] = [
    ["posts created by the X server (rate × seconds)", `${fmt(r.created)} (${fmt(r.postsPerSecond.created)}/s for ${r.seconds} s)`],
    ["written to stream connections / only reachable by gap fill", `${fmt(r.streamed)} / ${fmt(r.neverStreamed)}`],
    ["acknowledged by the Firehose server (distinct)", `${fmt(r.acked)} (${fmt(r.postsPerSecond.acked)}/s)`],
    ["redelivered copies accepted (absorbed by upsert)", fmt(r.firehoseRepeats)],
    ["rows in table / distinct ids", `${fmt(r.table.rows)} / ${fmt(r.table.distinct)}`],
    ["**lost** (created, not in table)", `**${fmt(r.table.missing)}**`],
    ["**duplicates in table** (rows − distinct)", `**${fmt(r.table.rows - r.table.distinct)}**`],
    ["unexpected ids in table", fmt(r.table.unexpected)],
    ["scoring failures (processing-failed)", fmt(r.processor.processingFailed)],
    ["receive→ack p50 / p99 / max outside fault windows (ms)", `${fmt(r.latency.p50)} / ${fmt(r.latency.p99)} / ${fmt(r.latency.max)} (n=${fmt(r.latency.outside)})`],
    ["receive→ack p50 / p99 / max, all streamed posts (ms)", `${fmt(r.latency.p50All)} / ${fmt(r.latency.p99All)} / ${fmt(r.latency.maxAll)} (n=${fmt(r.latency.samples)})`],
    ["RSS collector process start / end / peak (MiB)", `${fmt(r.rss.startMiB)} / ${fmt(r.rss.endMiB)} / ${fmt(r.rss.peakMiB)}`],
    ["RSS growth, linear fit after warm-up (MiB/h; MiB over the fit)", `${fmt(r.rss.growthMiBPerHour, 1)}; ${fmt(r.rss.fitGrowthMiB, 1)} over ${fmt(r.rss.fitSeconds)} s`],
    ["live heap after full GC, end / growth after warm-up (MiB; MiB/h; MiB over the fit)", `${fmt(r.rss.heapEndMiB)}; ${fmt(r.rss.heapGrowthMiBPerHour, 1)}; ${fmt(r.rss.heapFitGrowthMiB, 1)}`],
    ["processor (scorer + DuckDB) RSS end / growth (MiB; MiB/h)", `${fmt(r.rss.processorEndMiB)}; ${fmt(r.rss.processorGrowthMiBPerHour, 1)}`],
    ["Firehose calls by outcome", Object.entries(r.faults.firehoseCalls).map(([k, v]) => `${k} ${fmt(v)}`).join(", ")],
    ["per-record failures injected", fmt(r.faults.recordFailures)],
    ["stream connections / gaps filled / posts from gap fill", `${fmt(r.faults.streamConnections)} / ${fmt(r.faults.gapsFilled)} / ${fmt(r.faults.gapPosts)}`],
    ["stop → all acked, lake drained (ms)", fmt(r.drainMs)],
  ];
  const faults = r.faults.windows.map((w) => `- ${w.from.toFixed(1)} s → ${w.to.toFixed(1)} s: ${w.name}`).join("\n");
  return `| measure | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join("\n")}\n\nFault windows, from injection until everything created before the fault's nominal end was acknowledged (latency samples whose receive→ack interval touches one are excluded from "outside"):\n${faults}\n`;
}
