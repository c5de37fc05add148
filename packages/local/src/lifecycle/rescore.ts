/**
 * `npm run rescore -- --lake <dir>`: replays the raw lake through the current scorer and
 * upserts, so every row carries the current scorer version without re-reading X. Shows
 * progress, resumes after Ctrl-C (run it again), and is idempotent.
 */
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { LOCAL_WAREHOUSE_FILE, SCORED_TABLE_NAME } from "@defi-sentiment/shared";
import { Warehouse, type Transform } from "@defi-sentiment/lake";
import { SCORER_VERSION, transformRecords } from "@defi-sentiment/scorer";
import { createFirehoseSink } from "@defi-sentiment/collector";
import { S3Client } from "@aws-sdk/client-s3";
import { replayRawFromS3, rescoreLake, type RescoreResult } from "./lifecycle-deps.ts";
import { LifecycleConfigError, lakeDirOf } from "./lifecycle-config-error.ts";

export const RESCORE_HELP = `Usage: npm run rescore -- [--lake <dir>]
       npm run rescore -- --aws --bucket <lake bucket> --stream <rescore delivery stream>

Re-scores every post in the raw lake with the current scorer (${SCORER_VERSION}) and upserts the
rows. Stop the pipeline (npm start) first: the warehouse has one writer. Ctrl-C stops after the
current file; running the command again resumes where it stopped.

  --lake <dir>       lake folder  [env LAKE_DIR, default ./lake]
  --aws              replay the bucket's raw/ objects into a Firehose stream instead (the
                     deployed scorer Lambda scores them; see packages/lake/docs/lifecycle.md)
  --bucket <name>    lake bucket  [env LAKE_BUCKET]
  --key-prefix <p>   lake prefix inside the bucket  [default none]
  --stream <name>    rescore delivery stream (S3 backup FailedDataOnly)  [env RESCORE_STREAM]
  -h, --help         this help

AWS mode uses the default credential chain and AWS_REGION.
`;

export interface RescoreCommandOptions {
  lakeDir: string;
  /** The transformation; defaults to the scorer's (what the Lambda runs). */
  transform?: Transform;
  /** Run name for the checkpoint; defaults to the current scorer version. */
  runId?: string;
  out?: { write(s: string): unknown; isTTY?: boolean };
  signal?: AbortSignal;
  onFile?: (filesDone: number) => void;
}

export interface RescoreCommandResult extends RescoreResult {
  versionsBefore: Record<string, number>;
  versionsAfter: Record<string, number>;
}

async function versions(wh: Warehouse): Promise<Record<string, number>> {
  const rows = await wh.query<{ v: string; n: number }>(`SELECT scorer_version AS v, count(*) AS n FROM ${SCORED_TABLE_NAME} GROUP BY 1 ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.v, r.n]));
}

export async function rescoreCommand(o: RescoreCommandOptions): Promise<RescoreCommandResult> {
  const dbFile = path.join(o.lakeDir, LOCAL_WAREHOUSE_FILE);
  if (!existsSync(dbFile)) throw new LifecycleConfigError(`--lake ${o.lakeDir}: no ${LOCAL_WAREHOUSE_FILE} there (is it a lake folder?)`);
  const out = o.out ?? process.stdout;
  const tty = Boolean(out.isTTY);
  mkdirSync(path.join(o.lakeDir, "logs"), { recursive: true });
  const scorerLog = path.join(o.lakeDir, "logs", "rescore-scorer.ndjson");
  const transform: Transform = o.transform ?? ((event) => transformRecords(event, { log: (line) => appendFileSync(scorerLog, JSON.stringify(line) + "\n") }));
  const wh = await Warehouse.open(dbFile);
  try {
    const versionsBefore = await versions(wh);
    let last = 0;
    const result = await rescoreLake({
      lakeDir: o.lakeDir,
      warehouse: wh,
      transform,
      runId: o.runId ?? SCORER_VERSION,
      ...(o.signal ? { signal: o.signal } : {}),
      onProgress: (p) => {
        o.onFile?.(p.filesDone);
        const now = Date.now();
        if (now - last < (tty ? 200 : 2000) && p.filesDone < p.filesTotal) return;
        last = now;
        const line = `rescore: files ${p.filesDone}/${p.filesTotal} (${p.filesSkipped} done earlier) · records ${p.records.toLocaleString("en-US")} · rows ${p.rows.toLocaleString("en-US")} · failed ${p.failed}`;
        out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      },
    });
    if (tty) out.write("\n");
    const versionsAfter = await versions(wh);
    return { ...result, versionsBefore, versionsAfter };
  } finally {
    wh.close();
  }
}

export function formatRescoreSummary(r: RescoreCommandResult): string {
  const fmt = (v: Record<string, number>) => Object.entries(v).map(([k, n]) => `${k}: ${n.toLocaleString("en-US")}`).join(", ") || "(empty)";
  const lines = [
    r.status === "complete" ? "rescore complete" : "rescore interrupted: run the same command again to resume",
    `rows rescored: ${r.rows.toLocaleString("en-US")} from ${r.records.toLocaleString("en-US")} raw records in ${r.filesProcessed} files (${r.filesSkipped} done by an earlier run)`,
    `versions before: ${fmt(r.versionsBefore)}`,
    `versions after:  ${fmt(r.versionsAfter)}`,
  ];
  if (r.failed > 0) {
    lines.push(`failed: ${r.failed} records kept their old rows; first: ${r.failures.slice(0, 3).map((f) => `${f.object}:${f.line} ${f.reason}`).join("; ")}`);
  }
  return lines.join("\n") + "\n";
}

/** AWS mode: raw objects of the lake bucket → the rescore delivery stream. */
async function rescoreAws(values: { bucket?: string; stream?: string; "key-prefix"?: string }, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const bucket = values.bucket ?? env.LAKE_BUCKET;
  const stream = values.stream ?? env.RESCORE_STREAM;
  if (!bucket) throw new LifecycleConfigError("--aws needs --bucket or LAKE_BUCKET (the lake bucket)");
  if (!stream) throw new LifecycleConfigError("--aws needs --stream or RESCORE_STREAM (the rescore delivery stream)");
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) throw new LifecycleConfigError("--aws needs AWS_REGION");
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION!;
  const r = await replayRawFromS3({
    s3: new S3Client({ region }),
    bucket,
    ...(values["key-prefix"] ? { keyPrefix: values["key-prefix"] } : {}),
    sink: createFirehoseSink({ deliveryStreamName: stream, region }),
    runId: `${SCORER_VERSION}:${bucket}:${stream}`,
    checkpointFile: path.join(".rescore", `aws-${bucket}-${stream}.json`),
    signal,
    onProgress: (p) => process.stdout.write(`rescore (aws): objects ${p.objectsDone}/${p.objectsTotal} · records ${p.records.toLocaleString("en-US")} · refused ${p.failed}\n`),
  });
  process.stdout.write(`${r.status === "complete" ? "replay complete" : "replay interrupted: run again to resume"}: ${r.records.toLocaleString("en-US")} records from ${r.objectsProcessed} objects (${r.objectsSkipped} done earlier), ${r.failed} refused\n`);
  for (const f of r.failures.slice(0, 5)) process.stdout.write(`  refused: s3://${bucket}/${f.key}:${f.line} ${f.error}\n`);
  return r.status === "complete" && r.failed === 0 ? 0 : r.status === "complete" ? 1 : 130;
}

export async function rescoreMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { lake?: string; help?: boolean; aws?: boolean; bucket?: string; stream?: string; "key-prefix"?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { lake: { type: "string" }, help: { type: "boolean", short: "h" }, aws: { type: "boolean" }, bucket: { type: "string" }, stream: { type: "string" }, "key-prefix": { type: "string" } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${RESCORE_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(RESCORE_HELP);
    return 0;
  }
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once("SIGINT", onSigint);
  try {
    if (values.aws) return await rescoreAws(values, env, stop.signal);
    const r = await rescoreCommand({ lakeDir: lakeDirOf(values.lake, env), signal: stop.signal });
    process.stdout.write(formatRescoreSummary(r));
    return r.status === "complete" ? 0 : 130;
  } catch (err) {
    process.stderr.write(`rescore: ${(err as Error).message}\n`);
    return err instanceof LifecycleConfigError ? 2 : 1;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

if (process.argv[1]?.endsWith(path.join("lifecycle", "rescore.ts"))) {
  process.exitCode = await rescoreMain(process.argv.slice(2));
}
