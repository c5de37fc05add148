/**
 * The compliance check's success heartbeat: after each successful run the wrapper on the collector
 * host publishes one data point, and an alarm fires when none arrived for a day and a bit. The
 * namespace is per stack (from the name prefix) so the instance role's `cloudwatch:PutMetricData`
 * can be scoped to it with the `cloudwatch:namespace` condition key.
 */

export const COMPLIANCE_SUCCESS_METRIC = "ComplianceCheckSucceeded";

/** The one namespace the policy, the wrapper and the alarm use, e.g. `defi-sentiment-dev/lifecycle`. */
export function lifecycleMetricNamespace(namePrefix: string): string {
  // CloudWatch reserves `AWS/`; the config's prefix is lowercase, so it can never start with it.
  if (!/^[a-z][a-z0-9-]*$/.test(namePrefix)) throw new RangeError(`lifecycleMetricNamespace: namePrefix ${JSON.stringify(namePrefix)} is not a plain lowercase name`);
  return `${namePrefix}/lifecycle`;
}
