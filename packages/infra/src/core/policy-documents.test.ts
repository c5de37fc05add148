import { describe, expect, it } from "vitest";
import { collectorRolePolicy, firehoseRolePolicy, keyPolicy, lifecycleRolePolicy, wildcardFindings, type PolicyDocument } from "./policy-documents.ts";

const doc = (...Statement: PolicyDocument["Statement"]): PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("wildcard check", () => {
  it("flags `*` and `service:*` actions and Resource `*` in Allow statements", () => {
    expect(wildcardFindings(doc({ Effect: "Allow", Action: "*", Resource: "arn:x" }), "p")).toEqual(["p statement 0: wildcard action *"]);
    expect(wildcardFindings(doc({ Effect: "Allow", Action: ["s3:GetObject", "kms:*"], Resource: "*" }), "p")).toEqual([
      "p statement 0: wildcard action kms:*",
      'p statement 0: Resource "*" for s3:GetObject, kms:*',
    ]);
  });

  it("ignores Deny statements and a key policy's Resource `*` (which means the key itself)", () => {
    expect(wildcardFindings(doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }), "p")).toEqual([]);
    expect(wildcardFindings(keyPolicy("aws", "123456789012"), "key", true)).toEqual([]);
    expect(wildcardFindings(keyPolicy("aws", "123456789012"), "key", false).length).toBeGreaterThan(0);
  });
});

describe("wildcard check for actions without resource ARNs", () => {
  const put = (extra: object) => doc({ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", ...extra });

  it("accepts Resource `*` for PutMetricData only when StringEquals pins cloudwatch:namespace", () => {
    expect(wildcardFindings(put({ Condition: { StringEquals: { "cloudwatch:namespace": "p/lifecycle" } } }), "p")).toEqual([]);
    expect(wildcardFindings(put({ Condition: { StringEquals: { "cloudwatch:namespace": ["a/lifecycle", "b/lifecycle"] } } }), "p")).toEqual([]);
  });

  it("flags it unscoped, scoped by a pattern or another key, or beside an action that has resource ARNs", () => {
    const flagged = ['p statement 0: Resource "*" for cloudwatch:PutMetricData'];
    expect(wildcardFindings(put({}), "p")).toEqual(flagged);
    expect(wildcardFindings(put({ Condition: { StringLike: { "cloudwatch:namespace": "p/*" } } }), "p")).toEqual(flagged);
    expect(wildcardFindings(put({ Condition: { StringEquals: { "cloudwatch:namespace": "*" } } }), "p")).toEqual(flagged);
    expect(wildcardFindings(put({ Condition: { StringEquals: { "aws:SourceAccount": "1" } } }), "p")).toEqual(flagged);
    expect(
      wildcardFindings(doc({ Effect: "Allow", Action: ["cloudwatch:PutMetricData", "s3:GetObject"], Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "p/lifecycle" } } }), "p"),
    ).toEqual(['p statement 0: Resource "*" for cloudwatch:PutMetricData, s3:GetObject']);
  });
});

describe("role policies", () => {
  it("scope the Firehose key use to S3 in the stack's region", () => {
    const d = firehoseRolePolicy({
      region: "eu-west-1",
      bucketArn: "arn:aws:s3:::b",
      glueCatalogArn: "c",
      glueDatabaseArn: "d",
      glueTableArn: "t",
      functionArn: "f",
      keyArn: "k",
      logStreamArn: "l",
    });
    expect(d.Statement.find((s) => s.Sid === "LakeKey")!.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
  });

  it("let the collector decrypt only through SSM and S3", () => {
    const d = collectorRolePolicy({ streamArn: "s", parameterArn: "p", keyArn: "k", bucketArn: "arn:aws:s3:::b", region: "eu-west-1" });
    expect(d.Statement.find((s) => s.Sid === "DecryptToken")!.Condition).toEqual({
      StringEquals: { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"] },
    });
  });

  it("let the lifecycle jobs publish metrics only into the heartbeat namespace", () => {
    const d = lifecycleRolePolicy({
      region: "eu-west-1",
      bucketArn: "arn:aws:s3:::b",
      keyArn: "k",
      workgroupArn: "w",
      glueCatalogArn: "c",
      glueDatabaseArn: "d",
      glueTableArn: "t",
      tablePrefix: "table/scored_posts/",
      rescoreStreamArn: "r",
      metricNamespace: "defi-sentiment-dev/lifecycle",
    });
    expect(d.Statement.filter((s) => ([] as string[]).concat(s.Action).some((a) => a.startsWith("cloudwatch:")))).toEqual([
      {
        Sid: "ComplianceHeartbeat",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "defi-sentiment-dev/lifecycle" } },
      },
    ]);
    expect(wildcardFindings(d, "lifecycle")).toEqual([]);
  });
});
