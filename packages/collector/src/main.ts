/**
 * The collector command line: reads config, wires the adapters, runs a command. Logs are JSON
 * lines on stderr; `--sink stdout` writes the records (Post NDJSON) on stdout.
 */
import { createFirehoseSink } from "./delivery/index.ts";
import type { RecordSink } from "@defi-sentiment/shared";
import { awsLakeLifecycle } from "./compliance/aws/aws-lake-lifecycle.ts";
import { CollectorConfigError, parseCollectorConfig, redactConfig, type CollectorConfig } from "./config.ts";
import { searchQueriesFor } from "./core/rules-plan.ts";
import { runCollector } from "./run-collector.ts";
import { resolveBearerToken } from "./x/bearer-token.ts";
import { estimateRuleSet } from "./x/estimate.ts";
import { syncRules } from "./x/rules-sync.ts";
import { createXClient } from "./x/x-client.ts";

export const HELP = `defi-sentiment collector: X API v2 → Amazon Data Firehose (at-least-once, disk-spooled)

Usage: collector <command> [options]

Commands:
  run                     filtered stream with rule sync and automatic gap fill (needs X_BEARER_TOKEN)
  backfill --since <t>    recent search from <t> (ISO time or 90m / 2h / 3d) to now, resumable
  estimate                volume and cost of the rule set from X's recent counts (no posts read)
  rules list|sync|dry-run show, apply, or preview the rule set on X
  replay <file|dir...>    replay stream lines, search pages or Post NDJSON (.gz ok, raw/** of the lake)
  generate                synthetic posts from the seeded generator (--count, --seed)
  (none)                  stream if X_BEARER_TOKEN is set, else generate; --replay replays

Options:
  --count <n>             posts to generate                                   [default 20000]
  --seed <n>              generator seed                                       [default 42]
  --replay <path>         replay instead (repeatable; more paths may follow)
  --since <t>             backfill start
  --sink firehose|stdout  where records go [env COLLECTOR_SINK; firehose when FIREHOSE_STREAM_NAME is set, else stdout]
  --data-dir <dir>        spool, dead letters, budget and search state  [env COLLECTOR_DATA_DIR, default ./collector-data]
  --lake <dir>            local lake for health records               [env LAKE_DIR, default <data-dir>/lake]
  --rules-file <file>     rule set: JSON [{"tag","value"}] or "tag: value" lines [env X_RULES_FILE, or X_RULES inline]
  --max-posts-per-month <n>, --max-usd-per-month <usd>   read budget [env X_MAX_POSTS_PER_MONTH, X_MAX_USD_PER_MONTH]
  --health-interval <ms>  health record period                        [env HEALTH_INTERVAL_MS, default 60000]
  --stall-timeout <ms>    reconnect when the stream is silent this long  [env X_STALL_TIMEOUT_MS, default 30000]
  -h, --help              this help

Environment:
  X_BEARER_TOKEN            X app bearer token (never logged), or
  X_BEARER_TOKEN_PARAMETER  name of an SSM SecureString holding it (AWS)
  X_USD_PER_POST            price per post read                          [default 0.005]
  FIREHOSE_STREAM_NAME, AWS_REGION, FIREHOSE_ENDPOINT   delivery stream (AWS)
  LAKE_BUCKET               health records to s3://$LAKE_BUCKET/health/… instead of the local lake
  ATHENA_DATABASE, ATHENA_WORKGROUP   with LAKE_BUCKET: deletion notices on the stream delete the post
                            from the Iceberg table (Athena) and raw/, errors/ objects, recorded under
                            s3://$LAKE_BUCKET/compliance/, whose tombstones are refused (else: only logged)
  S3_ENDPOINT, ATHENA_ENDPOINT   endpoint overrides (need AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
  X_API_BASE_URL            X API base                                   [default https://api.x.com]

Exit codes: 0 done or stopped by SIGTERM/SIGINT, 1 failure, 2 bad configuration, 3 read budget exhausted.
`;

export function stdoutSink(write: (s: string) => void = (s) => process.stdout.write(s)): RecordSink {
  return {
    async putRecordBatch(records) {
      write(records.map((r) => Buffer.from(r).toString("utf8")).join(""));
      return { failed: [] };
    },
  };
}

/**
 * With an endpoint override (a VPC endpoint, a local server) credentials must be explicit, so the
 * SDK never walks the default chain to instance metadata.
 */
function endpointCredentials(env: NodeJS.ProcessEnv, variable: string): { accessKeyId: string; secretAccessKey: string } {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) throw new CollectorConfigError(`${variable} is set: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set too`);
  return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
}

function sinkFor(config: CollectorConfig, env: NodeJS.ProcessEnv): RecordSink {
  if (config.sink !== "firehose") return stdoutSink();
  const { streamName, region, endpoint } = config.firehose;
  const credentials = endpoint ? endpointCredentials(env, "FIREHOSE_ENDPOINT") : undefined;
  return createFirehoseSink({ deliveryStreamName: streamName!, region: region ?? undefined, endpoint: endpoint ?? undefined, credentials });
}

/** The AWS lake's deletion targets, record and tombstones, when configured (config.awsLake). */
function awsLakeFor(config: CollectorConfig, env: NodeJS.ProcessEnv): ReturnType<typeof awsLakeLifecycle> | null {
  const lake = config.awsLake;
  if (!lake) return null;
  const overridden = lake.athenaEndpoint ? "ATHENA_ENDPOINT" : config.s3Endpoint ? "S3_ENDPOINT" : null;
  return awsLakeLifecycle({
    region: lake.region,
    bucket: lake.bucket,
    database: lake.database,
    workGroup: lake.workGroup,
    ...(config.s3Endpoint ? { s3Endpoint: config.s3Endpoint } : {}),
    ...(lake.athenaEndpoint ? { athenaEndpoint: lake.athenaEndpoint } : {}),
    ...(overridden ? { credentials: endpointCredentials(env, overridden) } : {}),
  });
}

const say = (e: Record<string, unknown>) => process.stderr.write(JSON.stringify({ at: new Date().toISOString(), ...e }) + "\n");
const print = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + "\n");

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  let config: CollectorConfig;
  try {
    config = parseCollectorConfig(argv, env);
  } catch (err) {
    if (err instanceof CollectorConfigError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (config.command === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  say({ level: "info", event: "config", ...redactConfig(config) });

  if (config.command === "rules" || config.command === "estimate") {
    const client = createXClient({ bearerToken: await resolveBearerToken(config.x, config.firehose.region), baseUrl: config.x.baseUrl });
    if (config.command === "estimate") {
      print(await estimateRuleSet(client, searchQueriesFor(config.rules, config.x.searchQueryMaxLength), config.budget));
      return 0;
    }
    if (config.rulesAction === "list") {
      print(await client.listRules());
      return 0;
    }
    const report = await syncRules(client, config.rules, { dryRun: config.rulesAction === "dry-run" });
    print({ dryRun: report.dryRun, keep: report.plan.keep, add: report.plan.add, delete: report.plan.delete, invalid: report.invalid, problems: report.problems });
    return report.invalid > 0 ? 1 : 0;
  }

  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let budgetExhausted = false;
  let sink: RecordSink;
  let lake: ReturnType<typeof awsLakeFor>;
  try {
    sink = sinkFor(config, env);
    lake = awsLakeFor(config, env);
  } catch (err) {
    if (!(err instanceof CollectorConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (lake) {
    say({ level: "info", event: "deletion-targets", targets: lake.targets.map((t) => t.name), record: lake.recordPrefix });
  } else if (config.source === "stream" || config.source === "search") {
    say({ level: "warn", event: "deletion-targets", msg: "deletion notices are only logged, not applied: set LAKE_BUCKET, ATHENA_DATABASE and ATHENA_WORKGROUP to delete noticed posts from the AWS lake and refuse posts its deletion record lists" });
  }
  try {
    const run = await runCollector({
      sink,
      dataDir: config.dataDir,
      argv,
      env,
      signal: abort.signal,
      ...(lake ? { deletionTargets: lake.targets, deletionLog: lake.log, tombstones: lake.tombstones } : {}),
      log: (e) => {
        if (e.event === "budget-exhausted") budgetExhausted = true;
        say(e);
      },
    });
    say({ level: "info", event: "done", ...run });
    return budgetExhausted ? 3 : 0;
  } finally {
    lake?.close();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
