/**
 * Pulumi mocks for the infra tests: records every resource's inputs, answers the four invokes the
 * program makes and throws on any other, computes the attributes AWS would (ARNs, names), and
 * waits until every registration has finished before a test looks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, "../../..");
export const TEST_BUNDLES = path.resolve(here, "../.test-bundles");
export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const PROJECT = "defi-sentiment";

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export const recorded: Recorded[] = [];
export const invokes: string[] = [];

const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;

/** The computed attributes a real provider would return for a type. */
function computed(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const n = (inputs.name as string | undefined) ?? `${name}-phys`;
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return { bucket: `${name}-b1`, arn: `arn:aws:s3:::${name}-b1` };
    case "aws:kms/key:Key":
      return { arn: arn("kms", `key/${name}-kid`), keyId: `${name}-kid` };
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
      return { name: n, arn: arn("firehose", `deliverystream/${n}`) };
    case "aws:lambda/function:Function":
      return { name: n, arn: arn("lambda", `function:${n}`) };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: n, arn: arn("logs", `log-group:${n}`) };
    case "aws:ssm/parameter:Parameter":
      return { name: n, arn: arn("ssm", `parameter${n}`) };
    case "aws:glue/catalogDatabase:CatalogDatabase":
      return { name: n, arn: arn("glue", `database/${n}`) };
    case "aws:glue/catalogTable:CatalogTable":
      return { name: n, arn: arn("glue", `table/${inputs.databaseName}/${n}`) };
    case "aws:athena/workgroup:Workgroup":
      return { name: n, arn: arn("athena", `workgroup/${n}`) };
    case "aws:iam/role:Role":
      return { name: n, arn: `arn:aws:iam::${ACCOUNT}:role/${n}` };
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      return { versionId: "v-1", etag: "etag-1" };
    case "aws:quicksight/dataSource:DataSource":
      return { arn: arn("quicksight", `datasource/${inputs.dataSourceId}`) };
    case "aws:quicksight/dataSet:DataSet":
      return { arn: arn("quicksight", `dataset/${inputs.dataSetId}`) };
    default:
      return { name: n, arn: arn("mock", `${type}/${name}`) };
  }
}

const INVOKES: Record<string, () => Record<string, unknown>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ci`, userId: "AID", id: ACCOUNT }),
  "aws:index/getRegion:getRegion": () => ({ region: REGION, name: REGION, id: REGION, endpoint: `ec2.${REGION}.amazonaws.com` }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" }),
  "aws:ec2/getAmi:getAmi": () => ({ id: "ami-0al2023arm64", architecture: "arm64", name: "al2023-ami-2023.6-kernel-6.1-arm64" }),
};

/** Installs the mocks; call before importing the program. */
export async function installMocks(stack: string): Promise<void> {
  recorded.length = 0;
  invokes.length = 0;
  pulumi.runtime.setAllConfig({}); // test files share a worker (isolate: false): no config carries over
  await pulumi.runtime.setMocks(
    {
      newResource(a) {
        recorded.push({ type: a.type, name: a.name, inputs: a.inputs });
        return { id: `${a.name}-id`, state: { ...a.inputs, ...computed(a.type, a.name, a.inputs) } };
      },
      call(a) {
        const answer = INVOKES[a.token];
        if (!answer) throw new Error(`unexpected invoke ${a.token} (the mock knows ${Object.keys(INVOKES).join(", ")})`);
        invokes.push(a.token);
        return answer();
      },
    },
    PROJECT,
    stack,
    false,
  );
}

/** Waits for every outstanding registration, then for the given resources' URNs. */
export async function settle(resources: pulumi.Resource[] = []): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (typeof waitForRPCs !== "function") throw new Error("pulumi.runtime.waitForRPCs is missing: the harness needs @pulumi/pulumi 3.248");
  await Promise.all(resources.map((r) => promiseOf(r.urn)));
  await waitForRPCs();
}

export const promiseOf = <T>(o: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) => {
    o.apply((v) => {
      resolve(v);
      return v;
    });
  });

/** Every resource found in an object graph (components and their public fields). */
export function resourcesIn(root: unknown, seen = new Set<unknown>()): pulumi.Resource[] {
  if (root === null || typeof root !== "object" || seen.has(root)) return [];
  seen.add(root);
  const own = pulumi.Resource.isInstance(root) ? [root] : [];
  if (pulumi.Output.isInstance(root)) return own;
  return [...own, ...Object.values(root as object).flatMap((v) => resourcesIn(v, seen))];
}

export const ofType = (type: string) => recorded.filter((r) => r.type === type);

export function one(type: string, nameIncludes = ""): Recorded {
  const found = recorded.filter((r) => r.type === type && r.name.includes(nameIncludes));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} named *${nameIncludes}*, found ${found.length}: ${found.map((f) => f.name).join(", ")}`);
  }
  return found[0]!;
}

/** `Pulumi.<stack>.yaml` config as the flat `key -> string` map `pulumi.Config` sees (lists as JSON). */
export function stackConfig(stack: string): Record<string, string> {
  const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  const doc = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Namespace-stripped view of a stack config, for `parseInfraConfig`. */
export function configSource(flat: Record<string, string>, overrides: Record<string, string | undefined> = {}) {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(flat)) if (k.startsWith(`${PROJECT}:`)) map.set(k.slice(PROJECT.length + 1), v);
  map.set("scorerBundleDir", path.join(TEST_BUNDLES, "scorer"));
  map.set("collectorBundleDir", path.join(TEST_BUNDLES, "collector"));
  map.set("lifecycleBundleDir", path.join(TEST_BUNDLES, "lifecycle"));
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) map.delete(k);
    else map.set(k, v);
  }
  return { get: (k: string) => map.get(k) };
}

export const parsePolicy = (json: unknown) => JSON.parse(String(json)) as import("../src/core/policy-documents.ts").PolicyDocument;
