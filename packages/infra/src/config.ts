/**
 * Stack configuration, read once into a typed object. Every difference between stacks is data in
 * `Pulumi.<stack>.yaml`; the program never branches on the stack name.
 *
 * @example
 * const cfg = loadInfraConfig();           // inside a Pulumi program
 * cfg.firehose.bufferingIntervalSeconds;   // 60 on dev, 300 on prod
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";

export const CONFIG_NAMESPACE = "defi-sentiment";

/** A config value is missing, malformed or outside its allowed range. Names the full key. */
export class InfraConfigError extends Error {
  override readonly name = "InfraConfigError";
  constructor(
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`config ${CONFIG_NAMESPACE}:${key}: ${message}`, options);
  }
}

export interface InfraConfig {
  /** Short prefix for physical names; default `defi-sentiment`. */
  namePrefix: string;
  firehose: {
    /** Seconds Firehose buffers before delivering to Iceberg (0–900); default 300. */
    bufferingIntervalSeconds: number;
    /** MiB Firehose buffers before delivering to Iceberg (1–128); default 64. */
    bufferingSizeMb: number;
    /** Seconds Firehose keeps retrying the Iceberg destination (0–7200); default 3600. */
    retryDurationSeconds: number;
  };
  lake: {
    /** Days raw posts (Firehose source backup) are kept; default 30. */
    rawRetentionDays: number;
    /** Days error records are kept; default 14. */
    errorRetentionDays: number;
    /** Days collector health records are kept; default 14. */
    healthRetentionDays: number;
    /** Days Athena query results are kept; default 7. */
    athenaResultsRetentionDays: number;
    /** Days a deleted/overwritten object version survives (X deletion requests: ≤ 1); default 1. */
    noncurrentVersionExpirationDays: number;
    /** Days S3 access logs are kept; default 90. */
    accessLogRetentionDays: number;
  };
  /** Days CloudWatch log groups keep their events; default 14. */
  logRetentionDays: number;
  /** Grant Lake Formation permissions to the Firehose and QuickSight roles (accounts where LF governs the catalog); default false. */
  lakeFormationGrants: boolean;
  athena: {
    /** Bytes one query may scan before Athena cancels it (≥ 10 MB); default 1 GiB. */
    bytesScannedCutoffPerQuery: number;
  };
  scorer: {
    /** Reserved concurrent executions of the scorer Lambda; default 5. */
    reservedConcurrency: number;
    /** Lambda memory, MiB; default 512. */
    memoryMb: number;
    /** Lambda timeout, seconds (Firehose allows at most 300); default 120. */
    timeoutSeconds: number;
    /** Folder holding the scorer's esbuild bundle (`index.mjs`/`index.js`); default the scorer's `dist/lambda`. */
    bundleDir: string;
  };
  collector: {
    /** EC2 instance type (arm64); default `t4g.nano`. */
    instanceType: string;
    /** Root (spool) volume size, GiB; default 8. */
    rootVolumeGb: number;
    /** Folder holding the collector's esbuild bundle; default the collector's `dist/collector`. */
    bundleDir: string;
    /** File inside the bundle that starts the collector; default `index.mjs` (the collector's esbuild output). */
    entry: string;
    /** Arguments after the entry; default `run` (filtered stream with rule sync and gap fill). */
    command: string;
    /** Single operator address allowed in (a /32), or undefined for no ingress at all. */
    operatorCidr: string | undefined;
    /** TCP port opened to `operatorCidr`; default 22 (EC2 Instance Connect). */
    operatorPort: number;
    /** Folder holding the lifecycle jobs' bundle (`compliance.mjs`, `rescore.mjs`); default infra's `dist/lifecycle`. */
    lifecycleBundleDir: string;
  };
  dashboard: {
    /** Create QuickSight data source, data sets, analysis and dashboard; default false. */
    enabled: boolean;
    /** QuickSight user/group ARNs given owner rights on the assets; required when enabled. */
    principals: string[];
  };
  alarms: {
    /** Optional e-mail subscribed to the alarm topic. */
    email: string | undefined;
    /** ThrottledRecords sum per 5 minutes that raises the alarm; default 1. */
    throttledRecordsThreshold: number;
    /** Seconds of DataFreshness that raises the alarm; default 900. */
    dataFreshnessSeconds: number;
    /** Lambda Errors sum per 5 minutes that raises the alarm; default 1. */
    lambdaErrorsThreshold: number;
    /** Minutes without any IncomingRecords before the heartbeat alarm fires; default 15. */
    heartbeatMinutes: number;
  };
}

/** Where raw values come from: `pulumi.Config` in a program, a plain map in tests. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DEFAULT_SCORER_BUNDLE_DIR = path.join(repoRoot, "packages/scorer/dist/lambda");
export const DEFAULT_COLLECTOR_BUNDLE_DIR = path.join(repoRoot, "packages/collector/dist/collector");
export const DEFAULT_LIFECYCLE_BUNDLE_DIR = path.join(repoRoot, "packages/infra/dist/lifecycle");

/** Parses and validates every key; the first problem throws an `InfraConfigError` naming it. */
export function parseInfraConfig(src: ConfigSource): InfraConfig {
  const str = (key: string, def: string) => src.get(key) ?? def;
  const int = (key: string, def: number, min: number, max: number) => {
    const raw = src.get(key);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new InfraConfigError(key, `expected an integer, got ${JSON.stringify(raw)}`);
    if (n < min || n > max) throw new InfraConfigError(key, `must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  const bool = (key: string, def: boolean) => {
    const raw = src.get(key);
    if (raw === undefined) return def;
    if (raw === "true") return true;
    if (raw === "false") return false;
    throw new InfraConfigError(key, `expected true or false, got ${JSON.stringify(raw)}`);
  };
  const dir = (key: string, def: string) => path.resolve(repoRoot, str(key, def));

  const namePrefix = str("namePrefix", "defi-sentiment");
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(namePrefix)) {
    throw new InfraConfigError("namePrefix", `must be 2–31 lowercase letters, digits or '-', got ${JSON.stringify(namePrefix)}`);
  }

  const enabled = bool("quicksightEnabled", false);
  const principals = stringList(src, "quicksightPrincipals");
  if (enabled && principals.length === 0) {
    throw new InfraConfigError("quicksightPrincipals", "must list at least one QuickSight user or group ARN when quicksightEnabled is true");
  }
  for (const [i, p] of principals.entries()) {
    if (!/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/.+/.test(p)) {
      throw new InfraConfigError("quicksightPrincipals", `entry ${i} is not a QuickSight user or group ARN: ${JSON.stringify(p)}`);
    }
  }

  const operatorCidr = src.get("operatorCidr");
  if (operatorCidr !== undefined) checkOperatorCidr(operatorCidr);

  return {
    namePrefix,
    firehose: {
      bufferingIntervalSeconds: int("firehoseBufferingIntervalSeconds", 300, 0, 900),
      bufferingSizeMb: int("firehoseBufferingSizeMb", 64, 1, 128),
      retryDurationSeconds: int("firehoseRetryDurationSeconds", 3600, 0, 7200),
    },
    lake: {
      rawRetentionDays: int("rawRetentionDays", 30, 1, 3650),
      errorRetentionDays: int("errorRetentionDays", 14, 1, 3650),
      healthRetentionDays: int("healthRetentionDays", 14, 1, 3650),
      athenaResultsRetentionDays: int("athenaResultsRetentionDays", 7, 1, 365),
      noncurrentVersionExpirationDays: int("noncurrentVersionExpirationDays", 1, 1, 1),
      accessLogRetentionDays: int("accessLogRetentionDays", 90, 1, 3650),
    },
    logRetentionDays: int("logRetentionDays", 14, 1, 3653),
    lakeFormationGrants: bool("lakeFormationGrants", false),
    athena: {
      bytesScannedCutoffPerQuery: int("athenaBytesScannedCutoffPerQuery", 1024 ** 3, 10 * 1024 ** 2, Number.MAX_SAFE_INTEGER),
    },
    scorer: {
      reservedConcurrency: int("scorerReservedConcurrency", 5, 1, 1000),
      memoryMb: int("scorerMemoryMb", 512, 128, 10240),
      timeoutSeconds: int("scorerTimeoutSeconds", 120, 1, 300),
      bundleDir: dir("scorerBundleDir", DEFAULT_SCORER_BUNDLE_DIR),
    },
    collector: {
      instanceType: str("collectorInstanceType", "t4g.nano"),
      rootVolumeGb: int("collectorRootVolumeGb", 8, 8, 1024),
      bundleDir: dir("collectorBundleDir", DEFAULT_COLLECTOR_BUNDLE_DIR),
      entry: str("collectorEntry", "index.mjs"),
      command: str("collectorCommand", "run"),
      operatorCidr,
      operatorPort: int("operatorPort", 22, 1, 65535),
      lifecycleBundleDir: dir("lifecycleBundleDir", DEFAULT_LIFECYCLE_BUNDLE_DIR),
    },
    dashboard: { enabled, principals },
    alarms: {
      email: src.get("alarmEmail"),
      throttledRecordsThreshold: int("alarmThrottledRecords", 1, 1, 1_000_000),
      dataFreshnessSeconds: int("alarmDataFreshnessSeconds", 900, 60, 86_400),
      lambdaErrorsThreshold: int("alarmLambdaErrors", 1, 1, 1_000_000),
      heartbeatMinutes: int("alarmHeartbeatMinutes", 15, 5, 1440),
    },
  };
}

/** Only a single IPv4 or IPv6 host may ever be let in; anything wider is refused. */
export function checkOperatorCidr(cidr: string): void {
  const key = "operatorCidr";
  if (cidr === "0.0.0.0/0" || cidr === "::/0") {
    throw new InfraConfigError(key, `${cidr} would open the collector to the whole internet; give one operator address as a /32`);
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/32$/.exec(cidr);
  if (!v4 || v4.slice(1).some((o) => Number(o) > 255)) {
    throw new InfraConfigError(key, `must be a single IPv4 address as a /32 (e.g. 203.0.113.7/32), got ${JSON.stringify(cidr)}`);
  }
}

function stringList(src: ConfigSource, key: string): string[] {
  const raw = src.get(key);
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new InfraConfigError(key, "expected a YAML/JSON list of strings", { cause });
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "string")) {
    throw new InfraConfigError(key, `expected a list of strings, got ${raw}`);
  }
  return parsed as string[];
}

/** Reads the stack's config through `pulumi.Config`. */
export function loadInfraConfig(): InfraConfig {
  const c = new pulumi.Config(CONFIG_NAMESPACE);
  return parseInfraConfig({ get: (k) => c.get(k) });
}

/** The X bearer token, only ever as a secret Output. */
export function requireBearerToken(): pulumi.Output<string> {
  return new pulumi.Config(CONFIG_NAMESPACE).requireSecret("xBearerToken");
}
