/** The npm peers, each as (text) → { label, score }, with their documented thresholds. */
import { createRequire } from "node:module";
import type { Label } from "./metrics.ts";

const require = createRequire(import.meta.url);
const vader = require("vader-sentiment") as { SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } } };
const Sentiment = require("sentiment") as new () => { analyze(t: string): { score: number; comparative: number } };
const wink = require("wink-sentiment") as (t: string) => { normalizedScore: number };

export type Scorer = (text: string) => { label: Label; score: number };

const bySign = (s: number, band = 0): Label => (s > band ? "positive" : s < -band ? "negative" : "neutral");
const afinn = new Sentiment();

export const PEERS: Record<string, Scorer> = {
  "vader-sentiment": (t) => {
    const s = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
    return { label: s >= 0.05 ? "positive" : s <= -0.05 ? "negative" : "neutral", score: s };
  },
  sentiment: (t) => {
    const r = afinn.analyze(t);
    return { label: bySign(r.score), score: r.comparative };
  },
  "wink-sentiment": (t) => {
    const s = wink(t).normalizedScore;
    return { label: bySign(s), score: s };
  },
};
