/**
 * Runs the real entry point (src/index.ts) the way `pulumi up -s prod` would: stack config from
 * the committed Pulumi.prod.yaml through pulumi.Config, the token as a secret config value.
 */
import { beforeAll, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, TEST_BUNDLES, installMocks, ofType, one, promiseOf, settle, stackConfig } from "./pulumi-harness.ts";
import { TEST_TOKEN } from "./build-stack.ts";

let program: Record<string, unknown>;

beforeAll(async () => {
  await installMocks("prod");
  pulumi.runtime.setAllConfig(
    {
      ...stackConfig("prod"),
      [`${PROJECT}:quicksightPrincipals`]: '["arn:aws:quicksight:eu-west-1:123456789012:group/default/analysts"]',
      [`${PROJECT}:scorerBundleDir`]: `${TEST_BUNDLES}/scorer`,
      [`${PROJECT}:collectorBundleDir`]: `${TEST_BUNDLES}/collector`,
      [`${PROJECT}:lifecycleBundleDir`]: `${TEST_BUNDLES}/lifecycle`,
      [`${PROJECT}:xBearerToken`]: TEST_TOKEN,
      [`${PROJECT}:lakeFormationGrants`]: "true",
    },
    [`${PROJECT}:xBearerToken`],
  );
  program = await import("../src/index.ts");
  await Promise.all(Object.values(program).filter(pulumi.Output.isInstance).map((o) => promiseOf(o as pulumi.Output<unknown>)));
  await settle();
});

it("exports bucket, stream, rescore stream, database, table, workgroup, dashboard URL and token parameter name, never the token", async () => {
  const values = Object.fromEntries(
    await Promise.all(Object.entries(program).map(async ([k, v]) => [k, await promiseOf(v as pulumi.Output<unknown>)] as const)),
  );
  expect(values).toMatchObject({
    streamName: "defi-sentiment-prod-posts",
    rescoreStreamName: "defi-sentiment-prod-rescore",
    databaseName: "defi_sentiment_prod",
    tableName: "scored_posts",
    workgroupName: "defi-sentiment-prod",
    tokenParameterName: "/defi-sentiment-prod/x-bearer-token",
    dashboardUrl: "https://eu-west-1.quicksight.aws.amazon.com/sn/dashboards/defi-sentiment-prod-dashboard",
  });
  expect(values.bucketName).toMatch(/lake-bucket/);
  expect(JSON.stringify(values)).not.toContain(TEST_TOKEN);
});

it("buffers Firehose deliveries as the prod stack file says", () => {
  const cfg = stackConfig("prod");
  const ice = one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "posts-stream").inputs.icebergConfiguration;
  expect(ice.bufferingInterval).toBe(Number(cfg["defi-sentiment:firehoseBufferingIntervalSeconds"]));
  expect(ice.bufferingSize).toBe(Number(cfg["defi-sentiment:firehoseBufferingSizeMb"]));
  expect([ice.bufferingInterval, ice.bufferingSize]).toEqual([300, 128]);
  expect(one("aws:lambda/function:Function").inputs.reservedConcurrentExecutions).toBe(10);
  expect(one("aws:ec2/instance:Instance").inputs.instanceType).toBe("t4g.small");
});

it("builds the QuickSight data source on the workgroup with its own role, and a data set per dashboard view", () => {
  const ds = one("aws:quicksight/dataSource:DataSource").inputs;
  expect(ds.type).toBe("ATHENA");
  expect(ds.parameters.athena.workGroup).toBe("defi-sentiment-prod");
  expect(ds.parameters.athena.roleArn).toMatch(/^arn:aws:iam::123456789012:role\//);
  const sets = ofType("aws:quicksight/dataSet:DataSet");
  expect(sets.map((s) => s.inputs.physicalTableMaps[0].relationalTable.name).sort()).toEqual(
    ["countries", "influencers_by_engagement", "influencers_by_followers", "influencers_by_posts", "sentiment_daily", "sentiment_share"],
  );
  for (const s of sets) {
    expect(s.inputs.importMode).toBe("DIRECT_QUERY");
    expect(s.inputs.permissions[0].principal).toBe("arn:aws:quicksight:eu-west-1:123456789012:group/default/analysts");
  }
});

it("publishes an analysis and a dashboard whose visuals read the data sets", () => {
  const dash = one("aws-native:quicksight:Dashboard").inputs;
  const analysis = one("aws-native:quicksight:Analysis").inputs;
  expect(dash.awsAccountId).toBe("123456789012");
  const ids = dash.definition.dataSetIdentifierDeclarations.map((d: any) => d.identifier);
  expect(ids).toHaveLength(6);
  expect(dash.definition.dataSetIdentifierDeclarations.every((d: any) => d.dataSetArn.includes(":dataset/defi-sentiment-prod-"))).toBe(true);
  expect(dash.definition.sheets.map((s: any) => s.sheetId)).toEqual(["sentiment", "influencers", "countries"]);
  expect(analysis.definition).toEqual(dash.definition);
});

it("grants Lake Formation access to exactly the two Firehose roles, the collector's instance role and the QuickSight role when lakeFormationGrants is on", () => {
  const grants = ofType("aws:lakeformation/permissions:Permissions").map((g) => g.inputs);
  const firehoseRole = one("aws:iam/role:Role", "posts-role").name;
  const rescoreRole = one("aws:iam/role:Role", "rescore-role").name;
  const quicksightRole = one("aws:iam/role:Role", "dashboard-role").name;
  const instanceRole = one("aws:iam/role:Role", "collector-role").name;
  const byRole = (role: string) => grants.filter((g) => g.principal === `arn:aws:iam::123456789012:role/${role}-phys`);
  expect(grants).toHaveLength(8);
  expect(byRole(rescoreRole)).toHaveLength(2);
  const firehose = byRole(firehoseRole);
  expect(firehose).toHaveLength(2);
  expect(firehose).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ table: { databaseName: "defi_sentiment_prod", name: "scored_posts" } }),
      expect.objectContaining({ permissions: ["DESCRIBE"], database: { name: "defi_sentiment_prod" } }),
    ]),
  );
  const quicksight = byRole(quicksightRole);
  expect(quicksight).toHaveLength(2);
  expect(quicksight).toEqual(
    expect.arrayContaining([expect.objectContaining({ permissions: ["SELECT", "DESCRIBE"], table: { databaseName: "defi_sentiment_prod", wildcard: true } })]),
  );
  // The compliance check and the notice path run Athena SELECT, DELETE, OPTIMIZE (rewrites files)
  // and VACUUM (expires snapshots) on scored_posts only; every commit updates the table (ALTER).
  const instance = byRole(instanceRole);
  expect(instance).toHaveLength(2);
  expect(instance.find((g) => g.table)).toEqual({
    principal: `arn:aws:iam::123456789012:role/${instanceRole}-phys`,
    permissions: ["SELECT", "INSERT", "DELETE", "ALTER", "DESCRIBE"],
    table: { databaseName: "defi_sentiment_prod", name: "scored_posts" },
  });
  expect(instance.find((g) => g.database)).toEqual({
    principal: `arn:aws:iam::123456789012:role/${instanceRole}-phys`,
    permissions: ["DESCRIBE"],
    database: { name: "defi_sentiment_prod" },
  });
  // Children of the collector component, named like its other resources.
  const names = ofType("aws:lakeformation/permissions:Permissions").map((g) => g.name).filter((n) => n.startsWith("defi-sentiment-prod-collector-"));
  expect(names.sort()).toEqual(["defi-sentiment-prod-collector-lf-database", "defi-sentiment-prod-collector-lf-table"]);
});
