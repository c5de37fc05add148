/**
 * The infrastructure the lifecycle jobs need (packages/lake/docs/lifecycle.md): the rescore stream,
 * the jobs' IAM on the collector host, the daily compliance timer and the VACUUM snapshot age.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FIREHOSE_PREFIXES } from "@defi-sentiment/shared";
import { buildStack, TEST_TOKEN } from "./build-stack.ts";
import { ACCOUNT, REGION, ofType, one, parsePolicy, promiseOf } from "./pulumi-harness.ts";
import type { Statement } from "../src/core/policy-documents.ts";
import type { InfraStack } from "../src/program.ts";
import { complianceAlarmSpec, evaluationWindowProblem } from "../src/components/alarms.ts";

let infra: InfraStack;
const P = "defi-sentiment-dev";
const STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";

beforeAll(async () => {
  ({ infra } = await buildStack("dev"));
});

const list = (v: string | string[] | undefined) => (v === undefined ? [] : ([] as string[]).concat(v));
/** action → every resource some Allow statement grants it on. */
function grants(statements: Statement[]): Map<string, string[]> {
  const byAction = new Map<string, string[]>();
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    for (const a of list(s.Action)) byAction.set(a, [...(byAction.get(a) ?? []), ...list(s.Resource)].sort());
  }
  return byAction;
}

describe("rescore delivery stream", () => {
  const rescore = () => one(STREAM, "rescore-stream").inputs;
  const main = () => one(STREAM, "posts-stream").inputs;

  it("scores through the same Lambda into the same Iceberg table, upserting on id", async () => {
    const ice = rescore().icebergConfiguration;
    expect(rescore().name).toBe(`${P}-rescore`);
    expect(rescore().destination).toBe("iceberg");
    expect(ice.catalogArn).toBe(`arn:aws:glue:${REGION}:${ACCOUNT}:catalog`);
    expect(ice.processingConfiguration).toEqual({
      enabled: true,
      processors: [{ type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: `${await promiseOf(infra.scorer.function.arn)}:$LATEST` }] }],
    });
    expect(ice.destinationTableConfigurations).toEqual([
      { databaseName: "defi_sentiment_dev", tableName: "scored_posts", uniqueKeys: ["id"], s3ErrorOutputPrefix: FIREHOSE_PREFIXES.errors },
    ]);
    expect(ice.processingConfiguration).toEqual(main().icebergConfiguration.processingConfiguration);
    expect(ice.destinationTableConfigurations).toEqual(main().icebergConfiguration.destinationTableConfigurations);
  });

  it("backs up failures only (its input is raw/ already), and is encrypted with the lake key", async () => {
    expect(rescore().icebergConfiguration.s3BackupMode).toBe("FailedDataOnly");
    expect(main().icebergConfiguration.s3BackupMode).toBe("AllData");
    expect(rescore().serverSideEncryption).toEqual({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: await promiseOf(infra.lake.key.arn) });
    expect(rescore().icebergConfiguration.cloudwatchLoggingOptions).toEqual({ enabled: true, logGroupName: `/aws/kinesisfirehose/${P}-rescore`, logStreamName: "DestinationDelivery" });
  });

  it("has its own role, scoped like the main stream's but to its own log stream", async () => {
    const roleArn = await promiseOf(infra.rescore.role.arn);
    expect(roleArn).not.toBe(await promiseOf(infra.ingest.role.arn));
    expect(rescore().icebergConfiguration.roleArn).toBe(roleArn);
    expect(rescore().icebergConfiguration.s3Configuration.roleArn).toBe(roleArn);
    const doc = grants(parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "rescore-role-policy").inputs.policy).Statement);
    const mainDoc = grants(parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "posts-role-policy").inputs.policy).Statement);
    expect([...doc.keys()].sort()).toEqual([...mainDoc.keys()].sort());
    expect(doc.get("logs:PutLogEvents")).toEqual([`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/kinesisfirehose/${P}-rescore:log-stream:DestinationDelivery`]);
    expect(doc.get("glue:UpdateTable")).toEqual(mainDoc.get("glue:UpdateTable"));
  });

  it("may invoke the scorer, by its own sourceArn", async () => {
    const perm = one("aws:lambda/permission:Permission", "allow-rescore").inputs;
    expect(perm).toMatchObject({ action: "lambda:InvokeFunction", principal: "firehose.amazonaws.com", sourceAccount: ACCOUNT });
    expect(perm.sourceArn).toBe(await promiseOf(infra.rescore.stream.arn));
  });

  it("has the main stream's delivery alarms on the same topic, but no heartbeat (it is idle between replays)", () => {
    const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    const on = (stream: string) => alarms.filter((a) => a.dimensions?.DeliveryStreamName === stream);
    expect(on(`${P}-rescore`).map((a) => a.metricName).sort()).toEqual(["DeliveryToIceberg.DataFreshness", "DeliveryToIceberg.Success", "ThrottledRecords"]);
    for (const a of on(`${P}-rescore`)) {
      const twin = on(`${P}-posts`).find((m) => m.metricName === a.metricName)!;
      expect({ ...a, dimensions: undefined, alarmDescription: undefined }).toEqual({ ...twin, dimensions: undefined, alarmDescription: undefined });
    }
  });
});

describe("lifecycle jobs' IAM (collector host)", () => {
  const policy = () => parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "collector-lifecycle-policy").inputs.policy);

  it("is attached to the collector's instance role", async () => {
    expect(one("aws:iam/rolePolicy:RolePolicy", "collector-lifecycle-policy").inputs.role).toBe(await promiseOf(infra.collector.role.id));
  });

  it("grants exactly the lifecycle actions, each on its own resources only", async () => {
    const bucket = await promiseOf(infra.lake.bucket.arn);
    const key = await promiseOf(infra.lake.key.arn);
    const wg = await promiseOf(infra.table.workgroup.arn);
    const glue = [
      `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`,
      `arn:aws:glue:${REGION}:${ACCOUNT}:database/defi_sentiment_dev`,
      `arn:aws:glue:${REGION}:${ACCOUNT}:table/defi_sentiment_dev/scored_posts`,
    ].sort();
    const rw = [`${bucket}/errors/*`, `${bucket}/raw/*`, `${bucket}/table/scored_posts/*`];
    const results = `${bucket}/athena-results/*`;
    expect(Object.fromEntries(grants(policy().Statement))).toEqual({
      "athena:StartQueryExecution": [wg],
      "athena:GetQueryExecution": [wg],
      "athena:GetQueryResults": [wg],
      "glue:GetDatabase": glue,
      "glue:GetTable": glue,
      "glue:UpdateTable": glue,
      "s3:ListBucket": [bucket],
      "s3:GetBucketLocation": [bucket],
      "s3:GetObject": [`${bucket}/compliance/*`, results, ...rw].sort(),
      "s3:PutObject": [`${bucket}/compliance/*`, results, ...rw].sort(),
      "s3:AbortMultipartUpload": [results, ...rw].sort(),
      "s3:DeleteObject": rw,
      "kms:Decrypt": [key],
      "kms:GenerateDataKey": [key],
      "firehose:PutRecordBatch": [await promiseOf(infra.rescore.stream.arn)],
      // No resource ARN exists for it; scoped by namespace (next test).
      "cloudwatch:PutMetricData": ["*"],
    });

  });

  it("lists only the lake prefixes the jobs read, uses the key only through S3, and never deletes the deletion record", () => {
    const s = policy().Statement;
    expect(s.find((x) => list(x.Action).includes("s3:ListBucket"))!.Condition).toEqual({
      StringLike: { "s3:prefix": ["raw/*", "errors/*", "table/scored_posts/*", "athena-results/*", "compliance/*"] },
    });
    expect(s.find((x) => list(x.Action).includes("kms:Decrypt"))!.Condition).toEqual({ StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } });
    const compliance = s.filter((x) => list(x.Resource).some((r) => r.endsWith("/compliance/*")));
    expect(compliance.flatMap((x) => list(x.Action))).toEqual(["s3:GetObject", "s3:PutObject"]);
    for (const x of s.filter((x) => x.Sid !== "ComplianceHeartbeat")) for (const r of list(x.Resource)) expect(r, x.Sid).not.toMatch(/^\*$|:::[^/]+\/\*$/); // no whole-bucket object grant
  });

  it("may publish metrics only into this stack's lifecycle namespace, the one the wrapper and the alarm use", () => {
    const heartbeat = policy().Statement.filter((x) => list(x.Action).includes("cloudwatch:PutMetricData"));
    expect(heartbeat).toEqual([
      { Sid: "ComplianceHeartbeat", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": `${P}/lifecycle` } } },
    ]);
    expect(one("aws:ec2/instance:Instance").inputs.userData).toContain(`cloudwatch put-metric-data --namespace ${P}/lifecycle --metric-name ComplianceCheckSucceeded --value 1`);
    expect(one("aws:cloudwatch/metricAlarm:MetricAlarm", "compliance-heartbeat").inputs.namespace).toBe(`${P}/lifecycle`);
  });
});

describe("daily compliance check on the collector host", () => {
  const userData = () => one("aws:ec2/instance:Instance").inputs.userData as string;

  it("installs a daily, persistent systemd timer and enables it", () => {
    const ud = userData();
    expect(ud).toMatch(/cat > \/etc\/systemd\/system\/defi-sentiment-compliance\.timer <<'UNIT'\n\[Unit\][^]*\[Timer\]\nOnCalendar=\*-\*-\* 03:00:00 UTC\nPersistent=true\n/);
    expect(ud).toContain("Type=oneshot\n");
    expect(ud).toContain("systemctl enable --now defi-sentiment-compliance.timer\n");
  });

  it("runs the AWS check against this stack's bucket, database and workgroup for the last 7 days", async () => {
    const bucket = await promiseOf(infra.lake.bucket.bucket);
    expect(userData()).toContain(
      `\n/usr/bin/node-22 /opt/defi-sentiment-lifecycle/current/compliance.mjs --aws --bucket ${bucket} --database defi_sentiment_dev --workgroup defi-sentiment-dev --since 7d\n`,
    );
    expect(userData()).toContain(`s3 cp s3://${bucket}/artifacts/lifecycle/lifecycle.zip`);
    expect(userData()).toContain(`RESCORE_STREAM=${P}-rescore\n`);
  });

  it("reads the token from the collector's SecureString at run time, never from user data", async () => {
    const ud = userData();
    expect(ud).not.toContain(TEST_TOKEN);
    const parameter = await promiseOf(infra.collector.tokenParameter.name);
    expect(ud).toContain(`ssm get-parameter --with-decryption --name ${parameter} --query Parameter.Value --output text)"\nexport X_BEARER_TOKEN\n`);
    // The instance role can read exactly that parameter (collector policy).
    const collector = parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "collector-role-policy").inputs.policy);
    expect(grants(collector.Statement).get("ssm:GetParameter")).toEqual([await promiseOf(infra.collector.tokenParameter.arn)]);
  });

  it("uploads the lifecycle bundle encrypted with the lake key", async () => {
    const obj = one("aws:s3/bucketObjectv2:BucketObjectv2", "lifecycle-bundle").inputs;
    expect(obj).toMatchObject({ key: "artifacts/lifecycle/lifecycle.zip", serverSideEncryption: "aws:kms", kmsKeyId: await promiseOf(infra.lake.key.arn) });
  });
});

describe("compliance heartbeat alarm", () => {
  it("fires on the alarm topic when no successful check was recorded for 26 hours", async () => {
    const alarm = one("aws:cloudwatch/metricAlarm:MetricAlarm", "compliance-heartbeat").inputs;
    expect(alarm).toMatchObject({
      namespace: `${P}/lifecycle`,
      metricName: "ComplianceCheckSucceeded",
      statistic: "Sum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      period: 3600,
      evaluationPeriods: 26,
      datapointsToAlarm: 26,
      treatMissingData: "breaching",
    });
    // Published without dimensions (the namespace is per stack), so the alarm must have none either.
    expect(alarm.dimensions).toBeUndefined();
    const topic = await promiseOf(infra.alarms.topic.arn);
    expect(alarm.alarmActions).toEqual([topic]);
    expect(alarm.okActions).toEqual([topic]);
    expect(alarm.alarmDescription).toMatch(/compliance check has not succeeded for 26 hours/);
  });

  it("stays within CloudWatch's alarm window (period × evaluation periods: 7 days from 1-hour periods, else 1 day)", () => {
    const spec = complianceAlarmSpec(`${P}/lifecycle`);
    expect(evaluationWindowProblem(spec)).toBeUndefined(); // 93 600 s: over a day, allowed for hourly periods
    expect(evaluationWindowProblem({ ...spec, periodSeconds: 1800, evaluationPeriods: 52 })).toMatch(/93600 s exceeds CloudWatch's 86400 s/);
    expect(evaluationWindowProblem({ ...spec, evaluationPeriods: 169, datapointsToAlarm: 169 })).toMatch(/608400 s exceeds CloudWatch's 604800 s/);
    expect(evaluationWindowProblem({ ...spec, datapointsToAlarm: 27 })).toMatch(/datapointsToAlarm 27 is outside 1..26/);
  });

  it("makes no Lake Formation grants for the instance role when lakeFormationGrants is off", () => {
    expect(infra.collector.lakeFormationGrants).toEqual([]);
    expect(ofType("aws:lakeformation/permissions:Permissions")).toEqual([]);
  });
});

describe("Iceberg table", () => {
  it("expires VACUUMed snapshots after 12 h, so the next daily check removes deleted posts' files", () => {
    const props = one("aws:glue/catalogTable:CatalogTable", "scored-posts").inputs.openTableFormatInput.icebergInput.icebergTableInput.properties;
    expect(props).toEqual({ "write.format.default": "parquet", "write.parquet.compression-codec": "zstd", vacuum_max_snapshot_age_seconds: "43200" });
  });
});
