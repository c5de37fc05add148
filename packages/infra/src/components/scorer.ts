/**
 * The scorer: the Firehose transformation Lambda (nodejs22.x, arm64) from the scorer package's
 * esbuild bundle, its log group, reserved concurrency, and a role that may only write its logs.
 * The invoke permission for Firehose is created by `allowFirehose`, once the stream exists.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, scorerRolePolicy } from "../core/policy-documents.ts";
import type { InfraConfig } from "../config.ts";
import type { Tags } from "../core/tags.ts";

export interface ScorerArgs {
  scorer: InfraConfig["scorer"];
  /** Absolute path of the checked bundle folder (see core/bundle.ts). */
  bundleDir: string;
  logRetentionDays: number;
  databaseName: pulumi.Input<string>;
  tableName: pulumi.Input<string>;
  tags: Tags;
}

export class Scorer extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(
    private readonly baseName: string,
    args: ScorerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("defi-sentiment:scorer:Scorer", baseName, {}, opts);
    const name = baseName;
    const parent = { parent: this };
    const functionName = name;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, tags: args.tags },
      parent,
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")), tags: args.tags },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      { role: this.role.id, policy: this.logGroup.arn.apply((arn) => JSON.stringify(scorerRolePolicy(arn))) },
      parent,
    );

    this.function = new aws.lambda.Function(
      `${name}-fn`,
      {
        name: functionName,
        description: "Firehose transformation: scores sentiment, entities and country of each post",
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ ".": new pulumi.asset.FileArchive(args.bundleDir) }),
        role: this.role.arn,
        memorySize: args.scorer.memoryMb,
        timeout: args.scorer.timeoutSeconds,
        reservedConcurrentExecutions: args.scorer.reservedConcurrency,
        environment: {
          variables: {
            ICEBERG_DATABASE: args.databaseName,
            ICEBERG_TABLE: args.tableName,
            NODE_OPTIONS: "--enable-source-maps",
          },
        },
        loggingConfig: { logGroup: this.logGroup.name, logFormat: "JSON" },
        tags: args.tags,
      },
      { parent: this, dependsOn: [policy, this.logGroup] },
    );

    this.registerOutputs({ functionArn: this.function.arn });
  }

  /** Lets exactly this delivery stream invoke the function (scoped by `sourceArn`); `id` names the grant. */
  allowFirehose(streamArn: pulumi.Input<string>, accountId: pulumi.Input<string>, id = "firehose"): aws.lambda.Permission {
    return new aws.lambda.Permission(
      `${this.baseName}-allow-${id}`,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        principal: "firehose.amazonaws.com",
        sourceArn: streamArn,
        sourceAccount: accountId,
      },
      { parent: this },
    );
  }
}
