/** Builds the whole stack under mocks from a committed `Pulumi.<stack>.yaml` (plus overrides). */
import * as pulumi from "@pulumi/pulumi";
import { configSource, installMocks, resourcesIn, settle, stackConfig } from "./pulumi-harness.ts";
import type { InfraConfig } from "../src/config.ts";
import type { InfraStack } from "../src/program.ts";

export const TEST_TOKEN = "xtok-AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA-secret-fixture";

export async function buildStack(
  stack: "dev" | "prod",
  overrides: Record<string, string | undefined> = {},
): Promise<{ infra: InfraStack; cfg: InfraConfig }> {
  await installMocks(stack);
  const { parseInfraConfig } = await import("../src/config.ts");
  const { createInfra } = await import("../src/program.ts");
  const cfg = parseInfraConfig(configSource(stackConfig(stack), overrides));
  const infra = createInfra(cfg, pulumi.secret(TEST_TOKEN));
  await settle(resourcesIn(infra));
  return { infra, cfg };
}
