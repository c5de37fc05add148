/**
 * Sentiment of one text: a label and a score in [-1, 1]. First version: a small lexicon.
 */
import type { SentimentLabel } from "@defi-sentiment/shared";

const WORDS: Record<string, number> = {
  good: 2, great: 3, bullish: 3, moon: 3, pump: 2, love: 3, win: 2, gain: 2, gains: 2, up: 1,
  bad: -2, bearish: -3, rekt: -3, rug: -3, dump: -2, hack: -3, hacked: -3, exploit: -3, scam: -3, loss: -2, down: -1,
};

export interface TextSentiment {
  label: SentimentLabel;
  score: number;
}

export function scoreText(text: string): TextSentiment {
  let sum = 0;
  for (const w of text.toLowerCase().split(/[^a-z]+/)) sum += WORDS[w] ?? 0;
  const score = sum / Math.sqrt(sum * sum + 15);
  return { label: score > 0.05 ? "positive" : score < -0.05 ? "negative" : "neutral", score };
}
