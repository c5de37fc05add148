/**
 * `npm start`: the whole pipeline on one machine. Collector (generator by default, live X when
 * X_BEARER_TOKEN is set, or replay) → local delivery stream (Firehose semantics) → scorer (the
 * Lambda's transformation) → DuckDB warehouse → report, with the dashboard served meanwhile.
 * Data lifecycle: deletion notices on the stream delete from the lake, posts the deletion record
 * lists are never collected again, and when live the batch compliance check runs every 24 h.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseCollectorConfig, readDeletionTombstones, runCollector, type DeletionTarget } from "@defi-sentiment/collector";
import { startDashboard } from "@defi-sentiment/dashboard";
import { collectAnswers, localDeletionTarget, renderReport } from "@defi-sentiment/lake";
import { complianceCommand, formatComplianceSummary } from "./lifecycle/compliance.ts";
import { abortableSleep, scheduleComplianceCheck, type ComplianceSchedule, type ComplianceScheduleTimers } from "./lifecycle/compliance-schedule.ts";
import { openLocalPipeline } from "./local-pipeline.ts";
import { progressReporter } from "./progress.ts";

const HELP = `defi-sentiment — the whole pipeline on this machine

Usage: npm start [-- options]

Local options:
  --lake <dir>          lake folder (raw/, errors/, health/, warehouse.duckdb)   [env LAKE_DIR, default ./lake]
  --port <n>            dashboard port on 127.0.0.1 (0 = any free port)           [env DASHBOARD_PORT, default 8787]
  --no-dashboard        don't serve the dashboard
  --exit                exit after the report instead of serving the dashboard until Ctrl-C
                        (the default when stdout is not a terminal or CI=true)
  -h, --help            this help

Collector options (passed through; see packages/collector/README.md):
  --count <n>           posts to generate                                         [default 20000]
  --seed <n>            generator seed (same seed, same posts)                    [default 42]
  --replay <file...>    replay X API v2 responses, Post NDJSON or raw lake files instead
  Live collection starts when X_BEARER_TOKEN is set; otherwise the synthetic generator runs.
  While live, the X batch compliance check (npm run compliance -- --since 7d) runs every 24 h,
  and deletion notices on the stream delete their posts from the lake.
`;

const LOCAL_FLAGS = {
  lake: { type: "string" },
  port: { type: "string" },
  "no-dashboard": { type: "boolean" },
  exit: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Splits argv into our flags and the collector's, so each side validates its own. */
export function splitArgs(argv: string[]): { local: string[]; collector: string[] } {
  const local: string[] = [];
  const collector: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.replace(/^--?/, "").split("=")[0]!;
    const def = (LOCAL_FLAGS as Record<string, { type: string; short?: string }>)[name] ?? (arg === "-h" ? LOCAL_FLAGS.help : undefined);
    if (!def) {
      collector.push(arg);
      continue;
    }
    local.push(arg);
    if (def.type === "string" && !arg.includes("=") && i + 1 < argv.length) local.push(argv[++i]!);
  }
  return { local, collector };
}

/** Raised for a bad option or variable; names it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function portOf(value: string | undefined, where: string): number {
  const port = Number(value ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${where} must be a port number 0–65535, got ${JSON.stringify(value)}`);
  return port;
}

/** Test seams for `main`. */
export interface MainOptions {
  /** Stops the run like Ctrl-C. */
  signal?: AbortSignal;
  /** The scheduled compliance check while live (defaults: every 24 h, first after 60 s). */
  compliance?: { intervalMs?: number; firstDelayMs?: number; since?: string; timers?: ComplianceScheduleTimers; sleep?: (ms: number) => Promise<void> };
  /** Notice batching passed to the collector. */
  noticeBatch?: { maxBatch?: number; maxDelayMs?: number };
}

/**
 * The local lake as the one deletion target: flushes the delivery stream first (a noticed post
 * may still be buffered there), and runs one deletion at a time (stream notices and the
 * scheduled check share the warehouse and the raw files).
 */
function lakeDeletionTarget(pipeline: Awaited<ReturnType<typeof openLocalPipeline>>): DeletionTarget {
  const lake = localDeletionTarget({ lakeDir: pipeline.lakeDir, warehouse: pipeline.warehouse, name: "local lake" });
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(async () => {
      await pipeline.stream.flush();
      return fn();
    });
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    name: lake.name,
    deletePosts: (ids) => serial(() => lake.deletePosts(ids)),
    deleteAuthorPosts: (authorIds) => serial(() => lake.deleteAuthorPosts(authorIds)),
  };
}

export async function main(argv = process.argv.slice(2), env = process.env, options: MainOptions = {}): Promise<number> {
  const { local, collector } = splitArgs(argv);
  const { values } = parseArgs({ args: local, options: LOCAL_FLAGS, allowPositionals: false });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const lakeDir = path.resolve(values.lake ?? env.LAKE_DIR ?? "lake");
  const port = portOf(values.port ?? env.DASHBOARD_PORT, values.port !== undefined ? "--port" : "DASHBOARD_PORT");
  const interactive = process.stdout.isTTY && env.CI !== "true" && !values.exit;
  const dataDir = path.join(lakeDir, ".collector");
  // Which source runs decides whether the compliance check is scheduled (live only).
  const source = parseCollectorConfig(collector, env, { dataDir }).source;

  // A bulk source (generator, replay) keeps both cores busy scoring and collecting: DuckDB gets
  // one thread while it loads (its parallel upserts cost half as much CPU again), all of them after.
  const bulk = source === "generator" || source === "replay";
  const pipeline = await openLocalPipeline({ lakeDir, ...(bulk ? { warehouseThreads: 1 } : {}) });
  const dashboard = values["no-dashboard"] ? null : await startDashboard({ warehouse: pipeline.warehouse, lakeDir, port });
  const say = (s: string) => process.stderr.write(`${s}\n`);
  say(`lake: ${lakeDir}`);
  if (dashboard) say(`dashboard: ${dashboard.url}`);

  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (options.signal?.aborted) abort.abort();
  options.signal?.addEventListener("abort", stop, { once: true });
  const progress = progressReporter(pipeline, process.stderr);
  const deletionTarget = lakeDeletionTarget(pipeline);
  let schedule: ComplianceSchedule | null = null;
  try {
    if (source === "stream" || source === "search") {
      const { since = "7d", sleep, ...timing } = options.compliance ?? {};
      schedule = scheduleComplianceCheck({
        check: async (signal) => {
          const summary = await complianceCommand({
            lakeDir, since, env, warehouse: pipeline.warehouse, targets: [deletionTarget], sleep: sleep ?? abortableSleep(signal), out: { write: () => true },
          });
          return formatComplianceSummary(summary).trim().replace(/\n/g, "; ");
        },
        log: say,
        ...timing,
      });
    }
    const run = await runCollector({
      sink: pipeline.stream,
      dataDir,
      argv: collector,
      env,
      signal: abort.signal,
      onProgress: progress.update,
      deletionTargets: [deletionTarget],
      tombstones: () => readDeletionTombstones(lakeDir),
      ...(options.noticeBatch ? { noticeBatch: options.noticeBatch } : {}),
      log: (e) => {
        if (e.level === "error" || e.level === "warn" || e.event === "source" || e.event === "deletion-notices-applied") say(JSON.stringify(e));
      },
    });
    await schedule?.stop();
    await pipeline.stream.flush();
    if (bulk) await pipeline.warehouse.setThreads(Math.max(2, availableParallelism()));
    progress.done();
    say(`collected ${run.read.toLocaleString("en-US")} posts from ${run.source}: ${run.accepted.toLocaleString("en-US")} new, ${run.duplicates.toLocaleString("en-US")} duplicates, ${run.tombstoned ? `${run.tombstoned.toLocaleString("en-US")} deleted earlier (not stored), ` : ""}${run.deletionNotices ? `${run.deletionNotices.toLocaleString("en-US")} deletion notices received, ` : ""}${run.delivered.toLocaleString("en-US")} delivered; table holds ${(await pipeline.warehouse.count()).toLocaleString("en-US")} rows; ${pipeline.stream.stats.processingFailed} failed scoring (see ${path.join(lakeDir, "errors")})`);
    process.stdout.write(renderReport(await collectAnswers(pipeline.warehouse)));
    if (dashboard && interactive && !abort.signal.aborted) {
      say(`\ndashboard still serving at ${dashboard.url} — Ctrl-C to stop`);
      await new Promise<void>((resolve) => abort.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
    return 0;
  } finally {
    await schedule?.stop();
    options.signal?.removeEventListener("abort", stop);
    progress.done();
    await dashboard?.close();
    await pipeline.close();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("packages/local/src/main.ts")) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(err instanceof ConfigError || (err as { name?: string })?.name?.endsWith("ConfigError") ? 2 : 1);
    },
  );
}
