import { describe, expect, it } from "vitest";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { violationsOf } from "../../test/policy-harness.ts";
import {
  athenaWorkgroupGuarded,
  ec2EncryptedVolumes,
  ec2Imdsv2,
  ec2NoKeyPair,
  firehoseEncrypted,
  iamNoWildcards,
  kmsRotation,
  lambdaPermissionSourceArn,
  noPlainSecrets,
  s3BlockAllPublicAccess,
  s3EncryptedWithKms,
  s3TlsOnly,
  sgRestrictedIngress,
  snsEncrypted,
  POLICIES,
} from "./policies.ts";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const instance = {
  ami: "ami-1",
  instanceType: "t4g.nano",
  metadataOptions: { httpTokens: "required" },
  rootBlockDevice: { encrypted: true, kmsKeyId: KEY },
  userData: "#!/bin/bash\nX_BEARER_TOKEN_PARAMETER=/p/x-bearer-token\n",
};

interface Case {
  policy: ResourceValidationPolicy;
  type: string;
  pass: Record<string, unknown>;
  fail: Record<string, unknown>;
  says: RegExp;
}

const cases: Case[] = [
  {
    policy: s3BlockAllPublicAccess,
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    pass: { bucket: "b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    fail: { bucket: "b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false },
    says: /restrictPublicBuckets must be true/,
  },
  {
    policy: s3EncryptedWithKms,
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    pass: { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true }] },
    fail: { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
    says: /without kmsMasterKeyId/,
  },
  {
    policy: s3TlsOnly,
    type: "aws:s3/bucketPolicy:BucketPolicy",
    pass: { bucket: "b", policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }) },
    fail: { bucket: "b", policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) },
    says: /aws:SecureTransport/,
  },
  {
    policy: iamNoWildcards,
    type: "aws:iam/rolePolicy:RolePolicy",
    pass: { role: "r", policy: doc({ Effect: "Allow", Action: "firehose:PutRecordBatch", Resource: "arn:aws:firehose:eu-west-1:1:deliverystream/s" }) },
    fail: { role: "r", policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) },
    says: /wildcard action s3:\*/,
  },
  {
    policy: ec2Imdsv2,
    type: "aws:ec2/instance:Instance",
    pass: instance,
    fail: { ...instance, metadataOptions: { httpTokens: "optional" } },
    says: /httpTokens must be "required"/,
  },
  {
    policy: ec2NoKeyPair,
    type: "aws:ec2/instance:Instance",
    pass: instance,
    fail: { ...instance, keyName: "ops" },
    says: /keyName ops is set/,
  },
  {
    policy: ec2EncryptedVolumes,
    type: "aws:ec2/instance:Instance",
    pass: instance,
    fail: { ...instance, rootBlockDevice: { volumeSize: 8 } },
    says: /rootBlockDevice.encrypted/,
  },
  {
    policy: sgRestrictedIngress,
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    pass: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.7/32" },
    fail: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" },
    says: /0\.0\.0\.0\/0 opens the host/,
  },
  {
    policy: sgRestrictedIngress,
    type: "aws:ec2/securityGroup:SecurityGroup",
    pass: { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] },
    fail: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }] },
    says: /::\/0 opens the host/,
  },
  {
    policy: lambdaPermissionSourceArn,
    type: "aws:lambda/permission:Permission",
    pass: { action: "lambda:InvokeFunction", function: "f", principal: "firehose.amazonaws.com", sourceArn: "arn:aws:firehose:eu-west-1:1:deliverystream/s" },
    fail: { action: "lambda:InvokeFunction", function: "f", principal: "firehose.amazonaws.com" },
    says: /no sourceArn/,
  },
  {
    policy: athenaWorkgroupGuarded,
    type: "aws:athena/workgroup:Workgroup",
    pass: {
      configuration: {
        enforceWorkgroupConfiguration: true,
        bytesScannedCutoffPerQuery: 104857600,
        resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY } },
      },
    },
    fail: { configuration: { enforceWorkgroupConfiguration: false, resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_S3" } } } },
    says: /enforceWorkgroupConfiguration/,
  },
  {
    policy: kmsRotation,
    type: "aws:kms/key:Key",
    pass: { enableKeyRotation: true },
    fail: { enableKeyRotation: false },
    says: /enableKeyRotation must be true/,
  },
  {
    policy: firehoseEncrypted,
    type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    pass: { destination: "iceberg", serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY } },
    fail: { destination: "iceberg", serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" } },
    says: /CUSTOMER_MANAGED_CMK/,
  },
  {
    policy: snsEncrypted,
    type: "aws:sns/topic:Topic",
    pass: { kmsMasterKeyId: KEY },
    fail: {},
    says: /kmsMasterKeyId must be set/,
  },
  {
    policy: noPlainSecrets,
    type: "aws:lambda/function:Function",
    pass: { role: "r", environment: { variables: { ICEBERG_DATABASE: "db", X_BEARER_TOKEN_PARAMETER: "/p/t" } } },
    fail: { role: "r", environment: { variables: { X_BEARER_TOKEN: "AAAAAAAAAAAAAAAAAAAAAxyz" } } },
    says: /X_BEARER_TOKEN looks like a secret/,
  },
  {
    policy: noPlainSecrets,
    type: "aws:ec2/instance:Instance",
    pass: instance,
    fail: { ...instance, userData: "#!/bin/bash\nexport X_BEARER=AAAAAAAAAAAAAAAAAAAAAAAAAMLheAAAAA\n" },
    says: /X bearer token/,
  },
  {
    policy: noPlainSecrets,
    type: "aws:ssm/parameter:Parameter",
    pass: { name: "/p/x-bearer-token", type: "SecureString", value: "v" },
    fail: { name: "/p/x-bearer-token", type: "String", value: "v" },
    says: /must be a SecureString/,
  },
];

describe("policy pack", () => {
  it.each(cases.map((c) => [`${c.policy.name} on ${c.type.split(":").pop()}`, c] as const))("%s passes a compliant resource", async (_n, c) => {
    expect(await violationsOf(c.policy, c.type, c.pass)).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.policy.name} on ${c.type.split(":").pop()}`, c] as const))("%s reports a violating resource", async (_n, c) => {
    const v = await violationsOf(c.policy, c.type, c.fail);
    expect(v.length).toBeGreaterThan(0);
    expect(v.join("\n")).toMatch(c.says);
  });

  it("has a passing and a violating case for every policy in the pack", () => {
    expect(new Set(cases.map((c) => c.policy.name))).toEqual(new Set(POLICIES.map((p) => p.name)));
    expect(POLICIES.every((p) => p.enforcementLevel === "mandatory")).toBe(true);
  });
});
