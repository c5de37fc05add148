/** `estimate`: volume and cost of the rule set from X's recent counts, before collecting. */
import { estimateFromCounts, type BudgetLimits, type VolumeEstimate } from "../core/budget.ts";
import type { SearchQuery } from "../sources/search-backfill.ts";
import type { XClient } from "./x-client.ts";

export interface RuleSetEstimate extends VolumeEstimate {
  queries: { tags: string[]; postsInWindow: number; postsPerDay: number }[];
}

/** Counts each query (a post matching two queries is counted twice, as it would be read twice). */
export async function estimateRuleSet(client: XClient, queries: SearchQuery[], limits: BudgetLimits): Promise<RuleSetEstimate> {
  const per: { tags: string[]; buckets: { start: string; end: string; count: number }[] }[] = [];
  for (const q of queries) per.push({ tags: q.tags, buckets: (await client.countsRecent(q.query)).days });
  const span = per[0]?.buckets ?? [];
  const merged = span.map((b, i) => ({ ...b, count: per.reduce((s, p) => s + (p.buckets[i]?.count ?? 0), 0) }));
  return {
    ...estimateFromCounts(merged, limits),
    queries: per.map((p) => {
      const e = estimateFromCounts(p.buckets, limits);
      return { tags: p.tags, postsInWindow: e.postsInWindow, postsPerDay: e.postsPerDay };
    }),
  };
}
