import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  FIREHOSE_PREFIXES,
  QUESTIONS,
  SCORED_POST_COLUMNS,
  glueType,
  viewDdl,
  type QuestionKey,
} from "@defi-sentiment/shared";
import { buildStack } from "./build-stack.ts";
import { ACCOUNT, REGION, TEST_BUNDLES, ofType, one, promiseOf, recorded, stackConfig } from "./pulumi-harness.ts";
import { decodePrestoView } from "../src/core/presto-view.ts";
import { VIEW_COLUMNS } from "../src/core/view-columns.ts";
import type { InfraStack } from "../src/program.ts";

let infra: InfraStack;
const P = "defi-sentiment-dev";

beforeAll(async () => {
  ({ infra } = await buildStack("dev"));
});

const stream = () => one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "posts-stream").inputs;
const table = () => one("aws:glue/catalogTable:CatalogTable", "scored-posts").inputs;

describe("Firehose delivery", () => {
  it("sends every batch through the scorer Lambda", async () => {
    const processors = stream().icebergConfiguration.processingConfiguration;
    expect(processors.enabled).toBe(true);
    expect(processors.processors).toEqual([
      { type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: `${await promiseOf(infra.scorer.function.arn)}:$LATEST` }] },
    ]);
  });

  it("delivers to the Glue Iceberg table, upserting on id", async () => {
    const ice = stream().icebergConfiguration;
    expect(stream().destination).toBe("iceberg");
    expect(ice.catalogArn).toBe(`arn:aws:glue:${REGION}:${ACCOUNT}:catalog`);
    expect(ice.destinationTableConfigurations).toEqual([
      { databaseName: "defi_sentiment_dev", tableName: "scored_posts", uniqueKeys: ["id"], s3ErrorOutputPrefix: FIREHOSE_PREFIXES.errors },
    ]);
    expect(ice.roleArn).toBe(await promiseOf(infra.ingest.role.arn));
  });

  it("backs up every raw record under the shared raw prefix, failures under the error prefix", async () => {
    const ice = stream().icebergConfiguration;
    expect(ice.s3BackupMode).toBe("AllData");
    expect(ice.s3Configuration).toMatchObject({
      bucketArn: await promiseOf(infra.lake.bucket.arn),
      prefix: FIREHOSE_PREFIXES.raw,
      errorOutputPrefix: FIREHOSE_PREFIXES.errors,
      kmsKeyArn: await promiseOf(infra.lake.key.arn),
      compressionFormat: "GZIP",
    });
  });

  it("buffers deliveries as the dev stack file says", () => {
    const cfg = stackConfig("dev");
    const ice = stream().icebergConfiguration;
    expect(ice.bufferingInterval).toBe(Number(cfg["defi-sentiment:firehoseBufferingIntervalSeconds"]));
    expect(ice.bufferingSize).toBe(Number(cfg["defi-sentiment:firehoseBufferingSizeMb"]));
    expect([ice.bufferingInterval, ice.bufferingSize]).toEqual([60, 16]);
  });

  it("logs delivery to its own log group and stream", () => {
    const logging = stream().icebergConfiguration.cloudwatchLoggingOptions;
    expect(logging).toEqual({ enabled: true, logGroupName: `/aws/kinesisfirehose/${P}-posts`, logStreamName: "DestinationDelivery" });
  });
});

describe("Iceberg table", () => {
  it("has exactly the shared scored-post columns, in order, with their Glue types", () => {
    expect(table().storageDescriptor.columns).toEqual(SCORED_POST_COLUMNS.map((c) => ({ name: c.name, type: glueType(c.type) })));
  });

  it("declares the same fields to Iceberg, with id as the identifier and dt as the partition", () => {
    const input = table().openTableFormatInput.icebergInput;
    expect(input.metadataOperation).toBe("CREATE");
    const fields = input.icebergTableInput.schema.fields;
    expect(fields.map((f: any) => f.name)).toEqual(SCORED_POST_COLUMNS.map((c) => c.name));
    const idField = fields.find((f: any) => f.name === "id");
    expect(input.icebergTableInput.schema.identifierFieldIds).toEqual([idField.id]);
    const dtField = fields.find((f: any) => f.name === "dt");
    expect(dtField.type).toBe("date");
    expect(input.icebergTableInput.partitionSpec.fields).toEqual([{ name: "dt", sourceId: dtField.id, transform: "identity", fieldId: 1000 }]);
    const hashtags = fields.find((f: any) => f.name === "hashtags");
    expect(JSON.parse(hashtags.type)).toMatchObject({ type: "list", element: "string" });
  });

  it("lives under the lake's table/scored_posts/ prefix as an external table", async () => {
    const bucket = await promiseOf(infra.lake.bucket.bucket);
    expect(table().tableType).toBe("EXTERNAL_TABLE");
    expect(table().storageDescriptor.location).toBe(`s3://${bucket}/table/scored_posts/`);
    expect(table().openTableFormatInput.icebergInput.icebergTableInput.location).toBe(`s3://${bucket}/table/scored_posts/`);
  });
});

describe("question views", () => {
  const keys = Object.keys(QUESTIONS) as QuestionKey[];

  it("creates one Athena view per shared question, with the shared SQL", () => {
    const views = ofType("aws:glue/catalogTable:CatalogTable").filter((t) => t.inputs.tableType === "VIRTUAL_VIEW");
    expect(views.map((v) => v.inputs.name).sort()).toEqual(keys.map((k) => QUESTIONS[k].name).sort());
    for (const k of keys) {
      const v = views.find((x) => x.inputs.name === QUESTIONS[k].name)!;
      const def = decodePrestoView(v.inputs.viewOriginalText);
      expect(def.originalSql).toBe(QUESTIONS[k].sql());
      expect(def.schema).toBe("defi_sentiment_dev");
      expect(def.columns.map((c) => c.name)).toEqual(VIEW_COLUMNS[k].map(([n]) => n));
      expect(v.inputs.parameters).toEqual({ presto_view: "true", comment: "Presto View" });
    }
  });

  it("saves each view's CREATE OR REPLACE VIEW exactly as shared viewDdl writes it", () => {
    const named = ofType("aws:athena/namedQuery:NamedQuery");
    expect(named).toHaveLength(keys.length);
    for (const k of keys) {
      const q = named.find((n) => n.inputs.name === `recreate view ${QUESTIONS[k].name}`)!;
      expect(q.inputs.query).toBe(viewDdl(QUESTIONS[k]));
      expect(q.inputs.workgroup).toBe("defi-sentiment-dev");
    }
  });
});

describe("scorer Lambda", () => {
  it("runs the bundle on nodejs22.x arm64 with the Iceberg database and table in its environment", async () => {
    const fn = one("aws:lambda/function:Function").inputs;
    expect(fn).toMatchObject({ runtime: "nodejs22.x", architectures: ["arm64"], handler: "index.handler", reservedConcurrentExecutions: 2 });
    expect(fn.environment.variables).toMatchObject({ ICEBERG_DATABASE: "defi_sentiment_dev", ICEBERG_TABLE: "scored_posts" });
    const archive = await promiseOf(infra.scorer.function.code as any);
    const inner = (await (archive as any).assets)["."];
    const dir = await inner.path;
    expect(dir).toBe(`${TEST_BUNDLES}/scorer`);
    expect(fs.existsSync(`${dir}/index.mjs`)).toBe(true);
    expect(fn.loggingConfig).toEqual({ logGroup: `/aws/lambda/${P}-scorer`, logFormat: "JSON" });
  });

  it("keeps its logs for the configured retention", () => {
    expect(one("aws:cloudwatch/logGroup:LogGroup", "scorer-logs").inputs.retentionInDays).toBe(7);
  });
});

describe("collector host", () => {
  it("uploads the collector bundle and starts it from user data with the stream, region, bucket and parameter", async () => {
    const obj = one("aws:s3/bucketObjectv2:BucketObjectv2", "collector-bundle").inputs;
    expect(obj.key).toBe("artifacts/collector/collector.zip");
    expect(obj.kmsKeyId).toBe(await promiseOf(infra.lake.key.arn));
    const source = await (infra.collector.bundle as any).source;
    const dir = await (await promiseOf(source as any) as any).path;
    expect(fs.existsSync(`${dir}/index.mjs`)).toBe(true);
    const userData = one("aws:ec2/instance:Instance").inputs.userData as string;
    const bucket = await promiseOf(infra.lake.bucket.bucket);
    expect(userData).toContain(`FIREHOSE_STREAM_NAME=${P}-posts`);
    expect(userData).toContain(`AWS_REGION=${REGION}`);
    expect(userData).toContain(`LAKE_BUCKET=${bucket}`);
    // The collector applies stream deletion notices to this stack's table (Glue database, Athena workgroup).
    const collectorEnv = userData.split("cat > /etc/defi-sentiment/collector.env <<'ENV'\n")[1]!.split("\nENV\n")[0]!.split("\n");
    expect(collectorEnv).toEqual(expect.arrayContaining([`LAKE_BUCKET=${bucket}`, `ATHENA_DATABASE=${await promiseOf(infra.table.database.name)}`, `ATHENA_WORKGROUP=${await promiseOf(infra.table.workgroup.name)}`]));
    expect(userData).toContain(`s3 cp s3://${bucket}/artifacts/collector/collector.zip`);
    expect(userData).toContain("dnf install -y nodejs22");
    expect(userData).toContain("Restart=always");
    expect(userData).toContain("ExecStart=/usr/bin/node-22 /opt/collector/current/index.mjs run");
    expect(userData).toContain("COLLECTOR_DATA_DIR=/var/spool/defi-sentiment");
    expect(userData).toContain("RestartPreventExitStatus=2 3");
  });
});

describe("alarms", () => {
  it("watches throttling, failed deliveries, freshness, scorer errors and the collector heartbeat", () => {
    const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    const metric = (m: string) => alarms.find((a) => a.metricName === m && a.dimensions?.DeliveryStreamName !== `${P}-rescore`);
    expect(metric("ThrottledRecords")).toMatchObject({ namespace: "AWS/Firehose", dimensions: { DeliveryStreamName: `${P}-posts` } });
    expect(metric("DeliveryToIceberg.Success")).toMatchObject({ comparisonOperator: "LessThanThreshold", threshold: 1 });
    expect(metric("BackupToS3.Success")).toMatchObject({ comparisonOperator: "LessThanThreshold", threshold: 1 });
    expect(metric("DeliveryToIceberg.DataFreshness")).toMatchObject({ threshold: 600 });
    expect(metric("Errors")).toMatchObject({ namespace: "AWS/Lambda", dimensions: { FunctionName: `${P}-scorer` }, threshold: 5 });
    expect(metric("IncomingRecords")).toMatchObject({ statistic: "Sum", comparisonOperator: "LessThanThreshold", threshold: 1, period: 60, evaluationPeriods: 30, treatMissingData: "breaching" });
    const topic = ofType("aws:sns/topic:Topic")[0]!;
    for (const a of alarms) expect(a.alarmActions).toEqual([`arn:aws:mock:${REGION}:${ACCOUNT}:aws:sns/topic:Topic/${topic.name}`]);
  });
});

describe("structure", () => {
  it("groups resources into one component per subsystem with project type tokens", () => {
    const components = recorded.filter((r) => r.type.startsWith("defi-sentiment:")).map((r) => `${r.type} ${r.name}`);
    expect(components.sort()).toEqual(
      [
        `defi-sentiment:alarms:Alarms ${P}-alarms`,
        `defi-sentiment:collector:Collector ${P}-collector`,
        `defi-sentiment:ingest:Ingest ${P}-posts`,
        `defi-sentiment:ingest:Ingest ${P}-rescore`,
        `defi-sentiment:lake:Lake ${P}-lake`,
        `defi-sentiment:scorer:Scorer ${P}-scorer`,
        `defi-sentiment:table:Table ${P}-table`,
      ].sort(),
    );
  });

  it("derives every child name from its component's name", () => {
    const children = recorded.filter((r) => !r.type.startsWith("defi-sentiment:"));
    for (const c of children) expect(c.name, c.type).toMatch(new RegExp(`^${P}-(lake|table|scorer|posts|rescore|collector|alarms)-`));
  });

  it("tags every taggable resource with the project and the stack", () => {
    const taggable = [
      "aws:s3/bucket:Bucket",
      "aws:kms/key:Key",
      "aws:iam/role:Role",
      "aws:lambda/function:Function",
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
      "aws:ec2/instance:Instance",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:sns/topic:Topic",
      "aws:glue/catalogDatabase:CatalogDatabase",
      "aws:athena/workgroup:Workgroup",
      "aws:ssm/parameter:Parameter",
      "aws:s3/bucketObjectv2:BucketObjectv2",
      "aws:iam/instanceProfile:InstanceProfile",
    ];
    const found = recorded.filter((r) => taggable.includes(r.type));
    expect(new Set(found.map((r) => r.type)).size).toBe(taggable.length);
    for (const r of found) expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({ project: "defi-sentiment", stack: "dev" });
  });
});
