/**
 * The stack's security controls as Pulumi policies (CrossGuard). index.ts only wraps them in a
 * PolicyPack; tests call each `validateResource` directly. Run with
 * `pulumi preview --policy-pack packages/infra/src/policy`.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ReportViolation, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { wildcardFindings, type PolicyDocument } from "../core/policy-documents.ts";

const mandatory = "mandatory" as const;

function documentOf(policy: unknown): PolicyDocument | undefined {
  if (policy === undefined || policy === null) return undefined;
  const doc = typeof policy === "string" ? (JSON.parse(policy) as PolicyDocument) : (policy as PolicyDocument);
  return { ...doc, Statement: ([] as PolicyDocument["Statement"]).concat(doc.Statement ?? []) };
}

export const s3BlockAllPublicAccess: ResourceValidationPolicy = {
  name: "s3-block-all-public-access",
  description: "Every bucket blocks public ACLs and policies, ignores public ACLs and restricts public buckets.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.s3.BucketPublicAccessBlock, (b, _args, report) => {
    for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const) {
      if (b[flag] !== true) report(`${flag} must be true`);
    }
  }),
};

export const s3EncryptedWithKms: ResourceValidationPolicy = {
  name: "s3-encrypted-with-kms",
  description:
    "Bucket encryption uses SSE-KMS with an explicit key and an S3 bucket key. SSE-S3 (AES256) is accepted only because S3 access-log target buckets cannot use SSE-KMS.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (c, _args, report) => {
    if (!c.rules || c.rules.length === 0) return report("no encryption rule");
    c.rules.forEach((r, i) => {
      const d = r.applyServerSideEncryptionByDefault;
      if (!d) return report(`rule ${i}: no default encryption`);
      if (d.sseAlgorithm === "AES256") return;
      if (d.sseAlgorithm !== "aws:kms") return report(`rule ${i}: sseAlgorithm ${d.sseAlgorithm} is neither aws:kms nor AES256`);
      if (!d.kmsMasterKeyId) report(`rule ${i}: aws:kms without kmsMasterKeyId would use the AWS-managed key`);
      if (r.bucketKeyEnabled !== true) report(`rule ${i}: bucketKeyEnabled must be true`);
    });
  }),
};

export const s3TlsOnly: ResourceValidationPolicy = {
  name: "s3-tls-only",
  description: "Every bucket policy denies requests that do not use TLS (aws:SecureTransport = false).",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (p, _args, report) => {
    const doc = documentOf(p.policy);
    const denies = doc?.Statement.some(
      (s) => s.Effect === "Deny" && s.Principal === "*" && s.Condition?.["Bool"]?.["aws:SecureTransport"] === "false",
    );
    if (!denies) report("bucket policy has no Deny statement for aws:SecureTransport = false");
  }),
};

const IAM_DOCUMENT_TYPES: Record<string, string> = {
  "aws:iam/rolePolicy:RolePolicy": "policy",
  "aws:iam/policy:Policy": "policy",
  "aws:iam/userPolicy:UserPolicy": "policy",
  "aws:iam/groupPolicy:GroupPolicy": "policy",
};

export const iamNoWildcards: ResourceValidationPolicy = {
  name: "iam-no-wildcards",
  description: "No Allow statement grants `*` or `service:*` actions, or acts on Resource `*`.",
  enforcementLevel: mandatory,
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const field = IAM_DOCUMENT_TYPES[args.type];
    if (!field) return;
    const doc = documentOf(args.props[field]);
    if (!doc) return report(`${field} is empty`);
    for (const finding of wildcardFindings(doc, args.name)) report(finding);
  },
};

export const ec2Imdsv2: ResourceValidationPolicy = {
  name: "ec2-imdsv2-required",
  description: "Instances require IMDSv2 session tokens.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
    if (i.metadataOptions?.httpTokens !== "required") report("metadataOptions.httpTokens must be \"required\"");
  }),
};

export const ec2NoKeyPair: ResourceValidationPolicy = {
  name: "ec2-no-key-pair",
  description: "Instances have no SSH key pair; operators use SSM Session Manager.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
    if (i.keyName) report(`keyName ${i.keyName} is set`);
  }),
};

export const ec2EncryptedVolumes: ResourceValidationPolicy = {
  name: "ec2-encrypted-volumes",
  description: "Root and attached EBS volumes are encrypted.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
    if (i.rootBlockDevice?.encrypted !== true) report("rootBlockDevice.encrypted must be true");
    (i.ebsBlockDevices ?? []).forEach((d, n) => {
      if (d.encrypted !== true) report(`ebsBlockDevices[${n}] (${d.deviceName}) is not encrypted`);
    });
  }),
};

const OPEN = ["0.0.0.0/0", "::/0"];
const singleHost = (cidr: string) => /^\d{1,3}(\.\d{1,3}){3}\/32$/.test(cidr);

function checkIngress(cidrs: string[], ipv6: string[], where: string, report: ReportViolation): void {
  for (const c of [...cidrs, ...ipv6]) {
    if (OPEN.includes(c)) report(`${where}: ingress from ${c} opens the host to the internet`);
    else if (!singleHost(c)) report(`${where}: ingress from ${c} is wider than a single /32 address`);
  }
}

export const sgRestrictedIngress: ResourceValidationPolicy = {
  name: "sg-restricted-ingress",
  description: "Security groups allow no ingress, except from a single operator /32; never 0.0.0.0/0 or ::/0.",
  enforcementLevel: mandatory,
  validateResource: [
    validateResourceOfType(aws.ec2.SecurityGroup, (sg, _args, report) => {
      (sg.ingress ?? []).forEach((r, i) => {
        checkIngress(r.cidrBlocks ?? [], r.ipv6CidrBlocks ?? [], `ingress[${i}]`, report);
        if ((r.cidrBlocks ?? []).length + (r.ipv6CidrBlocks ?? []).length === 0) report(`ingress[${i}] allows other security groups or prefix lists`);
      });
    }),
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (r, _args, report) => {
      if (!r.cidrIpv4 && !r.cidrIpv6) return report("ingress rule without a CIDR (security group or prefix list source)");
      checkIngress(r.cidrIpv4 ? [r.cidrIpv4] : [], r.cidrIpv6 ? [r.cidrIpv6] : [], "ingress rule", report);
    }),
    validateResourceOfType(aws.ec2.SecurityGroupRule, (r, _args, report) => {
      if (r.type === "ingress") checkIngress(r.cidrBlocks ?? [], r.ipv6CidrBlocks ?? [], "ingress rule", report);
    }),
  ],
};

export const lambdaPermissionSourceArn: ResourceValidationPolicy = {
  name: "lambda-permission-source-arn",
  description: "A Lambda permission for an AWS service names the exact source ARN.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.lambda.Permission, (p, _args, report) => {
    if (String(p.principal).endsWith(".amazonaws.com") && !p.sourceArn) report(`permission for ${p.principal} has no sourceArn`);
  }),
};

export const athenaWorkgroupGuarded: ResourceValidationPolicy = {
  name: "athena-workgroup-guarded",
  description: "Athena workgroups enforce their configuration, encrypt results with KMS and cap bytes scanned per query.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.athena.Workgroup, (w, _args, report) => {
    const c = w.configuration;
    if (c?.enforceWorkgroupConfiguration !== true) report("configuration.enforceWorkgroupConfiguration must be true");
    const enc = c?.resultConfiguration?.encryptionConfiguration;
    if (enc?.encryptionOption !== "SSE_KMS" && enc?.encryptionOption !== "CSE_KMS") report("query results must be encrypted with SSE_KMS or CSE_KMS");
    else if (!enc.kmsKeyArn) report("query result encryption names no KMS key");
    if (!c?.bytesScannedCutoffPerQuery) report("configuration.bytesScannedCutoffPerQuery must be set");
  }),
};

export const kmsRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description: "Customer-managed KMS keys rotate.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.kms.Key, (k, _args, report) => {
    const symmetric = (k.customerMasterKeySpec ?? k.keyUsage ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" || k.keyUsage === "ENCRYPT_DECRYPT";
    if (symmetric && k.enableKeyRotation !== true) report("enableKeyRotation must be true");
  }),
};

export const firehoseEncrypted: ResourceValidationPolicy = {
  name: "firehose-encrypted-with-cmk",
  description: "Direct PUT delivery streams encrypt records at rest with a customer-managed key.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.kinesis.FirehoseDeliveryStream, (s, _args, report) => {
    if (s.kinesisSourceConfiguration || s.mskSourceConfiguration) return; // encryption is the source's
    const sse = s.serverSideEncryption;
    if (sse?.enabled !== true) report("serverSideEncryption.enabled must be true");
    else if (sse.keyType !== "CUSTOMER_MANAGED_CMK" || !sse.keyArn) report("serverSideEncryption must use CUSTOMER_MANAGED_CMK with a keyArn");
  }),
};

export const snsEncrypted: ResourceValidationPolicy = {
  name: "sns-encrypted",
  description: "SNS topics are encrypted with KMS.",
  enforcementLevel: mandatory,
  validateResource: validateResourceOfType(aws.sns.Topic, (t, _args, report) => {
    if (!t.kmsMasterKeyId) report("kmsMasterKeyId must be set");
  }),
};

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|API_?KEY)$/i;
/** X app-only bearer tokens start with a long run of `A`s. */
const X_BEARER = /A{20,}/;

export const noPlainSecrets: ResourceValidationPolicy = {
  name: "no-plain-secrets",
  description:
    "Secrets live only in SSM SecureString parameters: no secret-named Lambda environment variable, no bearer token in user data, no secret-named String parameter.",
  enforcementLevel: mandatory,
  validateResource: [
    validateResourceOfType(aws.lambda.Function, (f, _args, report) => {
      for (const name of Object.keys(f.environment?.variables ?? {})) {
        if (SECRET_NAME.test(name)) report(`environment variable ${name} looks like a secret; pass its parameter name instead`);
      }
    }),
    validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
      if (i.userData && X_BEARER.test(i.userData)) report("user data contains what looks like an X bearer token");
    }),
    validateResourceOfType(aws.ssm.Parameter, (p, _args, report) => {
      if (/token|secret|password/i.test(String(p.name)) && p.type !== "SecureString") report(`parameter ${p.name} must be a SecureString`);
    }),
  ],
};

export const POLICIES: ResourceValidationPolicy[] = [
  s3BlockAllPublicAccess,
  s3EncryptedWithKms,
  s3TlsOnly,
  iamNoWildcards,
  ec2Imdsv2,
  ec2NoKeyPair,
  ec2EncryptedVolumes,
  sgRestrictedIngress,
  lambdaPermissionSourceArn,
  athenaWorkgroupGuarded,
  kmsRotation,
  firehoseEncrypted,
  snsEncrypted,
  noPlainSecrets,
];
