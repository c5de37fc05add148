/**
 * The collector host: a small arm64 EC2 instance on Amazon Linux 2023 that runs the collector
 * bundle as a systemd service. No SSH key, no inbound rule (operators use SSM Session Manager;
 * one optional /32 is the only exception), IMDSv2 only, encrypted root volume for the spool.
 * The X bearer token is a Pulumi secret stored as an SSM SecureString under the lake key and
 * read by the collector at run time; user data carries only its parameter name.
 * The same host runs the lifecycle jobs: a daily systemd timer for the X compliance check, and
 * the rescore replay on demand, under their own role policy (core/policy-documents.ts) and, on a
 * Lake Formation governed catalog, LF permissions on the Iceberg table.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ARTIFACTS_PREFIX, assumeRolePolicy, collectorRolePolicy, lifecycleRolePolicy } from "../core/policy-documents.ts";
import { collectorUserData } from "../core/collector-user-data.ts";
import { checkOperatorCidr, type InfraConfig } from "../config.ts";
import { icebergWriterLfGrants } from "./ingest.ts";
import type { Tags } from "../core/tags.ts";

export interface CollectorArgs {
  collector: InfraConfig["collector"];
  /** Absolute path of the checked bundle folder (see core/bundle.ts). */
  bundleDir: string;
  namePrefix: string;
  region: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  streamName: pulumi.Input<string>;
  streamArn: pulumi.Input<string>;
  /** The X API bearer token; must be a secret Output. */
  bearerToken: pulumi.Output<string>;
  /** What the lifecycle jobs (compliance check, rescore) run against; see core/policy-documents.ts. */
  lifecycle: {
    /** Absolute path of the checked lifecycle bundle folder. */
    bundleDir: string;
    databaseName: pulumi.Input<string>;
    tableName: pulumi.Input<string>;
    workgroupName: pulumi.Input<string>;
    workgroupArn: pulumi.Input<string>;
    glueCatalogArn: pulumi.Input<string>;
    glueDatabaseArn: pulumi.Input<string>;
    glueTableArn: pulumi.Input<string>;
    tablePrefix: string;
    rescoreStreamName: pulumi.Input<string>;
    rescoreStreamArn: pulumi.Input<string>;
    /** The compliance heartbeat's namespace (`lifecycleMetricNamespace`): role policy and wrapper. */
    metricNamespace: string;
  };
  /** Also grant the instance role Lake Formation permissions on the table (LF-governed catalogs). */
  lakeFormationGrants: boolean;
  tags: Tags;
}

export const COLLECTOR_BUNDLE_KEY = `${ARTIFACTS_PREFIX}collector/collector.zip`;
export const LIFECYCLE_BUNDLE_KEY = `${ARTIFACTS_PREFIX}lifecycle/lifecycle.zip`;
export const AL2023_ARM64_AMI_NAME = "al2023-ami-2023.*-kernel-*-arm64";

export class Collector extends pulumi.ComponentResource {
  readonly instance: aws.ec2.Instance;
  readonly role: aws.iam.Role;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly tokenParameter: aws.ssm.Parameter;
  readonly bundle: aws.s3.BucketObjectv2;
  readonly lifecycleBundle: aws.s3.BucketObjectv2;
  readonly lifecyclePolicy: aws.iam.RolePolicy;
  /** The instance role's LF grants (table, database); empty unless `lakeFormationGrants`. */
  readonly lakeFormationGrants: aws.lakeformation.Permissions[];
  readonly operatorIngress: aws.vpc.SecurityGroupIngressRule | undefined;

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("defi-sentiment:collector:Collector", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;

    this.tokenParameter = new aws.ssm.Parameter(
      `${name}-x-bearer-token`,
      {
        name: `/${args.namePrefix}/x-bearer-token`,
        description: "X API v2 bearer token for the collector",
        type: "SecureString",
        keyId: args.keyArn,
        value: pulumi.secret(args.bearerToken),
        tags,
      },
      parent,
    );

    this.bundle = new aws.s3.BucketObjectv2(
      `${name}-bundle`,
      {
        bucket: args.bucketName,
        key: COLLECTOR_BUNDLE_KEY,
        source: new pulumi.asset.FileArchive(args.bundleDir),
        contentType: "application/zip",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.keyArn,
        tags,
      },
      parent,
    );

    this.lifecycleBundle = new aws.s3.BucketObjectv2(
      `${name}-lifecycle-bundle`,
      {
        bucket: args.bucketName,
        key: LIFECYCLE_BUNDLE_KEY,
        source: new pulumi.asset.FileArchive(args.lifecycle.bundleDir),
        contentType: "application/zip",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.keyArn,
        tags,
      },
      parent,
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: JSON.stringify(assumeRolePolicy("ec2.amazonaws.com")), tags },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ssm-core`,
      { role: this.role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([args.streamArn, this.tokenParameter.arn, args.keyArn, args.bucketArn, args.region])
          .apply(([streamArn, parameterArn, keyArn, bucketArn, region]) =>
            JSON.stringify(collectorRolePolicy({ streamArn, parameterArn, keyArn, bucketArn, region })),
          ),
      },
      parent,
    );
    // A separate document, so the collector's own grants stay readable; same instance role.
    const l = args.lifecycle;
    this.lifecyclePolicy = new aws.iam.RolePolicy(
      `${name}-lifecycle-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([args.region, args.bucketArn, args.keyArn, l.workgroupArn, l.glueCatalogArn, l.glueDatabaseArn, l.glueTableArn, l.rescoreStreamArn])
          .apply(([region, bucketArn, keyArn, workgroupArn, glueCatalogArn, glueDatabaseArn, glueTableArn, rescoreStreamArn]) =>
            JSON.stringify(
              lifecycleRolePolicy({
                region,
                bucketArn,
                keyArn,
                workgroupArn,
                glueCatalogArn,
                glueDatabaseArn,
                glueTableArn,
                tablePrefix: l.tablePrefix,
                rescoreStreamArn,
                metricNamespace: l.metricNamespace,
              }),
            ),
          ),
      },
      parent,
    );
    // With Lake Formation governing the catalog, IAM alone does not let the jobs' Athena DELETE,
    // OPTIMIZE and VACUUM (nor the collector's notice deletes) touch the table.
    this.lakeFormationGrants = args.lakeFormationGrants ? icebergWriterLfGrants(name, this.role.arn, l.databaseName, l.tableName, parent) : [];
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: this.role.name, tags }, parent);

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: "defi-sentiment collector: no inbound; HTTPS out to X, Firehose, S3, SSM",
        egress: [{ description: "HTTPS out", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        tags,
      },
      parent,
    );
    const cidr = args.collector.operatorCidr;
    if (cidr !== undefined) {
      checkOperatorCidr(cidr); // also enforced by the config loader; components may be built from other args
      this.operatorIngress = new aws.vpc.SecurityGroupIngressRule(
        `${name}-operator`,
        {
          securityGroupId: this.securityGroup.id,
          description: "single operator address",
          ipProtocol: "tcp",
          fromPort: args.collector.operatorPort,
          toPort: args.collector.operatorPort,
          cidrIpv4: cidr,
          tags,
        },
        parent,
      );
    }

    const ami = aws.ec2.getAmiOutput(
      {
        owners: ["amazon"],
        mostRecent: true,
        filters: [
          { name: "name", values: [AL2023_ARM64_AMI_NAME] },
          { name: "architecture", values: ["arm64"] },
          { name: "virtualization-type", values: ["hvm"] },
        ],
      },
      parent,
    );

    const lifecycleNames = pulumi.all([this.lifecycleBundle.versionId, this.lifecycleBundle.etag, l.databaseName, l.workgroupName, l.rescoreStreamName]);
    const userData = pulumi
      .all([args.region, args.bucketName, this.bundle.versionId, this.bundle.etag, args.streamName, this.tokenParameter.name, lifecycleNames])
      .apply(([region, bucket, versionId, etag, streamName, tokenParameterName, [lcVersionId, lcEtag, databaseName, workgroupName, rescoreStreamName]]) =>
        collectorUserData({
          region,
          bucket,
          bundleKey: COLLECTOR_BUNDLE_KEY,
          bundleVersion: versionId || etag || "unversioned",
          entry: args.collector.entry,
          command: args.collector.command,
          streamName,
          tokenParameterName,
          lifecycle: {
            bundleKey: LIFECYCLE_BUNDLE_KEY,
            // A new lifecycle bundle also means a new host (the user data changes).
            bundleVersion: lcVersionId || lcEtag || "unversioned",
            databaseName,
            workgroupName,
            rescoreStreamName,
            metricNamespace: l.metricNamespace,
          },
        }),
      );

    this.instance = new aws.ec2.Instance(
      `${name}-host`,
      {
        ami: ami.id,
        instanceType: args.collector.instanceType,
        iamInstanceProfile: profile.name,
        vpcSecurityGroupIds: [this.securityGroup.id],
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        rootBlockDevice: { encrypted: true, kmsKeyId: args.keyArn, volumeType: "gp3", volumeSize: args.collector.rootVolumeGb, deleteOnTermination: true },
        monitoring: true,
        userData,
        // A new bundle means a new host, started from scratch by cloud-init.
        userDataReplaceOnChange: true,
        tags: { ...tags, Name: name },
        volumeTags: tags,
      },
      // A newer AL2023 AMI alone must not replace the host (and drop its spool); a new bundle does,
      // and operators can move to the newest AMI with `pulumi up --replace <instance urn>`.
      // The host starts the collector (notice deletes) at boot: its grants exist first.
      { parent: this, dependsOn: [policy, this.lifecyclePolicy, ...this.lakeFormationGrants], ignoreChanges: ["ami"] },
    );

    this.registerOutputs({ instanceId: this.instance.id, tokenParameterName: this.tokenParameter.name });
  }
}
