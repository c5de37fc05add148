/**
 * Everything the page shows, answered by the shared questions over the filtered source, with a
 * small cache that the change watcher empties whenever the table changes.
 */
import { QUESTIONS, SCORED_TABLE_NAME, type QuestionKey } from "@defi-sentiment/shared";
import type { Row, Warehouse } from "@defi-sentiment/lake";
import { FILTERED_SOURCE, filteredSource, viewFilterKey, type ViewFilter } from "./core/view-filter.ts";

/** The questions behind the page, in the order the API returns them. */
export const DASHBOARD_QUESTIONS = [
  "overview",
  "sentimentShare",
  "sentimentDaily",
  "sentimentHourly",
  "influencersByPosts",
  "influencersByFollowers",
  "influencersByEngagement",
  "countries",
  "unresolvedLocations",
  "topCashtags",
  "topHashtags",
  "topProtocols",
  "samplePosts",
] as const satisfies readonly QuestionKey[];

export type DashboardQuestion = (typeof DASHBOARD_QUESTIONS)[number];

export interface DashboardAnswers {
  filter: ViewFilter;
  /** Rule tags present in the whole table (for the filter menu). */
  ruleTags: Row[];
  answers: Record<DashboardQuestion, Row[]>;
  /** Milliseconds spent in DuckDB for this answer (0 when served from cache). */
  queryMs: number;
  computedAt: string;
}

/** Runs a shared question over the filtered table, with the filter values bound as parameters. */
export async function askFiltered(wh: Warehouse, key: QuestionKey, filter: ViewFilter): Promise<Row[]> {
  const { cte, params } = filteredSource(filter);
  return wh.query(`${cte}\n${QUESTIONS[key].sql(FILTERED_SOURCE)}`, params);
}

export async function computeDashboardAnswers(wh: Warehouse, filter: ViewFilter): Promise<DashboardAnswers> {
  const started = performance.now();
  const answers = {} as Record<DashboardQuestion, Row[]>;
  for (const key of DASHBOARD_QUESTIONS) answers[key] = await askFiltered(wh, key, filter);
  const ruleTags = await wh.ask("ruleTags", SCORED_TABLE_NAME);
  return { filter, ruleTags, answers, queryMs: Math.round(performance.now() - started), computedAt: new Date().toISOString() };
}

/** Answers per filter, computed once per table version; concurrent identical requests share one computation. */
export class AnswerCache {
  private readonly entries = new Map<string, Promise<DashboardAnswers>>();
  /** How long the latest computation took in DuckDB. */
  lastComputeMs = 0;
  constructor(
    private readonly wh: Warehouse,
    private readonly maxEntries = 32,
  ) {}

  get(filter: ViewFilter): Promise<DashboardAnswers> {
    const key = viewFilterKey(filter);
    const hit = this.entries.get(key);
    if (hit) return hit.then((a) => ({ ...a, queryMs: 0 }));
    const pending = computeDashboardAnswers(this.wh, filter);
    this.entries.set(key, pending);
    pending.then((a) => (this.lastComputeMs = a.queryMs), () => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }
}
