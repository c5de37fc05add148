/**
 * The three answers as a short Markdown report, from the warehouse, with the shared SQL.
 */
import { QUESTIONS, type QuestionKey } from "@defi-sentiment/shared";
import type { Row, Warehouse } from "./warehouse.ts";

const pct = (x: unknown) => `${(Number(x) * 100).toFixed(1)} %`;
const num = (x: unknown) => (x === null || x === undefined ? "–" : Number(x).toLocaleString("en-US"));

/** Markdown table; cell text is escaped so user-written fields cannot break the table. */
export function markdownTable(rows: Row[], columns: [key: string, title: string, format?: (v: unknown) => string][]): string {
  if (rows.length === 0) return "_no data_";
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
  const head = `| ${columns.map(([, t]) => t).join(" | ")} |\n|${columns.map(() => "---").join("|")}|`;
  const body = rows.map((r) => `| ${columns.map(([k, , f]) => esc(f ? f(r[k]) : String(r[k] ?? "–"))).join(" | ")} |`);
  return [head, ...body].join("\n");
}

export interface ReportAnswers {
  overview: Row;
  sentimentShare: Row[];
  sentimentDaily: Row[];
  influencersByPosts: Row[];
  influencersByFollowers: Row[];
  influencersByEngagement: Row[];
  countries: Row[];
  unresolvedLocations: Row[];
}

export async function collectAnswers(wh: Warehouse, source?: string): Promise<ReportAnswers> {
  const ask = (k: QuestionKey) => wh.ask(k, source);
  const [overview] = await ask("overview");
  return {
    overview: overview ?? {},
    sentimentShare: await ask("sentimentShare"),
    sentimentDaily: await ask("sentimentDaily"),
    influencersByPosts: await ask("influencersByPosts"),
    influencersByFollowers: await ask("influencersByFollowers"),
    influencersByEngagement: await ask("influencersByEngagement"),
    countries: await ask("countries"),
    unresolvedLocations: await ask("unresolvedLocations"),
  };
}

export function renderReport(a: ReportAnswers, top = 10): string {
  const o = a.overview;
  const posts = Number(o.posts ?? 0);
  if (posts === 0) return "# DeFi sentiment report\n\nThe table is empty: nothing has been collected yet.\n";
  const share = (n: unknown) => pct(Number(n) / posts);
  const influencerCols: [string, string, ((v: unknown) => string)?][] = [
    ["username", "author"],
    ["posts", "posts", num],
    ["followers", "followers (latest)", num],
    ["engagement", "engagement", num],
    ["avg_score", "avg sentiment"],
  ];
  return `# DeFi sentiment report

${num(posts)} posts by ${num(o.authors)} authors, ${String(o.first_post_at)} to ${String(o.last_post_at)}.

## ${QUESTIONS.sentimentShare.title}

Positive ${share(o.positive)} (${num(o.positive)}), neutral ${share(o.neutral)} (${num(o.neutral)}), negative ${share(o.negative)} (${num(o.negative)}); mean score ${String(o.avg_score)}.

${markdownTable(a.sentimentDaily, [
  ["day", "day"],
  ["posts", "posts", num],
  ["positive", "positive", num],
  ["neutral", "neutral", num],
  ["negative", "negative", num],
  ["avg_score", "avg score"],
])}

## Who are the major influencers?

### ${QUESTIONS.influencersByPosts.title}
${markdownTable(a.influencersByPosts.slice(0, top), influencerCols)}

### ${QUESTIONS.influencersByFollowers.title}
${markdownTable(a.influencersByFollowers.slice(0, top), influencerCols)}

### ${QUESTIONS.influencersByEngagement.title}
${markdownTable(a.influencersByEngagement.slice(0, top), influencerCols)}

## ${QUESTIONS.countries.title}

Author location unknown for ${share(o.unknown_location)} of posts.

${markdownTable(a.countries.slice(0, top), [
  ["country", "country"],
  ["posts", "posts", num],
  ["share", "share", pct],
])}

Most common locations that name no country:

${markdownTable(a.unresolvedLocations.slice(0, top), [
  ["location", "location"],
  ["posts", "posts", num],
])}
`;
}
