/**
 * The scored posts as an Apache Iceberg table in the Glue Data Catalog, the Athena workgroup that
 * queries it, and the questions as Athena views.
 *
 * Views are Glue `VIRTUAL_VIEW` tables carrying Athena's Presto view encoding (see
 * core/presto-view.ts): that is exactly what Athena's own `CREATE VIEW` stores, and unlike an
 * `aws.athena.NamedQuery` (a saved query text that nobody runs) the view exists and is queryable
 * by QuickSight the moment `pulumi up` ends. The `CREATE OR REPLACE VIEW` text from shared
 * `viewDdl` is also saved as a named query per view, for operators to re-run if a view goes stale.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAKE_PREFIXES, QUESTIONS, SCORED_POST_KEY, SCORED_TABLE_NAME, viewDdl, type QuestionKey } from "@defi-sentiment/shared";
import { ATHENA_RESULTS_PREFIX } from "../core/policy-documents.ts";
import { prestoViewText } from "../core/presto-view.ts";
import { glueColumns, icebergFields, icebergPartitionSpec, fieldIdOf } from "../core/table-schema.ts";
import { hiveType, VIEW_COLUMNS } from "../core/view-columns.ts";
import type { InfraConfig } from "../config.ts";
import type { Tags } from "../core/tags.ts";

export interface TableArgs {
  /** Glue database name (letters, digits, `_`). */
  databaseName: string;
  bucketName: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  athena: InfraConfig["athena"];
  tags: Tags;
}

/** Key prefix of the table's data and metadata files, under the lake's `table/` prefix. */
export const TABLE_PREFIX = `${LAKE_PREFIXES.table}${SCORED_TABLE_NAME}/`;
/** S3 location of the table's data and metadata. */
export const tableLocation = (bucket: string) => `s3://${bucket}/${TABLE_PREFIX}`;

/**
 * Snapshots older than this are expired by Athena's `VACUUM` (default 5 days), and with them the
 * data files holding rows the compliance check deleted. The check runs daily and VACUUMs each
 * time, so files a run's DELETE/OPTIMIZE left behind are gone at the next run at the latest.
 */
export const VACUUM_MAX_SNAPSHOT_AGE_SECONDS = 12 * 3600;

/** Iceberg table properties (Athena reads its `vacuum_*` settings from these). */
export const ICEBERG_TABLE_PROPERTIES = {
  "write.format.default": "parquet",
  "write.parquet.compression-codec": "zstd",
  vacuum_max_snapshot_age_seconds: String(VACUUM_MAX_SNAPSHOT_AGE_SECONDS),
} as const;

export class Table extends pulumi.ComponentResource {
  readonly database: aws.glue.CatalogDatabase;
  readonly table: aws.glue.CatalogTable;
  readonly workgroup: aws.athena.Workgroup;
  readonly views: Record<QuestionKey, aws.glue.CatalogTable>;
  readonly namedQueries: Record<QuestionKey, aws.athena.NamedQuery>;

  constructor(name: string, args: TableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("defi-sentiment:table:Table", name, {}, opts);
    const parent = { parent: this };

    this.database = new aws.glue.CatalogDatabase(
      `${name}-db`,
      { name: args.databaseName, description: "defi-sentiment: scored posts and the question views", tags: args.tags },
      parent,
    );

    const location = pulumi.output(args.bucketName).apply(tableLocation);
    this.table = new aws.glue.CatalogTable(
      `${name}-scored-posts`,
      {
        name: SCORED_TABLE_NAME,
        databaseName: this.database.name,
        tableType: "EXTERNAL_TABLE",
        description: "One row per post id (Firehose upserts on id); columns from @defi-sentiment/shared SCORED_POST_COLUMNS",
        openTableFormatInput: {
          icebergInput: {
            metadataOperation: "CREATE",
            version: "2",
            icebergTableInput: {
              location,
              schema: { schemaId: 0, fields: icebergFields(), identifierFieldIds: [fieldIdOf(SCORED_POST_KEY)] },
              partitionSpec: icebergPartitionSpec(),
              properties: { ...ICEBERG_TABLE_PROPERTIES },
            },
          },
        },
        storageDescriptor: { location, columns: glueColumns() },
      },
      parent,
    );

    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: args.databaseName.replace(/_/g, "-"),
        description: "defi-sentiment questions; results encrypted with the lake key",
        state: "ENABLED",
        forceDestroy: true,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.athena.bytesScannedCutoffPerQuery,
          engineVersion: { selectedEngineVersion: "Athena engine version 3" },
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${args.bucketName}/${ATHENA_RESULTS_PREFIX}`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.keyArn },
          },
        },
        tags: args.tags,
      },
      parent,
    );

    const views = {} as Record<QuestionKey, aws.glue.CatalogTable>;
    const named = {} as Record<QuestionKey, aws.athena.NamedQuery>;
    for (const key of Object.keys(QUESTIONS) as QuestionKey[]) {
      const q = QUESTIONS[key];
      const columns = VIEW_COLUMNS[key];
      views[key] = new aws.glue.CatalogTable(
        `${name}-view-${q.name}`,
        {
          name: q.name,
          databaseName: this.database.name,
          tableType: "VIRTUAL_VIEW",
          description: q.title,
          viewOriginalText: this.database.name.apply((db) => prestoViewText(q.sql(), db, columns)),
          viewExpandedText: "/* Presto View */",
          parameters: { presto_view: "true", comment: "Presto View" },
          storageDescriptor: { columns: columns.map(([n, t]) => ({ name: n, type: hiveType(t) })) },
        },
        { parent: this, dependsOn: [this.table] },
      );
      named[key] = new aws.athena.NamedQuery(
        `${name}-ddl-${q.name}`,
        {
          name: `recreate view ${q.name}`,
          description: `CREATE OR REPLACE VIEW for "${q.title}" (the Glue view is created by Pulumi; run this if Athena calls it stale)`,
          database: this.database.name,
          workgroup: this.workgroup.name,
          query: viewDdl(q),
        },
        parent,
      );
    }
    this.views = views;
    this.namedQueries = named;

    this.registerOutputs({ database: this.database.name, table: this.table.name, workgroup: this.workgroup.name });
  }
}
