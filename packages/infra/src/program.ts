/**
 * The composition root as a function: builds every subsystem from a parsed config, wires them and
 * returns the components (for tests) and the stack outputs (for index.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireBundle } from "./bundle.ts";
import { projectTags } from "./core/tags.ts";
import { Lake } from "./components/lake.ts";
import { Table } from "./components/table.ts";
import { Scorer } from "./components/scorer.ts";
import { Ingest } from "./components/ingest.ts";
import { Collector } from "./components/collector.ts";
import { Dashboard } from "./components/dashboard.ts";
import { Alarms } from "./components/alarms.ts";
import type { InfraConfig } from "./config.ts";

export const BUILD_BUNDLES = "npm run build -w @defi-sentiment/scorer -w @defi-sentiment/collector";

export interface InfraStack {
  lake: Lake;
  table: Table;
  scorer: Scorer;
  firehosePermission: aws.lambda.Permission;
  ingest: Ingest;
  collector: Collector;
  dashboard: Dashboard | undefined;
  alarms: Alarms;
  outputs: {
    bucketName: pulumi.Output<string>;
    streamName: pulumi.Output<string>;
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

  const identity = aws.getCallerIdentityOutput();
  const accountId = identity.accountId;
  const region = aws.getRegionOutput().region;
  const partition = aws.getPartitionOutput().partition;

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
  const ingest = new Ingest(`${p}-posts`, {
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
  });
  const firehosePermission = scorer.allowFirehose(ingest.stream.arn, accountId);
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
    functionName: scorer.function.name,
    tags,
  });

  return {
    lake,
    table,
    scorer,
    firehosePermission,
    ingest,
    collector,
    dashboard,
    alarms,
    outputs: {
      bucketName: lake.bucket.bucket,
      streamName: ingest.stream.name,
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
