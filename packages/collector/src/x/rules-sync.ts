/**
 * Brings X's filtered-stream rules in line with configuration: deletes the stale ones, adds the
 * missing ones, and reports X's rule errors (which arrive inside HTTP 200 with `errors[]` and
 * `meta.summary.invalid`).
 */
import { planRuleSync, type ExistingRule, type RulePlan, type StreamRule } from "../core/rules-plan.ts";
import type { RuleProblem, XClient } from "./x-client.ts";

export interface RuleSyncReport {
  dryRun: boolean;
  plan: RulePlan;
  added: ExistingRule[];
  deleted: number;
  invalid: number;
  problems: RuleProblem[];
}

export class RuleSyncError extends Error {
  override name = "RuleSyncError";
  constructor(readonly report: RuleSyncReport) {
    super(
      `X rejected ${report.invalid} stream rule(s): ` +
        report.problems.map((p) => `${JSON.stringify(p.value ?? p.id ?? "?")}: ${p.title}${p.details.length ? ` (${p.details.join("; ")})` : ""}`).join(" | "),
    );
  }
}

export async function syncRules(client: XClient, desired: readonly StreamRule[], options: { dryRun?: boolean } = {}): Promise<RuleSyncReport> {
  const dryRun = options.dryRun ?? false;
  const plan = planRuleSync(desired, await client.listRules());
  const report: RuleSyncReport = { dryRun, plan, added: [], deleted: 0, invalid: 0, problems: [] };
  if (plan.delete.length) {
    const r = await client.deleteRules(plan.delete.map((x) => x.id), dryRun);
    report.deleted = dryRun ? plan.delete.length : r.deleted;
    report.problems.push(...r.problems);
  }
  if (plan.add.length) {
    const r = await client.addRules(plan.add, dryRun);
    report.added = r.created;
    report.invalid = r.invalid;
    report.problems.push(...r.problems);
  }
  return report;
}
