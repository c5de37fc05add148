/**
 * Every IAM, bucket and key policy in the stack, as plain functions of resolved ARNs. Each grants
 * only the actions its principal uses, on the resources it touches; tests walk the documents.
 */
import { FIREHOSE_PREFIXES, LAKE_PREFIXES } from "@defi-sentiment/shared";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** Prefix (e.g. `raw/`) up to its first Firehose expression, as an object ARN glob. */
const objects = (bucketArn: string, prefix: string) => `${bucketArn}/${prefix.split("!{")[0]}*`;

/** Where the collector bundle lives in the lake bucket (not lake data: never expired, never read by Athena). */
export const ARTIFACTS_PREFIX = "artifacts/";
/** Athena query results (contain post text, so they live under the same key and lifecycle). */
export const ATHENA_RESULTS_PREFIX = "athena-results/";

export function assumeRolePolicy(service: string, sourceAccount?: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
  });
}

export interface FirehoseGrants {
  region: string;
  bucketArn: string;
  glueCatalogArn: string;
  glueDatabaseArn: string;
  glueTableArn: string;
  functionArn: string;
  keyArn: string;
  logStreamArn: string;
}

/** What Firehose needs to write Iceberg via Glue, back up raw records, call the scorer and log. */
export function firehoseRolePolicy(g: FirehoseGrants): PolicyDocument {
  return doc(
    {
      Sid: "IcebergCatalog",
      Effect: "Allow",
      Action: ["glue:GetTable", "glue:GetDatabase", "glue:UpdateTable"],
      Resource: [g.glueCatalogArn, g.glueDatabaseArn, g.glueTableArn],
    },
    { Sid: "LakeBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: g.bucketArn },
    {
      Sid: "LakeObjects",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: [
        objects(g.bucketArn, LAKE_PREFIXES.table),
        objects(g.bucketArn, FIREHOSE_PREFIXES.raw),
        objects(g.bucketArn, FIREHOSE_PREFIXES.errors),
      ],
    },
    {
      Sid: "LakeKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: g.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${g.region}.amazonaws.com` } },
    },
    { Sid: "Scorer", Effect: "Allow", Action: ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"], Resource: [g.functionArn, `${g.functionArn}:*`] },
    { Sid: "DeliveryLogs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: g.logStreamArn },
  );
}

export interface CollectorGrants {
  streamArn: string;
  parameterArn: string;
  keyArn: string;
  bucketArn: string;
  region: string;
}

/** The collector may put records to its stream, read its token, write health records and fetch its bundle. */
export function collectorRolePolicy(g: CollectorGrants): PolicyDocument {
  return doc(
    { Sid: "PutPosts", Effect: "Allow", Action: ["firehose:PutRecordBatch", "firehose:PutRecord"], Resource: g.streamArn },
    { Sid: "ReadToken", Effect: "Allow", Action: "ssm:GetParameter", Resource: g.parameterArn },
    {
      Sid: "DecryptToken",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: g.keyArn,
      Condition: { StringEquals: { "kms:ViaService": [`ssm.${g.region}.amazonaws.com`, `s3.${g.region}.amazonaws.com`] } },
    },
    {
      Sid: "WriteHealth",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: objects(g.bucketArn, LAKE_PREFIXES.health),
    },
    { Sid: "EncryptHealth", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: g.keyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${g.region}.amazonaws.com` } } },
    { Sid: "FetchBundle", Effect: "Allow", Action: "s3:GetObject", Resource: objects(g.bucketArn, ARTIFACTS_PREFIX) },
  );
}

export interface LifecycleGrants {
  region: string;
  bucketArn: string;
  keyArn: string;
  workgroupArn: string;
  glueCatalogArn: string;
  glueDatabaseArn: string;
  glueTableArn: string;
  /** The table's data and metadata prefix, e.g. `table/scored_posts/`. */
  tablePrefix: string;
  rescoreStreamArn: string;
  /** The compliance heartbeat's CloudWatch namespace (core/lifecycle-metric.ts). */
  metricNamespace: string;
}

/**
 * The lifecycle jobs on the collector host (packages/lake/docs/lifecycle.md), and the collector
 * applying stream deletion notices: Athena DELETE, OPTIMIZE and VACUUM on the Iceberg table in one
 * workgroup (Athena reads and writes the table's files with the caller's credentials, and VACUUM
 * silently keeps files it may not delete), raw and error rewrites, the deletion record (written,
 * and read back as tombstones; never deleted), query results, the rescore stream, and the
 * compliance check's success heartbeat (PutMetricData has no resource ARN: scoped by namespace).
 */
export function lifecycleRolePolicy(g: LifecycleGrants): PolicyDocument {
  const listable = [LAKE_PREFIXES.raw, LAKE_PREFIXES.errors, g.tablePrefix, ATHENA_RESULTS_PREFIX, LAKE_PREFIXES.compliance].map((p) => `${p}*`);
  return doc(
    {
      Sid: "AthenaWorkgroup",
      Effect: "Allow",
      Action: ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
      Resource: g.workgroupArn,
    },
    {
      Sid: "IcebergTable",
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"],
      Resource: [g.glueCatalogArn, g.glueDatabaseArn, g.glueTableArn],
    },
    {
      Sid: "ListLakePrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: g.bucketArn,
      Condition: { StringLike: { "s3:prefix": listable } },
    },
    { Sid: "BucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: g.bucketArn },
    {
      Sid: "RewriteRawErrorsAndTable",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: [objects(g.bucketArn, LAKE_PREFIXES.raw), objects(g.bucketArn, LAKE_PREFIXES.errors), objects(g.bucketArn, g.tablePrefix)],
    },
    {
      Sid: "QueryResults",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: objects(g.bucketArn, ATHENA_RESULTS_PREFIX),
    },
    // The collector reads the record back as tombstones (posts it must not deliver again); never deletes it.
    { Sid: "DeletionRecord", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: objects(g.bucketArn, LAKE_PREFIXES.compliance) },
    {
      Sid: "LakeKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: g.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${g.region}.amazonaws.com` } },
    },
    { Sid: "RescoreStream", Effect: "Allow", Action: "firehose:PutRecordBatch", Resource: g.rescoreStreamArn },
    {
      Sid: "ComplianceHeartbeat",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": g.metricNamespace } },
    },
  );
}

/** The scorer Lambda only writes its own logs. */
export function scorerRolePolicy(logGroupArn: string): PolicyDocument {
  return doc({ Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` });
}

export interface QuickSightGrants {
  region: string;
  workgroupArn: string;
  bucketArn: string;
  keyArn: string;
  glueCatalogArn: string;
  glueDatabaseArn: string;
  /** The database's tables and views: `arn:…:table/<db>/*`. */
  glueTablesArn: string;
}

/** QuickSight's Athena data source role: run queries in one workgroup, read the catalog, table and results. */
export function quicksightRolePolicy(g: QuickSightGrants): PolicyDocument {
  return doc(
    {
      Sid: "Athena",
      Effect: "Allow",
      Action: ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup"],
      Resource: g.workgroupArn,
    },
    {
      Sid: "Catalog",
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"],
      Resource: [g.glueCatalogArn, g.glueDatabaseArn, g.glueTablesArn],
    },
    { Sid: "LakeBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: g.bucketArn },
    { Sid: "ReadTable", Effect: "Allow", Action: "s3:GetObject", Resource: objects(g.bucketArn, LAKE_PREFIXES.table) },
    {
      Sid: "Results",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: objects(g.bucketArn, ATHENA_RESULTS_PREFIX),
    },
    {
      Sid: "LakeKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: g.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${g.region}.amazonaws.com` } },
    },
  );
}

const denyInsecureTransport = (bucketArn: string): Statement => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [bucketArn, `${bucketArn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/** Lake bucket: nothing over plain HTTP. */
export function lakeBucketPolicy(bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn));
}

/** Access-log bucket: TLS only, and S3's log delivery may write only the lake's logs. */
export function logBucketPolicy(logBucketArn: string, sourceBucketArn: string, accountId: string, logPrefix: string): PolicyDocument {
  return doc(denyInsecureTransport(logBucketArn), {
    Sid: "S3ServerAccessLogs",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${logBucketArn}/${logPrefix}*`,
    Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn }, StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/** Key administration actions for the account (listed, not `kms:*`, so no statement is a wildcard). */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/**
 * The CMK's key policy. The account root administers it and lets IAM policies grant use (so each
 * role's own policy decides); CloudWatch may use it to publish alarms to the encrypted topic.
 * In a key policy `Resource: "*"` means "this key".
 */
export function keyPolicy(partition: string, accountId: string): PolicyDocument {
  const root = `arn:${partition}:iam::${accountId}:root`;
  return doc(
    { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: root }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
    {
      Sid: "IamPoliciesGrantUse",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"],
      Resource: "*",
    },
    {
      Sid: "CloudWatchAlarmsToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  );
}

/**
 * Actions that support no resource ARN (IAM accepts only `Resource: "*"` for them), each with the
 * condition key that scopes it instead. A statement of only such actions may use `*` when it pins
 * every one of those keys to exact values with `StringEquals`.
 */
export const RESOURCELESS_ACTIONS: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "cloudwatch:namespace",
};

function scopedByCondition(s: Statement, actions: string[]): boolean {
  const exact = s.Condition?.["StringEquals"];
  return actions.every((a) => {
    const key = RESOURCELESS_ACTIONS[a];
    const values = key === undefined || exact === undefined ? [] : ([] as string[]).concat(exact[key] ?? []);
    return values.length > 0 && values.every((v) => v !== "" && !/[*?]/.test(v));
  });
}

/**
 * Allow statements whose action is `*` or `service:*`, or whose resource is `*` (outside a key
 * policy, and unless every action is resourceless and scoped by its condition key).
 */
export function wildcardFindings(d: PolicyDocument, where: string, isKeyPolicy = false): string[] {
  const out: string[] = [];
  d.Statement.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const actions = ([] as string[]).concat(s.Action);
    const resources = s.Resource === undefined ? [] : ([] as string[]).concat(s.Resource);
    for (const a of actions) if (a === "*" || a.endsWith(":*")) out.push(`${where} statement ${i}: wildcard action ${a}`);
    if (!isKeyPolicy && resources.includes("*") && !scopedByCondition(s, actions)) out.push(`${where} statement ${i}: Resource "*" for ${actions.join(", ")}`);
  });
  return out;
}
