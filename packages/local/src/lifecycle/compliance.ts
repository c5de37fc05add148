/**
 * `npm run compliance -- --lake <dir> --since 7d`: asks X (batch compliance jobs) which of the
 * posts we hold from the window were deleted or made private, removes them from the table,
 * the raw objects and the error records, and appends the proof to
 * `compliance/dt=…/deletions.ndjson` (ids and counts, never content). Run it at least daily:
 * X's policy gives 24 hours from learning of a deletion.
 *
 * Needs X_BEARER_TOKEN; X_API_BASE (or the collector's X_API_BASE_URL) points it at another
 * server (tests). `npm start` runs the same check every 24 h while it collects live
 * (compliance-schedule.ts), over its own open warehouse.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { LOCAL_WAREHOUSE_FILE } from "@defi-sentiment/shared";
import { Warehouse } from "@defi-sentiment/lake";
import {
  awsLakeLifecycle,
  deletionLogPath,
  fileDeletionLog,
  heldPostIds,
  httpComplianceClient,
  localDeletionTarget,
  parseDuration,
  runComplianceCheck,
  windowSince,
  type ComplianceCheckSummary,
  type DeletionTarget,
} from "./lifecycle-deps.ts";
import { LifecycleConfigError, lakeDirOf } from "./lifecycle-config-error.ts";

export const COMPLIANCE_HELP = `Usage: npm run compliance -- [--lake <dir>] [--since 7d]
       npm run compliance -- --aws --bucket <b> --database <db> --workgroup <wg> [--since 7d]

Checks the posts held from the last --since (by creation time) against X's batch compliance
jobs and deletes those X reports deleted, protected, suspended or deactivated, everywhere in the
lake. Stop the pipeline (npm start) first: the warehouse has one writer.

  --lake <dir>    lake folder  [env LAKE_DIR, default ./lake]
  --since <d>     window to check, e.g. 7d, 36h  [default 7d]
  --aws           check the AWS lake instead: ids from Athena, deletes from the Iceberg table
                  (Athena DELETE + OPTIMIZE + VACUUM) and the bucket's raw/ and errors/ objects,
                  record under s3://<bucket>/compliance/
  --bucket, --database, --workgroup, --key-prefix
                  the AWS lake  [env LAKE_BUCKET, ATHENA_DATABASE, ATHENA_WORKGROUP]
  -h, --help      this help

Environment: X_BEARER_TOKEN (required), X_API_BASE or X_API_BASE_URL (default https://api.x.com),
AWS_REGION (--aws)
`;

export interface ComplianceCommandOptions {
  lakeDir: string;
  since: string;
  env: NodeJS.ProcessEnv;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  out?: { write(s: string): unknown };
  /** An open warehouse to use (npm start's); by default the lake's file is opened and closed. */
  warehouse?: Warehouse;
  /** Where to delete (default: `localDeletionTarget` over the lake and the warehouse). */
  targets?: DeletionTarget[];
}

/** The compliance API base: X_API_BASE, else the collector's X_API_BASE_URL, else X's. */
const complianceBaseOf = (env: NodeJS.ProcessEnv) => {
  const base = env.X_API_BASE ?? env.X_API_BASE_URL;
  return base ? { baseUrl: base } : {};
};

export async function complianceCommand(o: ComplianceCommandOptions): Promise<ComplianceCheckSummary & { logFile: string }> {
  const bearerToken = o.env.X_BEARER_TOKEN?.trim();
  if (!bearerToken) throw new LifecycleConfigError("X_BEARER_TOKEN is not set: the compliance check needs the app's bearer token (App-only auth)");
  const sinceMs = parseDuration(o.since, "--since");
  const dbFile = path.join(o.lakeDir, LOCAL_WAREHOUSE_FILE);
  if (!o.warehouse && !existsSync(dbFile)) throw new LifecycleConfigError(`--lake ${o.lakeDir}: no ${LOCAL_WAREHOUSE_FILE} there (is it a lake folder?)`);
  const clock = o.clock ?? (() => new Date());
  const out = o.out ?? process.stdout;
  const window = windowSince(clock(), sinceMs);
  const wh = o.warehouse ?? (await Warehouse.open(dbFile));
  try {
    const ids = await heldPostIds({ warehouse: wh, lakeDir: o.lakeDir, window });
    out.write(`compliance: ${ids.length.toLocaleString("en-US")} posts held from ${window.start} to ${window.end}\n`);
    const summary = await runComplianceCheck({
      client: httpComplianceClient({ bearerToken, ...complianceBaseOf(o.env) }),
      idsToCheck: ids,
      window,
      targets: o.targets ?? [localDeletionTarget({ lakeDir: o.lakeDir, warehouse: wh, name: "local lake" })],
      log: fileDeletionLog(o.lakeDir),
      clock,
      ...(o.sleep ? { sleep: o.sleep } : {}),
      onProgress: (e) => out.write(`compliance: job ${e.job ?? "-"} ${e.step}${e.status ? ` (${e.status})` : ""}${e.ids !== undefined ? ` ${e.ids} ids` : ""}\n`),
    });
    return { ...summary, logFile: path.join(o.lakeDir, deletionLogPath(clock())) };
  } finally {
    if (!o.warehouse) wh.close();
  }
}

/** `--aws`: the same check over the AWS lake (see packages/lake/docs/lifecycle.md). */
export async function complianceAwsCommand(o: {
  since: string;
  env: NodeJS.ProcessEnv;
  bucket?: string;
  database?: string;
  workGroup?: string;
  keyPrefix?: string;
  out?: { write(s: string): unknown };
}): Promise<ComplianceCheckSummary & { logFile: string }> {
  const bearerToken = o.env.X_BEARER_TOKEN?.trim();
  if (!bearerToken) throw new LifecycleConfigError("X_BEARER_TOKEN is not set: the compliance check needs the app's bearer token (App-only auth)");
  const need = (v: string | undefined, what: string) => {
    if (!v) throw new LifecycleConfigError(`--aws needs ${what}`);
    return v;
  };
  const region = need(o.env.AWS_REGION ?? o.env.AWS_DEFAULT_REGION, "AWS_REGION");
  const lake = awsLakeLifecycle({
    region,
    bucket: need(o.bucket ?? o.env.LAKE_BUCKET, "--bucket or LAKE_BUCKET"),
    database: need(o.database ?? o.env.ATHENA_DATABASE, "--database or ATHENA_DATABASE"),
    workGroup: need(o.workGroup ?? o.env.ATHENA_WORKGROUP, "--workgroup or ATHENA_WORKGROUP"),
    ...(o.keyPrefix ? { keyPrefix: o.keyPrefix } : {}),
  });
  const out = o.out ?? process.stdout;
  const window = windowSince(new Date(), parseDuration(o.since, "--since"));
  const ids = await lake.heldPostIds(window);
  out.write(`compliance (aws): ${ids.length.toLocaleString("en-US")} posts held from ${window.start} to ${window.end}\n`);
  const summary = await runComplianceCheck({
    client: httpComplianceClient({ bearerToken, ...complianceBaseOf(o.env) }),
    idsToCheck: ids,
    window,
    targets: lake.targets,
    log: lake.log,
    onProgress: (e) => out.write(`compliance: job ${e.job ?? "-"} ${e.step}${e.status ? ` (${e.status})` : ""}${e.ids !== undefined ? ` ${e.ids} ids` : ""}\n`),
  });
  return { ...summary, logFile: lake.recordPrefix };
}

export function formatComplianceSummary(s: ComplianceCheckSummary & { logFile: string }): string {
  const reasons = Object.entries(s.reasons).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  const targets = s.targets.map((t) => `${t.name}: ${t.removedRows} rows, ${t.removedRawRecords} raw/error records`).join("; ") || "nothing to delete";
  return [
    `checked ${s.checked} posts in ${s.jobs.length} job(s); X reported: ${reasons}`,
    `deleted ${s.deletedIds.length} posts — ${targets}`,
    s.resultErrors ? `warning: ${s.resultErrors} unreadable result lines (see the job's results)` : "",
    `record: ${s.logFile}`,
  ].filter(Boolean).join("\n") + "\n";
}

export async function complianceMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { lake?: string; since?: string; help?: boolean; aws?: boolean; bucket?: string; database?: string; workgroup?: string; "key-prefix"?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        lake: { type: "string" }, since: { type: "string" }, help: { type: "boolean", short: "h" },
        aws: { type: "boolean" }, bucket: { type: "string" }, database: { type: "string" }, workgroup: { type: "string" }, "key-prefix": { type: "string" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${COMPLIANCE_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(COMPLIANCE_HELP);
    return 0;
  }
  try {
    const since = values.since ?? "7d";
    const s = values.aws
      ? await complianceAwsCommand({ since, env, bucket: values.bucket, database: values.database, workGroup: values.workgroup, keyPrefix: values["key-prefix"] })
      : await complianceCommand({ lakeDir: lakeDirOf(values.lake, env), since, env });
    process.stdout.write(formatComplianceSummary(s));
    return 0;
  } catch (err) {
    process.stderr.write(`compliance: ${(err as Error).message}\n`);
    return err instanceof LifecycleConfigError || err instanceof RangeError ? 2 : 1;
  }
}

if (process.argv[1]?.endsWith(path.join("lifecycle", "compliance.ts"))) {
  process.exitCode = await complianceMain(process.argv.slice(2));
}
