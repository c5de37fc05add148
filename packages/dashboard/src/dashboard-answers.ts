/**
 * Everything the page shows, answered by the shared questions over the filtered source, with a
 * small cache that the change watcher empties whenever the table changes.
 */
import { QUESTIONS, SCORED_TABLE_NAME, type QuestionKey } from "@defi-sentiment/shared";
import type { Row, Warehouse } from "@defi-sentiment/lake";
import { FILTERED_SOURCE, filteredSource, viewFilterKey, type ViewFilter } from "./core/view-filter.ts";

/** The questions behind the page's charts and headline: answered first, so the charts draw early. */
export const CHART_QUESTIONS = [
  "overview",
  "sentimentShare",
  "sentimentDaily",
  "sentimentHourly",
  "countries",
  "topCashtags",
  "topHashtags",
  "topProtocols",
] as const satisfies readonly QuestionKey[];

/** The questions behind the page's lists (influencers, locations, sample posts). */
export const LIST_QUESTIONS = [
  "influencersByPosts",
  "influencersByFollowers",
  "influencersByEngagement",
  "unresolvedLocations",
  "samplePosts",
] as const satisfies readonly QuestionKey[];

/** Every question behind the page. */
export const DASHBOARD_QUESTIONS = [...CHART_QUESTIONS, ...LIST_QUESTIONS] as const;

export type DashboardQuestion = (typeof DASHBOARD_QUESTIONS)[number];

/** Which questions one API call answers: `charts`, `lists`, or `all`. */
export const ANSWER_PARTS = ["all", "charts", "lists"] as const;
export type AnswerPart = (typeof ANSWER_PARTS)[number];
const PART_QUESTIONS: Record<AnswerPart, readonly DashboardQuestion[]> = {
  all: DASHBOARD_QUESTIONS,
  charts: CHART_QUESTIONS,
  lists: LIST_QUESTIONS,
};

export interface DashboardAnswers {
  filter: ViewFilter;
  part: AnswerPart;
  /** Rule tags present in the whole table (for the filter menu); with `all` and `charts`. */
  ruleTags: Row[];
  /** The part's questions, each answered by its shared SQL over the filtered table. */
  answers: Partial<Record<DashboardQuestion, Row[]>>;
  /** Milliseconds spent in DuckDB for this answer (0 when served from cache). */
  queryMs: number;
  computedAt: string;
}

/**
 * Runs a shared question over the filtered table, with the filter values bound as parameters.
 * Unfiltered, the warehouse answers (from its rollups where it keeps them).
 */
export async function askFiltered(wh: Warehouse, key: QuestionKey, filter: ViewFilter): Promise<Row[]> {
  if (viewFilterKey(filter) === "") return wh.ask(key);
  const { cte, params } = filteredSource(filter);
  return wh.query(`${cte}\n${QUESTIONS[key].sql(FILTERED_SOURCE)}`, params);
}

export async function computeDashboardAnswers(wh: Warehouse, filter: ViewFilter, part: AnswerPart = "all"): Promise<DashboardAnswers> {
  const started = performance.now();
  const answers: Partial<Record<DashboardQuestion, Row[]>> = {};
  for (const key of PART_QUESTIONS[part]) answers[key] = await askFiltered(wh, key, filter);
  const ruleTags = part === "lists" ? [] : await wh.ask("ruleTags", SCORED_TABLE_NAME);
  return { filter, part, ruleTags, answers, queryMs: Math.round(performance.now() - started), computedAt: new Date().toISOString() };
}

interface CacheEntry {
  filter: ViewFilter;
  part: AnswerPart;
  answers: Promise<DashboardAnswers>;
  /** Refresh generation the answers belong to. */
  generation: number;
}

/**
 * Answers per filter and part. Identical requests share one computation, and computations run
 * one at a time in arrival order (so the page's chart answers, asked first, are not slowed down by
 * its list answers). When the table changes, `refresh()` recomputes the answers pages are looking
 * at before anyone is told, so a reload after a change is served from memory, never cold.
 */
export class AnswerCache {
  private entries = new Map<string, CacheEntry>();
  private readonly computeMs = new Map<AnswerPart, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private generation = 0;
  constructor(
    private readonly wh: Warehouse,
    private readonly maxEntries = 32,
  ) {}

  /** DuckDB time of the latest page worth of answers (charts + lists, or all). */
  get lastComputeMs(): number {
    return Math.max(this.computeMs.get("all") ?? 0, (this.computeMs.get("charts") ?? 0) + (this.computeMs.get("lists") ?? 0));
  }

  private compute(filter: ViewFilter, part: AnswerPart): Promise<DashboardAnswers> {
    const pending = this.queue.then(() => computeDashboardAnswers(this.wh, filter, part));
    this.queue = pending.catch(() => {});
    pending.then((a) => this.computeMs.set(part, a.queryMs), () => {});
    return pending;
  }

  get(filter: ViewFilter, part: AnswerPart = "all"): Promise<DashboardAnswers> {
    const key = `${part}?${viewFilterKey(filter)}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // keep the map in least-recently-used order
      this.entries.set(key, hit);
      return hit.answers.then((a) => ({ ...a, queryMs: 0 }));
    }
    const entry: CacheEntry = { filter, part, answers: this.compute(filter, part), generation: this.generation };
    this.entries.set(key, entry);
    entry.answers.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry.answers;
  }

  /**
   * Recomputes the `keep` most recently used answers against the table as it is now and swaps
   * them in; older answers are dropped. Answers asked for meanwhile are computed after, so fresh.
   */
  async refresh(keep = 8): Promise<void> {
    const generation = ++this.generation;
    const recent = [...this.entries.entries()].filter(([, e]) => e.generation < generation).slice(-keep);
    const fresh = await Promise.all(
      recent.map(([key, e]) => this.compute(e.filter, e.part).then((answers) => ({ key, e, answers }), () => null)),
    );
    for (const [key, e] of this.entries) if (e.generation < generation) this.entries.delete(key);
    for (const r of fresh)
      if (r && !this.entries.has(r.key)) this.entries.set(r.key, { ...r.e, answers: Promise.resolve(r.answers), generation });
  }

  /** Drops every answer: the next request computes afresh. */
  clear(): void {
    this.entries.clear();
  }
}
