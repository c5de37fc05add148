/**
 * The collector's configuration, from flags and environment, validated once at start. Every error
 * names the flag or variable. The bearer token comes only from the environment (or SSM, by name)
 * and is never logged: `redactConfig` is what gets printed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { X_PRICING, type BudgetLimits } from "./core/budget.ts";
import { DEFAULT_DEFI_RULES, parseRules, type StreamRule } from "./core/rules-plan.ts";
import { parseSince } from "./core/gap-fill.ts";

export class CollectorConfigError extends Error {
  override name = "CollectorConfigError";
}

export const COMMANDS = ["run", "backfill", "estimate", "rules", "replay", "generate", "help"] as const;
export type Command = (typeof COMMANDS)[number];
export type SourceKind = "generator" | "replay" | "stream" | "search";
export type SinkKind = "firehose" | "stdout" | "given";

export interface CollectorConfig {
  command: Command | null;
  rulesAction: "list" | "sync" | "dry-run" | null;
  source: SourceKind;
  /** Why this source was chosen, for the start log. */
  sourceReason: string;
  count: number;
  seed: number;
  replayPaths: string[];
  /** Backfill start, epoch ms. */
  since: number | null;
  dataDir: string;
  /** Lake folder health records go to locally (`health/dt=…/hour=…`). */
  lakeDir: string;
  sink: SinkKind;
  firehose: { streamName: string | null; region: string | null; endpoint: string | null };
  lakeBucket: string | null;
  /** S3 endpoint override (S3_ENDPOINT) for health records and the AWS lake; path-style. */
  s3Endpoint: string | null;
  /**
   * The AWS lake that stream deletion notices delete from and tombstones are read from: set when
   * ATHENA_DATABASE or ATHENA_WORKGROUP is (LAKE_BUCKET, both of them and AWS_REGION are then
   * required). Null: notices are only logged.
   */
  awsLake: { bucket: string; database: string; workGroup: string; region: string; athenaEndpoint: string | null } | null;
  x: { bearerToken: string | null; bearerTokenParameter: string | null; baseUrl: string; stallMs: number; searchQueryMaxLength: number };
  rules: StreamRule[];
  budget: BudgetLimits;
  healthIntervalMs: number;
}

const FLAGS = {
  count: { type: "string" },
  seed: { type: "string" },
  replay: { type: "string", multiple: true },
  since: { type: "string" },
  sink: { type: "string" },
  "data-dir": { type: "string" },
  lake: { type: "string" },
  "rules-file": { type: "string" },
  "max-posts-per-month": { type: "string" },
  "max-usd-per-month": { type: "string" },
  "health-interval": { type: "string" },
  "stall-timeout": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function intOf(value: string | undefined, where: string, fallback: number, min = 0): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CollectorConfigError(`${where} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

function numOrNull(value: string | undefined, where: string): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CollectorConfigError(`${where} must be a number >= 0, got ${JSON.stringify(value)}`);
  return n;
}

/** S3 bucket names; Glue database names as Athena accepts them; Athena workgroup names. */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GLUE_DATABASE = /^[A-Za-z0-9_]{1,255}$/;
const WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;

function urlOrNull(value: string | undefined, name: string): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (!/^https?:\/\/[^\s]+$/.test(v)) throw new CollectorConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(v)}`);
  return v;
}

/** The AWS lake deletion notices apply to, when ATHENA_DATABASE or ATHENA_WORKGROUP asks for it. */
function awsLakeOf(env: NodeJS.ProcessEnv, bucket: string | null, region: string | null): CollectorConfig["awsLake"] {
  const database = env.ATHENA_DATABASE?.trim() || null;
  const workGroup = env.ATHENA_WORKGROUP?.trim() || null;
  if (!database && !workGroup) return null;
  const given = [database && "ATHENA_DATABASE", workGroup && "ATHENA_WORKGROUP"].filter(Boolean).join(" and ");
  const missing = ([["LAKE_BUCKET", bucket], ["ATHENA_DATABASE", database], ["ATHENA_WORKGROUP", workGroup], ["AWS_REGION", region]] as const).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new CollectorConfigError(`${given} set: deleting noticed posts from the AWS lake also needs ${missing.join(", ")} (or unset ${given} to only log notices)`);
  if (!GLUE_DATABASE.test(database!)) throw new CollectorConfigError(`ATHENA_DATABASE must be a Glue database name (letters, digits, underscores), got ${JSON.stringify(database)}`);
  if (!WORKGROUP.test(workGroup!)) throw new CollectorConfigError(`ATHENA_WORKGROUP must be an Athena workgroup name (letters, digits, . _ -, at most 128), got ${JSON.stringify(workGroup)}`);
  return { bucket: bucket!, database: database!, workGroup: workGroup!, region: region!, athenaEndpoint: urlOrNull(env.ATHENA_ENDPOINT, "ATHENA_ENDPOINT") };
}

/** Says which of a flag or its variable a value came from, for error messages. */
const pick = (flag: string | undefined, flagName: string, env: string | undefined, envName: string) =>
  flag !== undefined ? { value: flag, where: flagName } : { value: env, where: envName };

export function parseCollectorConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env, defaults: { dataDir?: string; now?: number } = {}): CollectorConfig {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CollectorConfigError(`${(err as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  const command = values.help ? "help" : first && (COMMANDS as readonly string[]).includes(first) ? (first as Command) : null;
  const rest = command && first === command ? positionals.slice(1) : positionals;
  let rulesAction: CollectorConfig["rulesAction"] = null;
  if (command === "rules") {
    const action = rest.shift() ?? "list";
    if (action !== "list" && action !== "sync" && action !== "dry-run") throw new CollectorConfigError(`rules: unknown action ${JSON.stringify(action)}; use list, sync or dry-run`);
    rulesAction = action;
  }

  const replayPaths = [...(values.replay ?? []), ...(command === "replay" || values.replay ? rest : [])];
  if (!command && !values.replay && rest.length) throw new CollectorConfigError(`unexpected argument ${JSON.stringify(rest[0])} (see --help)`);
  if (command === "replay" && replayPaths.length === 0) throw new CollectorConfigError("replay: give at least one file or directory");

  const bearerToken = env.X_BEARER_TOKEN?.trim() || null;
  const bearerTokenParameter = env.X_BEARER_TOKEN_PARAMETER?.trim() || null;
  const hasToken = !!(bearerToken || bearerTokenParameter);

  let source: SourceKind;
  let sourceReason: string;
  if (command === "backfill") [source, sourceReason] = ["search", "backfill command: X recent search"];
  else if (command === "replay" || replayPaths.length) [source, sourceReason] = ["replay", `--replay: ${replayPaths.length} path(s)`];
  else if (command === "generate") [source, sourceReason] = ["generator", "generate command: synthetic posts"];
  else if (command === "run") [source, sourceReason] = ["stream", "run command: X filtered stream with gap fill"];
  else if (hasToken) [source, sourceReason] = ["stream", `${bearerToken ? "X_BEARER_TOKEN" : "X_BEARER_TOKEN_PARAMETER"} is set: X filtered stream with gap fill`];
  else [source, sourceReason] = ["generator", "X_BEARER_TOKEN is not set: synthetic generator (set it for live X)"];

  const needsX = source === "stream" || source === "search" || command === "estimate" || command === "rules";
  if (needsX && !hasToken) throw new CollectorConfigError(`${command ?? source}: X_BEARER_TOKEN (or X_BEARER_TOKEN_PARAMETER, an SSM parameter name) must be set`);

  const now = defaults.now ?? Date.now();
  let since: number | null = null;
  if (values.since !== undefined) {
    try {
      since = parseSince(values.since, now);
    } catch (err) {
      throw new CollectorConfigError((err as Error).message);
    }
  } else if (command === "backfill") throw new CollectorConfigError("backfill: --since is required (ISO time or a duration such as 2h)");

  const dataDir = path.resolve(values["data-dir"] ?? env.COLLECTOR_DATA_DIR ?? defaults.dataDir ?? "collector-data");
  const lakeDir = path.resolve(values.lake ?? env.LAKE_DIR ?? (path.basename(dataDir) === ".collector" ? path.dirname(dataDir) : path.join(dataDir, "lake")));

  const sinkRaw = values.sink ?? env.COLLECTOR_SINK;
  const streamName = env.FIREHOSE_STREAM_NAME?.trim() || null;
  const sink: SinkKind = sinkRaw ? (sinkRaw as SinkKind) : streamName ? "firehose" : "given";
  if (!["firehose", "stdout", "given"].includes(sink)) throw new CollectorConfigError(`${values.sink ? "--sink" : "COLLECTOR_SINK"} must be firehose or stdout, got ${JSON.stringify(sinkRaw)}`);
  if (sink === "firehose" && !streamName) throw new CollectorConfigError("--sink firehose needs FIREHOSE_STREAM_NAME (and AWS_REGION)");
  if (sink === "firehose" && !(env.AWS_REGION || env.AWS_DEFAULT_REGION)) throw new CollectorConfigError("FIREHOSE_STREAM_NAME is set but AWS_REGION is not");

  let rules: StreamRule[] = [...DEFAULT_DEFI_RULES];
  const rulesFile = values["rules-file"] ?? env.X_RULES_FILE;
  try {
    if (rulesFile) rules = parseRules(readFileSync(rulesFile, "utf8"), values["rules-file"] ? `--rules-file ${rulesFile}` : `X_RULES_FILE ${rulesFile}`);
    else if (env.X_RULES?.trim()) rules = parseRules(env.X_RULES, "X_RULES");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new CollectorConfigError(`rules file not found: ${rulesFile}`);
    throw new CollectorConfigError((err as Error).message);
  }

  const maxPosts = pick(values["max-posts-per-month"], "--max-posts-per-month", env.X_MAX_POSTS_PER_MONTH, "X_MAX_POSTS_PER_MONTH");
  const maxUsd = pick(values["max-usd-per-month"], "--max-usd-per-month", env.X_MAX_USD_PER_MONTH, "X_MAX_USD_PER_MONTH");
  const price = numOrNull(env.X_USD_PER_POST, "X_USD_PER_POST") ?? X_PRICING.usdPerPost;
  if (price <= 0) throw new CollectorConfigError("X_USD_PER_POST must be > 0");
  const maxPostsN = numOrNull(maxPosts.value, maxPosts.where);
  if (maxPostsN !== null && !Number.isInteger(maxPostsN)) throw new CollectorConfigError(`${maxPosts.where} must be an integer, got ${maxPosts.value}`);

  const health = pick(values["health-interval"], "--health-interval", env.HEALTH_INTERVAL_MS, "HEALTH_INTERVAL_MS");
  const stall = pick(values["stall-timeout"], "--stall-timeout", env.X_STALL_TIMEOUT_MS, "X_STALL_TIMEOUT_MS");
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || null;
  const lakeBucket = env.LAKE_BUCKET?.trim() || null;
  if (lakeBucket && !S3_BUCKET.test(lakeBucket)) throw new CollectorConfigError(`LAKE_BUCKET must be an S3 bucket name (3-63 lowercase letters, digits, dots or hyphens), got ${JSON.stringify(lakeBucket)}`);
  const s3Endpoint = urlOrNull(env.S3_ENDPOINT, "S3_ENDPOINT");
  const awsLake = awsLakeOf(env, lakeBucket, region);

  const baseUrl = env.X_API_BASE_URL?.trim() || "https://api.x.com";
  if (!/^https?:\/\//.test(baseUrl)) throw new CollectorConfigError(`X_API_BASE_URL must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);

  return {
    command,
    rulesAction,
    source,
    sourceReason,
    count: intOf(values.count, "--count", 20_000, 0),
    seed: intOf(values.seed, "--seed", 42, 0),
    replayPaths,
    since,
    dataDir,
    lakeDir,
    sink,
    firehose: { streamName, region, endpoint: env.FIREHOSE_ENDPOINT?.trim() || null },
    lakeBucket,
    s3Endpoint,
    awsLake,
    x: {
      bearerToken,
      bearerTokenParameter,
      baseUrl,
      stallMs: intOf(stall.value, stall.where, 30_000, 1),
      searchQueryMaxLength: intOf(env.X_SEARCH_QUERY_MAX_LENGTH, "X_SEARCH_QUERY_MAX_LENGTH", 512, 64),
    },
    rules,
    budget: { maxPostsPerMonth: maxPostsN, maxUsdPerMonth: numOrNull(maxUsd.value, maxUsd.where), usdPerPost: price },
    healthIntervalMs: intOf(health.value, health.where, 60_000, 1),
  };
}

/** The config as it may be logged: the token never appears. */
export function redactConfig(c: CollectorConfig): Record<string, unknown> {
  return { ...c, x: { ...c.x, bearerToken: c.x.bearerToken ? "(set)" : null }, rules: c.rules.map((r) => r.tag) };
}
