import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { buildStack, TEST_TOKEN } from "./build-stack.ts";
import { ACCOUNT, REGION, ofType, one, parsePolicy, promiseOf, recorded } from "./pulumi-harness.ts";
import { wildcardFindings, type Statement } from "../src/core/policy-documents.ts";
import type { InfraStack } from "../src/program.ts";
import type { InfraConfig } from "../src/config.ts";

let infra: InfraStack;
let cfg: InfraConfig;
const P = "defi-sentiment-dev";

beforeAll(async () => {
  ({ infra, cfg } = await buildStack("dev"));
});

const statements = (json: unknown): Statement[] => parsePolicy(json).Statement;
const list = (v: string | string[] | undefined) => (v === undefined ? [] : ([] as string[]).concat(v));

describe("lake buckets", () => {
  it("blocks every kind of public access on both buckets", () => {
    const blocks = ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    expect(blocks.map((b) => b.name).sort()).toEqual([`${P}-lake-bucket-public-access`, `${P}-lake-logs-public-access`]);
    for (const b of blocks) {
      expect(b.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    for (const o of ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls")) {
      expect(o.inputs.rule.objectOwnership).toBe("BucketOwnerEnforced");
    }
  });

  it("encrypts the lake with the customer-managed key and a bucket key", async () => {
    const sse = one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "lake-bucket-sse");
    const keyArn = await promiseOf(infra.lake.key.arn);
    expect(sse.inputs.bucket).toBe(`${P}-lake-bucket-id`);
    expect(sse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }]);
  });

  it("refuses plain-HTTP access to both buckets", () => {
    for (const name of ["lake-bucket-policy", "lake-logs-policy"]) {
      const policy = one("aws:s3/bucketPolicy:BucketPolicy", name);
      const deny = statements(policy.inputs.policy).find((s) => s.Effect === "Deny");
      expect(deny, name).toBeDefined();
      expect(deny!.Principal).toBe("*");
      expect(deny!.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
      const resources = list(deny!.Resource);
      expect(resources).toHaveLength(2);
      expect(resources[1]).toBe(`${resources[0]}/*`);
    }
  });

  it("keeps versions for a day at most after deletion and never locks objects", () => {
    const lc = one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lake-bucket-lifecycle");
    const nonCurrent = lc.inputs.rules.find((r: any) => r.noncurrentVersionExpiration);
    expect(nonCurrent.noncurrentVersionExpiration.noncurrentDays).toBe(1);
    expect(ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).toHaveLength(0);
    expect(one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration.status).toBe("Enabled");
    const raw = lc.inputs.rules.find((r: any) => r.filter?.prefix === "raw/");
    expect(raw.expiration.days).toBe(cfg.lake.rawRetentionDays);
  });

  it("makes no Lake Formation grants unless the stack asks for them", () => {
    expect(cfg.lakeFormationGrants).toBe(false);
    expect(ofType("aws:lakeformation/permissions:Permissions")).toHaveLength(0);
  });

  it("logs lake access to the separate log bucket", () => {
    const logging = one("aws:s3/bucketLogging:BucketLogging");
    expect(logging.inputs.bucket).toBe(`${P}-lake-bucket-id`);
    expect(logging.inputs.targetBucket).toBe(`${P}-lake-logs-id`);
  });
});

describe("IAM", () => {
  const documents = () => [
    ...ofType("aws:iam/rolePolicy:RolePolicy").map((r) => ({ where: r.name, doc: parsePolicy(r.inputs.policy), key: false })),
    ...ofType("aws:iam/role:Role").map((r) => ({ where: r.name, doc: parsePolicy(r.inputs.assumeRolePolicy), key: false })),
    ...ofType("aws:s3/bucketPolicy:BucketPolicy").map((r) => ({ where: r.name, doc: parsePolicy(r.inputs.policy), key: false })),
    ...ofType("aws:kms/key:Key").map((r) => ({ where: r.name, doc: parsePolicy(r.inputs.policy), key: true })),
  ];

  it("has no Allow statement with a wildcard action or an unscoped resource", () => {
    const docs = documents();
    expect(docs).toHaveLength(12); // 4 roles, 5 role policies, 2 bucket policies, 1 key policy
    expect(docs.flatMap((d) => wildcardFindings(d.doc, d.where, d.key))).toEqual([]);
  });

  it("limits the Firehose role to its bucket prefixes, table, function, key and log stream", async () => {
    const doc = parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "posts-role-policy").inputs.policy);
    const bucketArn = await promiseOf(infra.lake.bucket.arn);
    const fnArn = await promiseOf(infra.scorer.function.arn);
    const resources = new Set(doc.Statement.flatMap((s) => list(s.Resource)));
    expect([...resources].sort()).toEqual(
      [
        `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:database/defi_sentiment_dev`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:table/defi_sentiment_dev/scored_posts`,
        bucketArn,
        `${bucketArn}/table/*`,
        `${bucketArn}/raw/dt=*`,
        `${bucketArn}/errors/*`,
        await promiseOf(infra.lake.key.arn),
        fnArn,
        `${fnArn}:*`,
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/kinesisfirehose/${P}-posts:log-stream:DestinationDelivery`,
      ].sort(),
    );
  });

  it("lets the collector only put to its stream, read its token, write health records and fetch its bundle", async () => {
    const doc = parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "collector-role-policy").inputs.policy);
    const bucketArn = await promiseOf(infra.lake.bucket.arn);
    const byAction = new Map<string, string[]>();
    for (const s of doc.Statement) for (const a of list(s.Action)) byAction.set(a, [...(byAction.get(a) ?? []), ...list(s.Resource)]);
    expect([...byAction.keys()].sort()).toEqual(
      ["firehose:PutRecord", "firehose:PutRecordBatch", "kms:Decrypt", "kms:GenerateDataKey", "s3:GetObject", "s3:PutObject", "ssm:GetParameter"].sort(),
    );
    const streamArn = await promiseOf(infra.ingest.stream.arn);
    expect(byAction.get("firehose:PutRecordBatch")).toEqual([streamArn]);
    expect(byAction.get("firehose:PutRecord")).toEqual([streamArn]);
    expect(byAction.get("ssm:GetParameter")).toEqual([await promiseOf(infra.collector.tokenParameter.arn)]);
    expect(byAction.get("s3:PutObject")).toEqual([`${bucketArn}/health/*`]);
    expect(byAction.get("s3:GetObject")).toEqual([`${bucketArn}/artifacts/*`]);
    const attachments = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
  });

  it("lets the scorer write only its own logs", () => {
    const doc = parsePolicy(one("aws:iam/rolePolicy:RolePolicy", "scorer-role-policy").inputs.policy);
    expect(doc.Statement).toEqual([
      expect.objectContaining({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${P}-scorer:*` }),
    ]);
  });
});

describe("collector host", () => {
  const host = () => one("aws:ec2/instance:Instance").inputs;

  it("requires IMDSv2 tokens", () => {
    expect(host().metadataOptions).toMatchObject({ httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 });
  });

  it("has no SSH key pair", () => {
    expect(host().keyName).toBeUndefined();
    expect(ofType("aws:ec2/keyPair:KeyPair")).toHaveLength(0);
  });

  it("allows no inbound traffic when no operatorCidr is configured", () => {
    const sg = one("aws:ec2/securityGroup:SecurityGroup").inputs;
    expect(sg.ingress ?? []).toEqual([]);
    expect(ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toHaveLength(0);
    expect(ofType("aws:ec2/securityGroupRule:SecurityGroupRule")).toHaveLength(0);
    expect(sg.egress.map((e: any) => [e.protocol, e.fromPort, e.toPort])).toEqual([["tcp", 443, 443]]);
  });

  it("encrypts the spool (root) volume with the lake key", async () => {
    expect(host().rootBlockDevice).toMatchObject({ encrypted: true, kmsKeyId: await promiseOf(infra.lake.key.arn), volumeSize: cfg.collector.rootVolumeGb });
  });

  it("boots Amazon Linux 2023 arm64 on an arm64 instance type", () => {
    expect(host().ami).toBe("ami-0al2023arm64");
    expect(host().instanceType).toMatch(/^t4g\./);
  });
});

describe("the X bearer token", () => {
  it("appears in no resource input except the SSM SecureString", () => {
    const holders = recorded.filter((r) => JSON.stringify(r.inputs).includes(TEST_TOKEN));
    expect(holders.map((h) => h.type)).toEqual(["aws:ssm/parameter:Parameter"]);
    const param = holders[0]!.inputs;
    expect(param.type).toBe("SecureString");
    expect(param.keyId).toMatch(/^arn:aws:kms:/);
  });

  it("is not in the user data or the Lambda environment, which carry only the parameter name", () => {
    const userData = one("aws:ec2/instance:Instance").inputs.userData as string;
    expect(userData).not.toContain(TEST_TOKEN);
    expect(userData).toContain(`X_BEARER_TOKEN_PARAMETER=/${P}/x-bearer-token`);
    const env = one("aws:lambda/function:Function").inputs.environment.variables;
    expect(JSON.stringify(env)).not.toContain(TEST_TOKEN);
  });

  it("is a secret in Pulumi state", async () => {
    expect(await pulumi.isSecret(infra.collector.tokenParameter.value)).toBe(true);
    expect(await pulumi.isSecret(infra.collector.tokenParameter.name)).toBe(false);
  });
});

describe("scorer, Athena and keys", () => {
  it("lets only this delivery stream invoke the scorer", async () => {
    const perm = one("aws:lambda/permission:Permission", "allow-firehose").inputs;
    expect(perm).toMatchObject({ action: "lambda:InvokeFunction", principal: "firehose.amazonaws.com", sourceAccount: ACCOUNT, function: `${P}-scorer` });
    expect(perm.sourceArn).toBe(await promiseOf(infra.ingest.stream.arn));
  });

  it("enforces the Athena workgroup's settings, encrypts results with the key and caps bytes scanned", async () => {
    const wg = one("aws:athena/workgroup:Workgroup").inputs.configuration;
    expect(wg.enforceWorkgroupConfiguration).toBe(true);
    expect(wg.bytesScannedCutoffPerQuery).toBe(cfg.athena.bytesScannedCutoffPerQuery);
    expect(wg.resultConfiguration.encryptionConfiguration).toEqual({ encryptionOption: "SSE_KMS", kmsKeyArn: await promiseOf(infra.lake.key.arn) });
    expect(wg.resultConfiguration.outputLocation).toBe(`s3://${await promiseOf(infra.lake.bucket.bucket)}/athena-results/`);
  });

  it("rotates the customer-managed key", () => {
    const keys = ofType("aws:kms/key:Key");
    expect(keys).toHaveLength(1);
    expect(keys[0]!.inputs.enableKeyRotation).toBe(true);
  });

  it("encrypts the stream and the alarm topic with the key", async () => {
    const keyArn = await promiseOf(infra.lake.key.arn);
    const streams = ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
    expect(streams.map((s) => s.inputs.name).sort()).toEqual([`${P}-posts`, `${P}-rescore`]);
    for (const s of streams) expect(s.inputs.serverSideEncryption, s.name).toEqual({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn });
    expect(one("aws:sns/topic:Topic").inputs.kmsMasterKeyId).toBe(keyArn);
  });
});
