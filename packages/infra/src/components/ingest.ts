/**
 * Ingest: a Direct PUT Firehose stream delivering to the Iceberg table through the scorer Lambda.
 * Used twice: the collector's stream and the rescore stream (raw replays, `FailedDataOnly`).
 * Every record is also backed up raw (`s3BackupMode: AllData`) under the shared raw prefix,
 * failures land under the shared error prefix, the stream is encrypted with the lake key, and
 * delivery is logged to its own log stream. The role can touch only these resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FIREHOSE_PREFIXES, SCORED_POST_KEY } from "@defi-sentiment/shared";
import { assumeRolePolicy, firehoseRolePolicy } from "../core/policy-documents.ts";
import type { InfraConfig } from "../config.ts";
import type { Tags } from "../core/tags.ts";

export interface IngestArgs {
  firehose: InfraConfig["firehose"];
  logRetentionDays: number;
  region: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  databaseName: pulumi.Input<string>;
  databaseArn: pulumi.Input<string>;
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  functionArn: pulumi.Input<string>;
  /**
   * `AllData` (default) backs every incoming record up under `raw/`; `FailedDataOnly` only the
   * failures, for the rescore stream, whose input is `raw/` already.
   */
  s3BackupMode?: "AllData" | "FailedDataOnly";
  /** Also grant the role Lake Formation permissions on the table (LF-governed catalogs). */
  lakeFormationGrants: boolean;
  tags: Tags;
}

/**
 * Lake Formation table permissions of a principal that writes the Iceberg table (Firehose's upserts;
 * Athena DELETE, OPTIMIZE and VACUUM from the lifecycle jobs): read and write data files, delete
 * rows and files, and commit new metadata (`glue:UpdateTable`, which LF authorizes as ALTER).
 */
export const ICEBERG_WRITER_LF_PERMISSIONS = ["SELECT", "INSERT", "DELETE", "ALTER", "DESCRIBE"];

/**
 * The Lake Formation grants an Iceberg writer needs on an LF-governed catalog (IAM alone does not
 * let it commit): the writer permissions on the table and DESCRIBE on its database.
 */
export function icebergWriterLfGrants(
  name: string,
  principal: pulumi.Input<string>,
  databaseName: pulumi.Input<string>,
  tableName: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.lakeformation.Permissions[] {
  return [
    new aws.lakeformation.Permissions(`${name}-lf-table`, { principal, permissions: ICEBERG_WRITER_LF_PERMISSIONS, table: { databaseName, name: tableName } }, opts),
    new aws.lakeformation.Permissions(`${name}-lf-database`, { principal, permissions: ["DESCRIBE"], database: { name: databaseName } }, opts),
  ];
}

export const glueCatalogArn = (partition: string, region: string, account: string) => `arn:${partition}:glue:${region}:${account}:catalog`;

export class Ingest extends pulumi.ComponentResource {
  readonly stream: aws.kinesis.FirehoseDeliveryStream;
  readonly role: aws.iam.Role;
  readonly rolePolicy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly logStream: aws.cloudwatch.LogStream;

  constructor(name: string, args: IngestArgs, opts?: pulumi.ComponentResourceOptions) {
    super("defi-sentiment:ingest:Ingest", name, {}, opts);
    const parent = { parent: this };
    const streamName = name;
    const catalogArn = pulumi.all([args.partition, args.region, args.accountId]).apply(([p, r, a]) => glueCatalogArn(p, r, a));

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/kinesisfirehose/${streamName}`, retentionInDays: args.logRetentionDays, tags: args.tags },
      parent,
    );
    this.logStream = new aws.cloudwatch.LogStream(`${name}-log-stream`, { name: "DestinationDelivery", logGroupName: this.logGroup.name }, parent);

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: pulumi.output(args.accountId).apply((a) => JSON.stringify(assumeRolePolicy("firehose.amazonaws.com", a))),
        tags: args.tags,
      },
      parent,
    );
    const logStreamArn = pulumi.interpolate`${this.logGroup.arn}:log-stream:${this.logStream.name}`;
    this.rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([args.region, args.bucketArn, catalogArn, args.databaseArn, args.tableArn, args.functionArn, args.keyArn, logStreamArn])
          .apply(([region, bucketArn, glueCatalogArn, glueDatabaseArn, glueTableArn, functionArn, keyArn, logStreamArn]) =>
            JSON.stringify(firehoseRolePolicy({ region, bucketArn, glueCatalogArn, glueDatabaseArn, glueTableArn, functionArn, keyArn, logStreamArn })),
          ),
      },
      parent,
    );

    // With Lake Formation governing the catalog, IAM alone does not let Firehose commit to the table.
    const lfGrants = args.lakeFormationGrants ? icebergWriterLfGrants(name, this.role.arn, args.databaseName, args.tableName, parent) : [];

    const logging = { enabled: true, logGroupName: this.logGroup.name, logStreamName: this.logStream.name };
    this.stream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-stream`,
      {
        name: streamName,
        destination: "iceberg",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.keyArn },
        icebergConfiguration: {
          roleArn: this.role.arn,
          catalogArn,
          bufferingInterval: args.firehose.bufferingIntervalSeconds,
          bufferingSize: args.firehose.bufferingSizeMb,
          retryDuration: args.firehose.retryDurationSeconds,
          s3BackupMode: args.s3BackupMode ?? "AllData",
          destinationTableConfigurations: [
            {
              databaseName: args.databaseName,
              tableName: args.tableName,
              uniqueKeys: [SCORED_POST_KEY],
              s3ErrorOutputPrefix: FIREHOSE_PREFIXES.errors,
            },
          ],
          processingConfiguration: {
            enabled: true,
            processors: [
              {
                type: "Lambda",
                // Only non-default parameters: the provider does not store defaults (perpetual diff).
                parameters: [{ parameterName: "LambdaArn", parameterValue: pulumi.interpolate`${args.functionArn}:$LATEST` }],
              },
            ],
          },
          cloudwatchLoggingOptions: logging,
          s3Configuration: {
            roleArn: this.role.arn,
            bucketArn: args.bucketArn,
            prefix: FIREHOSE_PREFIXES.raw,
            errorOutputPrefix: FIREHOSE_PREFIXES.errors,
            compressionFormat: "GZIP",
            kmsKeyArn: args.keyArn,
            bufferingInterval: args.firehose.bufferingIntervalSeconds,
            bufferingSize: Math.min(args.firehose.bufferingSizeMb, 128),
            cloudwatchLoggingOptions: logging,
          },
        },
        tags: args.tags,
      },
      { parent: this, dependsOn: [this.rolePolicy, ...lfGrants] },
    );

    this.registerOutputs({ streamName: this.stream.name, streamArn: this.stream.arn });
  }
}
