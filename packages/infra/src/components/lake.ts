/**
 * The lake: one bucket for raw posts, the Iceberg table's files, errors and health records,
 * encrypted with a customer-managed key, private, TLS-only, versioned with a short noncurrent
 * expiry (so an X deletion request is honoured within a day), and logged to a separate bucket.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAKE_PREFIXES } from "@defi-sentiment/shared";
import { ATHENA_RESULTS_PREFIX, keyPolicy, lakeBucketPolicy, logBucketPolicy } from "../core/policy-documents.ts";
import type { InfraConfig } from "../config.ts";
import type { Tags } from "../core/tags.ts";

export interface LakeArgs {
  lake: InfraConfig["lake"];
  tags: Tags;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
}

/** Prefix inside the log bucket under which the lake's access logs land. */
export const ACCESS_LOG_PREFIX = "s3-access/lake/";

export class Lake extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly bucket: aws.s3.Bucket;
  readonly logBucket: aws.s3.Bucket;
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: LakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("defi-sentiment:lake:Lake", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "defi-sentiment lake, stream, token parameter and alarm topic",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        policy: pulumi.all([args.partition, args.accountId]).apply(([p, a]) => JSON.stringify(keyPolicy(p, a))),
        tags,
      },
      parent,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: pulumi.interpolate`alias/${name}`, targetKeyId: this.key.keyId }, parent);

    // Access logs: S3 log delivery cannot write to an SSE-KMS bucket, so this one uses SSE-S3.
    this.logBucket = new aws.s3.Bucket(`${name}-logs`, { forceDestroy: false, tags }, parent);
    this.privateBucket(`${name}-logs`, this.logBucket);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-sse`,
      { bucket: this.logBucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-logs-lifecycle`,
      {
        bucket: this.logBucket.id,
        rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.lake.accessLogRetentionDays } }],
      },
      parent,
    );

    this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, tags }, parent);
    this.publicAccessBlock = this.privateBucket(`${name}-bucket`, this.bucket);
    this.encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-bucket-sse`,
      {
        bucket: this.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
      },
      parent,
    );
    // Versioning protects against overwrites, but no object lock: a post must be deletable within 24 h.
    const versioning = new aws.s3.BucketVersioning(
      `${name}-bucket-versioning`,
      { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-bucket-lifecycle`,
      { bucket: this.bucket.id, rules: lakeLifecycleRules(args.lake) },
      { parent: this, dependsOn: [versioning] },
    );
    new aws.s3.BucketLogging(
      `${name}-bucket-logging`,
      { bucket: this.bucket.id, targetBucket: this.logBucket.id, targetPrefix: ACCESS_LOG_PREFIX },
      parent,
    );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-bucket-policy`,
      { bucket: this.bucket.id, policy: this.bucket.arn.apply((arn) => JSON.stringify(lakeBucketPolicy(arn))) },
      { parent: this, dependsOn: [this.publicAccessBlock] },
    );
    new aws.s3.BucketPolicy(
      `${name}-logs-policy`,
      {
        bucket: this.logBucket.id,
        policy: pulumi
          .all([this.logBucket.arn, this.bucket.arn, args.accountId])
          .apply(([logArn, lakeArn, account]) => JSON.stringify(logBucketPolicy(logArn, lakeArn, account, ACCESS_LOG_PREFIX))),
      },
      parent,
    );

    this.registerOutputs({ bucket: this.bucket.bucket, keyArn: this.key.arn });
  }

  /** All four public-access blocks and BucketOwnerEnforced ownership (no ACLs). */
  private privateBucket(name: string, bucket: aws.s3.Bucket): aws.s3.BucketPublicAccessBlock {
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
    return new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
  }
}

/** Per-prefix expiry from the stack config, plus a short noncurrent-version expiry everywhere. */
export function lakeLifecycleRules(l: InfraConfig["lake"]) {
  const expire = (id: string, prefix: string, days: number) => ({
    id,
    status: "Enabled",
    filter: { prefix },
    expiration: { days },
  });
  return [
    expire("expire-raw", LAKE_PREFIXES.raw, l.rawRetentionDays),
    expire("expire-errors", LAKE_PREFIXES.errors, l.errorRetentionDays),
    expire("expire-health", LAKE_PREFIXES.health, l.healthRetentionDays),
    expire("expire-athena-results", ATHENA_RESULTS_PREFIX, l.athenaResultsRetentionDays),
    {
      id: "noncurrent-versions-and-uploads",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: l.noncurrentVersionExpirationDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      expiration: { expiredObjectDeleteMarker: true },
    },
  ];
}
