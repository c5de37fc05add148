import { beforeAll, expect, it } from "vitest";
import { buildStack } from "./build-stack.ts";
import { ofType, one } from "./pulumi-harness.ts";

beforeAll(async () => {
  await buildStack("dev", { operatorCidr: "203.0.113.7/32", operatorPort: "22" });
});

it("opens only the configured operator /32, on one port, and nothing else", () => {
  const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
  expect(rules).toHaveLength(1);
  expect(rules[0]!.inputs).toMatchObject({ cidrIpv4: "203.0.113.7/32", ipProtocol: "tcp", fromPort: 22, toPort: 22 });
  expect(rules[0]!.inputs.cidrIpv6).toBeUndefined();
  expect(one("aws:ec2/securityGroup:SecurityGroup").inputs.ingress ?? []).toEqual([]);
});
