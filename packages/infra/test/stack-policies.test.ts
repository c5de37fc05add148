/**
 * The program and the policy pack express the same controls: both stacks, built from their stack
 * files (dev with an operator address set), violate none.
 */
import { beforeAll, expect, it } from "vitest";
import { buildStack } from "./build-stack.ts";
import { recorded, type Recorded } from "./pulumi-harness.ts";
import { POLICIES } from "../src/policy/policies.ts";
import { violationsOf } from "./policy-harness.ts";

let dev: Recorded[];
let prod: Recorded[];
const principals = '["arn:aws:quicksight:eu-west-1:123456789012:group/default/analysts"]';

beforeAll(async () => {
  await buildStack("dev", { operatorCidr: "203.0.113.7/32" });
  dev = [...recorded];
  await buildStack("prod", { quicksightPrincipals: principals });
  prod = [...recorded];
});

async function violations(resources: Recorded[]): Promise<string[]> {
  const found: string[] = [];
  for (const r of resources) {
    for (const p of POLICIES) for (const v of await violationsOf(p, r.type, r.inputs)) found.push(`${p.name} ${r.type} ${r.name}: ${v}`);
  }
  return found;
}

it("opens only the configured operator /32, on one port, and nothing else", () => {
  const rules = dev.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
  expect(rules).toHaveLength(1);
  expect(rules[0]!.inputs).toMatchObject({ cidrIpv4: "203.0.113.7/32", ipProtocol: "tcp", fromPort: 22, toPort: 22 });
  expect(rules[0]!.inputs.cidrIpv6).toBeUndefined();
  const groups = dev.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
  expect(groups).toHaveLength(1);
  expect(groups[0]!.inputs.ingress ?? []).toEqual([]);
});

it("dev, with the operator ingress rule present, violates no policy in the pack", async () => {
  expect(dev.some((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toBe(true);
  expect(await violations(dev)).toEqual([]);
});

it("prod, with the QuickSight role and dashboard, violates no policy in the pack", async () => {
  expect(prod.some((r) => r.type === "aws-native:quicksight:Dashboard")).toBe(true);
  expect(await violations(prod)).toEqual([]);
});

it("would be caught by the pack if a role were widened to a wildcard", async () => {
  const widened = dev.map((r) =>
    r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.includes("collector")
      ? { ...r, inputs: { ...r.inputs, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "firehose:*", Resource: "*" }] }) } }
      : r,
  );
  expect((await violations(widened)).join("\n")).toMatch(/iam-no-wildcards .*collector-role-policy: .*wildcard action firehose:\*/);
});
