/** Calls a policy's validators the way the policy engine does (RUNTIME-NOTES §1), collecting violations. */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/** Runs one policy on one resource, the way the policy engine calls it; returns the violations. */
export async function violationsOf(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>): Promise<string[]> {
  const violations: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:test::defi-sentiment::${type}::r`,
    name: "r",
    opts: {},
    isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === type,
    asType: (cls: { __pulumiType?: string }) => (cls.__pulumiType === type ? props : undefined),
    getConfig: () => ({}),
    notApplicable: (reason?: string) => {
      throw { notApplicable: reason };
    },
  } as unknown as ResourceValidationArgs;
  const validators = ([] as NonNullable<ResourceValidationPolicy["validateResource"]>[]).concat(policy.validateResource ?? []).flat();
  for (const v of validators) {
    try {
      await v(args, (msg) => violations.push(msg ?? policy.name));
    } catch (e) {
      if (!(e && typeof e === "object" && "notApplicable" in e)) throw e;
    }
  }
  return violations;
}

