/**
 * QuickSight over Athena: a data source (type ATHENA, our workgroup, our own IAM role so no
 * account-wide service-role grant is needed for the lake), one DIRECT_QUERY data set per question
 * view, and an analysis and a published dashboard whose visuals answer the three questions.
 *
 * Prerequisite (account level, once): a QuickSight subscription in the region, and the principals
 * named in `quicksightPrincipals`. If Lake Formation governs the Glue catalog, also grant this
 * component's role SELECT on the database (see README).
 */
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { QUESTIONS } from "@defi-sentiment/shared";
import { assumeRolePolicy, quicksightRolePolicy } from "../core/policy-documents.ts";
import { dashboardDefinition, DASHBOARD_VIEWS, type DashboardView } from "../core/dashboard-definition.ts";
import { quicksightType, VIEW_COLUMNS } from "../core/view-columns.ts";
import type { Tags } from "../core/tags.ts";

export interface DashboardArgs {
  principals: string[];
  namePrefix: string;
  region: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
  databaseName: pulumi.Input<string>;
  databaseArn: pulumi.Input<string>;
  workgroupName: pulumi.Input<string>;
  workgroupArn: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  /** Also grant the QuickSight role Lake Formation SELECT/DESCRIBE on the database's tables and views. */
  lakeFormationGrants: boolean;
  tags: Tags;
}

export const QS_ACTIONS = {
  dataSource: [
    "quicksight:DescribeDataSource",
    "quicksight:DescribeDataSourcePermissions",
    "quicksight:PassDataSource",
    "quicksight:UpdateDataSource",
    "quicksight:DeleteDataSource",
    "quicksight:UpdateDataSourcePermissions",
  ],
  dataSet: [
    "quicksight:DescribeDataSet",
    "quicksight:DescribeDataSetPermissions",
    "quicksight:PassDataSet",
    "quicksight:DescribeIngestion",
    "quicksight:ListIngestions",
    "quicksight:UpdateDataSet",
    "quicksight:DeleteDataSet",
    "quicksight:CreateIngestion",
    "quicksight:CancelIngestion",
    "quicksight:UpdateDataSetPermissions",
  ],
  analysis: [
    "quicksight:RestoreAnalysis",
    "quicksight:UpdateAnalysisPermissions",
    "quicksight:DeleteAnalysis",
    "quicksight:DescribeAnalysisPermissions",
    "quicksight:QueryAnalysis",
    "quicksight:DescribeAnalysis",
    "quicksight:UpdateAnalysis",
  ],
  dashboard: [
    "quicksight:DescribeDashboard",
    "quicksight:ListDashboardVersions",
    "quicksight:UpdateDashboardPermissions",
    "quicksight:QueryDashboard",
    "quicksight:UpdateDashboard",
    "quicksight:DeleteDashboard",
    "quicksight:DescribeDashboardPermissions",
    "quicksight:UpdateDashboardPublishedVersion",
  ],
};

export class Dashboard extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly dataSource: aws.quicksight.DataSource;
  readonly dataSets: Record<DashboardView, aws.quicksight.DataSet>;
  readonly analysis: awsnative.quicksight.Analysis;
  readonly dashboard: awsnative.quicksight.Dashboard;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("defi-sentiment:dashboard:Dashboard", name, {}, opts);
    const parent = { parent: this };
    const perms = (actions: string[]) => args.principals.map((principal) => ({ principal, actions }));
    const nativeTags = Object.entries(args.tags).map(([key, value]) => ({ key, value }));

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: pulumi.output(args.accountId).apply((a) => JSON.stringify(assumeRolePolicy("quicksight.amazonaws.com", a))),
        tags: args.tags,
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([args.region, args.accountId, args.partition, args.databaseName, args.databaseArn, args.workgroupArn, args.bucketArn, args.keyArn])
          .apply(([region, account, partition, db, glueDatabaseArn, workgroupArn, bucketArn, keyArn]) =>
            JSON.stringify(
              quicksightRolePolicy({
                region,
                workgroupArn,
                bucketArn,
                keyArn,
                glueCatalogArn: `arn:${partition}:glue:${region}:${account}:catalog`,
                glueDatabaseArn,
                glueTablesArn: `arn:${partition}:glue:${region}:${account}:table/${db}/*`,
              }),
            ),
          ),
      },
      parent,
    );

    const lfGrants = args.lakeFormationGrants
      ? [
          new aws.lakeformation.Permissions(
            `${name}-lf-tables`,
            { principal: this.role.arn, permissions: ["SELECT", "DESCRIBE"], table: { databaseName: args.databaseName, wildcard: true } },
            parent,
          ),
          new aws.lakeformation.Permissions(`${name}-lf-database`, { principal: this.role.arn, permissions: ["DESCRIBE"], database: { name: args.databaseName } }, parent),
        ]
      : [];

    this.dataSource = new aws.quicksight.DataSource(
      `${name}-athena`,
      {
        dataSourceId: `${args.namePrefix}-athena`,
        name: `${args.namePrefix} (Athena)`,
        type: "ATHENA",
        parameters: { athena: { workGroup: args.workgroupName, roleArn: this.role.arn } },
        permissions: perms(QS_ACTIONS.dataSource),
        tags: args.tags,
      },
      { parent: this, dependsOn: [policy, ...lfGrants] },
    );

    const dataSets = {} as Record<DashboardView, aws.quicksight.DataSet>;
    for (const v of DASHBOARD_VIEWS) {
      const view = QUESTIONS[v].name;
      dataSets[v] = new aws.quicksight.DataSet(
        `${name}-ds-${view}`,
        {
          dataSetId: `${args.namePrefix}-${view}`,
          name: `${args.namePrefix} ${view}`,
          importMode: "DIRECT_QUERY",
          physicalTableMaps: [
            {
              physicalTableMapId: view.replace(/_/g, ""),
              relationalTable: {
                dataSourceArn: this.dataSource.arn,
                catalog: "AwsDataCatalog",
                schema: args.databaseName,
                name: view,
                inputColumns: VIEW_COLUMNS[v].map(([n, t]) => ({ name: n, type: quicksightType(t) })),
              },
            },
          ],
          permissions: perms(QS_ACTIONS.dataSet),
          tags: args.tags,
        },
        parent,
      );
    }
    this.dataSets = dataSets;

    const arns = Object.fromEntries(DASHBOARD_VIEWS.map((v) => [v, dataSets[v].arn])) as Record<DashboardView, pulumi.Output<string>>;
    const definition = dashboardDefinition(arns);
    this.analysis = new awsnative.quicksight.Analysis(
      `${name}-analysis`,
      {
        awsAccountId: args.accountId,
        analysisId: `${args.namePrefix}-analysis`,
        name: `${args.namePrefix}: DeFi sentiment, influencers, countries`,
        definition,
        permissions: perms(QS_ACTIONS.analysis),
        tags: nativeTags,
      },
      parent,
    );
    const dashboardId = `${args.namePrefix}-dashboard`;
    this.dashboard = new awsnative.quicksight.Dashboard(
      `${name}-dashboard`,
      {
        awsAccountId: args.accountId,
        dashboardId,
        name: `${args.namePrefix}: DeFi sentiment, influencers, countries`,
        definition,
        permissions: perms(QS_ACTIONS.dashboard),
        dashboardPublishOptions: { adHocFilteringOption: { availabilityStatus: "ENABLED" } },
        // LENIENT: a visual QuickSight cannot render (e.g. a view empty right after the first deploy)
        // is reported as a warning on the dashboard instead of failing the whole `pulumi up`.
        validationStrategy: { mode: "LENIENT" },
        tags: nativeTags,
      },
      parent,
    );
    this.url = pulumi.interpolate`https://${args.region}.quicksight.aws.amazon.com/sn/dashboards/${dashboardId}`;

    this.registerOutputs({ dashboardUrl: this.url });
  }
}
