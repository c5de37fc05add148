/**
 * The QuickSight dashboard as data: three sheets answering the three questions, each visual over
 * one question view. Column names come from VIEW_COLUMNS, so a visual cannot name a column the
 * view does not have (dashboard-definition.test.ts checks every reference).
 */
import { QUESTIONS, type QuestionKey } from "@defi-sentiment/shared";

/** The views the dashboard reads (one QuickSight data set each). */
export const DASHBOARD_VIEWS = [
  "sentimentShare",
  "sentimentDaily",
  "influencersByPosts",
  "influencersByFollowers",
  "influencersByEngagement",
  "countries",
] as const satisfies readonly QuestionKey[];
export type DashboardView = (typeof DASHBOARD_VIEWS)[number];

/** Data set identifier used inside the definition (the view name). */
export const dataSetIdentifier = (v: DashboardView) => QUESTIONS[v].name;

const col = (v: DashboardView, columnName: string) => ({ dataSetIdentifier: dataSetIdentifier(v), columnName });
const title = (text: string) => ({ visibility: "VISIBLE" as const, formatText: { plainText: text } });
const sum = (v: DashboardView, c: string) => ({
  numericalMeasureField: { fieldId: `${v}.${c}.sum`, column: col(v, c), aggregationFunction: { simpleNumericalAggregation: "SUM" as const } },
});
const category = (v: DashboardView, c: string) => ({ categoricalDimensionField: { fieldId: `${v}.${c}`, column: col(v, c) } });

function barChart(id: string, v: DashboardView, cat: string, values: string[]) {
  return {
    barChartVisual: {
      visualId: id,
      title: title(QUESTIONS[v].title),
      chartConfiguration: {
        orientation: "HORIZONTAL" as const,
        barsArrangement: "CLUSTERED" as const,
        fieldWells: { barChartAggregatedFieldWells: { category: [category(v, cat)], values: values.map((c) => sum(v, c)) } },
      },
    },
  };
}

function table(id: string, v: DashboardView, columns: string[]) {
  return {
    tableVisual: {
      visualId: id,
      title: title(QUESTIONS[v].title),
      chartConfiguration: {
        fieldWells: {
          tableUnaggregatedFieldWells: { values: columns.map((c) => ({ fieldId: `${v}.${c}.raw`, column: col(v, c) })) },
        },
      },
    },
  };
}

function dailyTrend(id: string) {
  const v = "sentimentDaily" as const;
  return {
    lineChartVisual: {
      visualId: id,
      title: title(QUESTIONS[v].title),
      chartConfiguration: {
        type: "LINE" as const,
        fieldWells: {
          lineChartAggregatedFieldWells: {
            category: [{ dateDimensionField: { fieldId: `${v}.day`, column: col(v, "day"), dateGranularity: "DAY" as const } }],
            values: ["positive", "neutral", "negative"].map((c) => sum(v, c)),
          },
        },
      },
    },
  };
}

const influencerColumns = ["username", "posts", "followers", "engagement", "avg_score", "positive", "negative"];

/**
 * The full definition; `dataSetArns` maps each dashboard view to its QuickSight data set ARN. Its
 * shape is checked against aws-native's `DashboardVersionDefinitionArgs` where the component uses it.
 */
export function dashboardDefinition<T>(dataSetArns: Record<DashboardView, T>) {
  return {
    dataSetIdentifierDeclarations: DASHBOARD_VIEWS.map((v) => ({ identifier: dataSetIdentifier(v), dataSetArn: dataSetArns[v] })),
    sheets: [
      {
        sheetId: "sentiment",
        name: "Sentiment",
        title: "Is sentiment about DeFi positive?",
        visuals: [barChart("sentiment-share", "sentimentShare", "sentiment_label", ["posts"]), dailyTrend("sentiment-daily")],
      },
      {
        sheetId: "influencers",
        name: "Influencers",
        title: "Who are the major influencers?",
        visuals: [
          table("influencers-by-posts", "influencersByPosts", influencerColumns),
          table("influencers-by-followers", "influencersByFollowers", influencerColumns),
          table("influencers-by-engagement", "influencersByEngagement", influencerColumns),
        ],
      },
      {
        sheetId: "countries",
        name: "Countries",
        title: "Where do posts come from? ('unknown' = no country resolved)",
        visuals: [barChart("countries-posts", "countries", "country", ["posts"]), table("countries-share", "countries", ["country", "posts", "share"])],
      },
    ],
  };
}
