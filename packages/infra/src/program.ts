/**
 * The composition root as a function: builds every subsystem from a parsed config, wires them and
 * returns the components (for tests) and the stack outputs (for index.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireBundle } from "./bundle.ts";
import { projectTags } from "./core/tags.ts";
import { Lake } from "./components/lake.ts";
import { TABLE_PREFIX, Table } from "./components/table.ts";
import { Scorer } from "./components/scorer.ts";
import { Ingest, glueCatalogArn } from "./components/ingest.ts";
import { Collector } from "./components/collector.ts";
import { Dashboard } from "./components/dashboard.ts";
import { Alarms } from "./components/alarms.ts";
import { lifecycleMetricNamespace } from "./core/lifecycle-metric.ts";
import type { InfraConfig } from "./config.ts";

export const BUILD_BUNDLES = "npm run build -w @defi-sentiment/scorer -w @defi-sentiment/collector";
export const BUILD_LIFECYCLE_BUNDLE = "npm run build:lifecycle -w @defi-sentiment/infra";

export interface InfraStack {
  lake: Lake;
  table: Table;
  scorer: Scorer;
  firehosePermission: aws.lambda.Permission;
  ingest: Ingest;
  /** The second stream the rescore job replays `raw/` into (same processor and table). */
  rescore: Ingest;
  rescorePermission: aws.lambda.Permission;
  collector: Collector;
  dashboard: Dashboard | undefined;
  alarms: Alarms;
  outputs: {
    bucketName: pulumi.Output<string>;
    streamName: pulumi.Output<string>;
    rescoreStreamName: pulumi.Output<string>;
    databaseName: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    workgroupName: pulumi.Output<string>;
    dashboardUrl: pulumi.Output<string | undefined>;
    tokenParameterName: pulumi.Output<string>;
    collectorInstanceId: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
  };
}

export function createInfra(cfg: InfraConfig, bearerToken: pulumi.Output<string>): InfraStack {
  const p = cfg.namePrefix;
  const tags = projectTags(pulumi.getProject(), pulumi.getStack());
  const scorerBundle = requireBundle("scorer", cfg.scorer.bundleDir, ["index.mjs", "index.js"], BUILD_BUNDLES);
  const collectorBundle = requireBundle("collector", cfg.collector.bundleDir, [cfg.collector.entry], BUILD_BUNDLES);
  const lifecycleBundle = requireBundle("lifecycle", cfg.collector.lifecycleBundleDir, ["compliance.mjs"], BUILD_LIFECYCLE_BUNDLE);

  const identity = aws.getCallerIdentityOutput();
  const accountId = identity.accountId;
  const region = aws.getRegionOutput().region;
  const partition = aws.getPartitionOutput().partition;

  // One namespace for the compliance heartbeat: the role's PutMetricData scope, the wrapper, the alarm.
  const metricNamespace = lifecycleMetricNamespace(p);

  const lake = new Lake(`${p}-lake`, { lake: cfg.lake, tags, accountId, partition });
  const table = new Table(`${p}-table`, {
    databaseName: p.replace(/-/g, "_"),
    bucketName: lake.bucket.bucket,
    keyArn: lake.key.arn,
    athena: cfg.athena,
    tags,
  });
  const scorer = new Scorer(`${p}-scorer`, {
    scorer: cfg.scorer,
    bundleDir: scorerBundle,
    logRetentionDays: cfg.logRetentionDays,
    databaseName: table.database.name,
    tableName: table.table.name,
    tags,
  });
  const streamArgs = {
    firehose: cfg.firehose,
    logRetentionDays: cfg.logRetentionDays,
    region,
    accountId,
    partition,
    bucketArn: lake.bucket.arn,
    keyArn: lake.key.arn,
    databaseName: table.database.name,
    databaseArn: table.database.arn,
    tableName: table.table.name,
    tableArn: table.table.arn,
    functionArn: scorer.function.arn,
    lakeFormationGrants: cfg.lakeFormationGrants,
    tags,
  };
  const ingest = new Ingest(`${p}-posts`, streamArgs);
  // Replaying raw/ into the main stream would back every record up into raw/ a second time.
  const rescore = new Ingest(`${p}-rescore`, { ...streamArgs, s3BackupMode: "FailedDataOnly" });
  const firehosePermission = scorer.allowFirehose(ingest.stream.arn, accountId);
  const rescorePermission = scorer.allowFirehose(rescore.stream.arn, accountId, "rescore");
  const collector = new Collector(`${p}-collector`, {
    collector: cfg.collector,
    bundleDir: collectorBundle,
    namePrefix: p,
    region,
    bucketName: lake.bucket.bucket,
    bucketArn: lake.bucket.arn,
    keyArn: lake.key.arn,
    streamName: ingest.stream.name,
    streamArn: ingest.stream.arn,
    bearerToken,
    lifecycle: {
      bundleDir: lifecycleBundle,
      databaseName: table.database.name,
      tableName: table.table.name,
      workgroupName: table.workgroup.name,
      workgroupArn: table.workgroup.arn,
      glueCatalogArn: pulumi.all([partition, region, accountId]).apply(([pt, r, a]) => glueCatalogArn(pt, r, a)),
      glueDatabaseArn: table.database.arn,
      glueTableArn: table.table.arn,
      tablePrefix: TABLE_PREFIX,
      rescoreStreamName: rescore.stream.name,
      rescoreStreamArn: rescore.stream.arn,
      metricNamespace,
    },
    lakeFormationGrants: cfg.lakeFormationGrants,
    tags,
  });
  const dashboard = cfg.dashboard.enabled
    ? new Dashboard(`${p}-dashboard`, {
        principals: cfg.dashboard.principals,
        namePrefix: p,
        region,
        accountId,
        partition,
        databaseName: table.database.name,
        databaseArn: table.database.arn,
        workgroupName: table.workgroup.name,
        workgroupArn: table.workgroup.arn,
        bucketArn: lake.bucket.arn,
        keyArn: lake.key.arn,
        lakeFormationGrants: cfg.lakeFormationGrants,
        tags,
      })
    : undefined;
  const alarms = new Alarms(`${p}-alarms`, {
    alarms: cfg.alarms,
    keyArn: lake.key.arn,
    streamName: ingest.stream.name,
    rescoreStreamName: rescore.stream.name,
    functionName: scorer.function.name,
    lifecycleMetricNamespace: metricNamespace,
    tags,
  });

  return {
    lake,
    table,
    scorer,
    firehosePermission,
    ingest,
    rescore,
    rescorePermission,
    collector,
    dashboard,
    alarms,
    outputs: {
      bucketName: lake.bucket.bucket,
      streamName: ingest.stream.name,
      rescoreStreamName: rescore.stream.name,
      databaseName: table.database.name,
      tableName: table.table.name,
      workgroupName: table.workgroup.name,
      dashboardUrl: dashboard ? dashboard.url : pulumi.output(undefined),
      tokenParameterName: collector.tokenParameter.name,
      collectorInstanceId: collector.instance.id,
      alarmTopicArn: alarms.topic.arn,
    },
  };
}
