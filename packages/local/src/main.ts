/**
 * `npm start`: the whole pipeline on one machine. Collector (generator by default, live X when
 * X_BEARER_TOKEN is set, or replay) → local delivery stream (Firehose semantics) → scorer (the
 * Lambda's transformation) → DuckDB warehouse → report, with the dashboard served meanwhile.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { runCollector } from "@defi-sentiment/collector";
import { startDashboard } from "@defi-sentiment/dashboard";
import { collectAnswers, renderReport } from "@defi-sentiment/lake";
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

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  const { local, collector } = splitArgs(argv);
  const { values } = parseArgs({ args: local, options: LOCAL_FLAGS, allowPositionals: false });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const lakeDir = path.resolve(values.lake ?? env.LAKE_DIR ?? "lake");
  const port = portOf(values.port ?? env.DASHBOARD_PORT, values.port !== undefined ? "--port" : "DASHBOARD_PORT");
  const interactive = process.stdout.isTTY && env.CI !== "true" && !values.exit;

  const pipeline = await openLocalPipeline({ lakeDir });
  const dashboard = values["no-dashboard"] ? null : await startDashboard({ warehouse: pipeline.warehouse, lakeDir, port });
  const say = (s: string) => process.stderr.write(`${s}\n`);
  say(`lake: ${lakeDir}`);
  if (dashboard) say(`dashboard: ${dashboard.url}`);

  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const progress = progressReporter(pipeline, process.stderr);
  try {
    const run = await runCollector({
      sink: pipeline.stream,
      dataDir: path.join(lakeDir, ".collector"),
      argv: collector,
      env,
      signal: abort.signal,
      onProgress: progress.update,
      log: (e) => {
        if (e.level === "error" || e.level === "warn" || e.event === "source") say(JSON.stringify(e));
      },
    });
    await pipeline.stream.flush();
    progress.done();
    say(`collected ${run.read.toLocaleString("en-US")} posts from ${run.source}: ${run.accepted.toLocaleString("en-US")} new, ${run.duplicates.toLocaleString("en-US")} duplicates, ${run.delivered.toLocaleString("en-US")} delivered; table holds ${(await pipeline.warehouse.count()).toLocaleString("en-US")} rows; ${pipeline.stream.stats.processingFailed} failed scoring (see ${path.join(lakeDir, "errors")})`);
    process.stdout.write(renderReport(await collectAnswers(pipeline.warehouse)));
    if (dashboard && interactive && !abort.signal.aborted) {
      say(`\ndashboard still serving at ${dashboard.url} — Ctrl-C to stop`);
      await new Promise<void>((resolve) => abort.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
    return 0;
  } finally {
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
