/**
 * The word → valence table the scorer reads: the general AFINN-165 (financial-market-news edition)
 * list, overridden by our domain vocabulary, with inflections of our words expanded once at
 * start-up by compromise (never per post).
 */
import afinnPackage from "afinn-165-financialmarketnews";
import nlp from "compromise/two";
import { DOMAIN_PHRASES, DOMAIN_WORDS, INTENSIFIERS, NEGATORS } from "./domain-lexicon.ts";

/** General-list words that are neutral in market talk ("shares", "interest", "gross margin"). */
const NEUTRAL_IN_MARKETS = [
  "share", "shares", "shared", "interest", "interested", "gross", "united", "demand", "alert", "alerts", "stake",
  "stakes", "capital", "credit", "fund", "funds", "futures", "question", "questions", "pretty", "like", "likes",
  "please", "care", "top", "well", "free", "cover", "trade", "trading", "block", "charge", "charges", "reach",
];

// compromise's own conjugation and pluralisation rules, called directly (no tagging): ~300 words in a few ms.
const WORLD = nlp.world() as unknown as {
  model: unknown;
  methods: { two: { transform: { verb: { conjugate(w: string, m: unknown): Record<string, string> }; noun: { toPlural(w: string, m: unknown): string } } } };
};

function inflectionsOf(word: string): string[] {
  if (!/^[a-z]+$/.test(word) || word.length < 3) return [];
  const { verb, noun } = WORLD.methods.two.transform;
  const forms = [...Object.values(verb.conjugate(word, WORLD.model)), noun.toPlural(word, WORLD.model)];
  return forms.filter((f) => typeof f === "string" && /^[a-z]+$/.test(f) && f !== word);
}

/** Scale of the general list relative to ours (AFINN is -5..5, ours -4..4). */
const GENERAL_WEIGHT = 0.75;

export interface SentimentLexicon {
  words: Map<string, number>;
  /** phrase → valence, keyed by first word for a fast check. */
  phrases: Map<string, { words: string[]; valence: number }[]>;
  /** Every word of every phrase, so an elongated "zerooo" can be folded to the "zero" of "to zero". */
  phraseWords: Set<string>;
}

export function buildSentimentLexicon(): SentimentLexicon {
  const words = new Map<string, number>();
  for (const [w, v] of Object.entries(afinnPackage.afinn165FinancialMarketNews)) {
    if (!w.includes(" ")) words.set(w, v * GENERAL_WEIGHT);
  }
  for (const w of NEUTRAL_IN_MARKETS) words.delete(w);
  words.set("like", 0.6);
  words.set("likes", 0.6);
  for (const n of NEGATORS) words.delete(n);
  for (const i of Object.keys(INTENSIFIERS)) words.delete(i);
  // the general list is mostly singular ("idiot", not "idiots"): plain -s plurals take the same valence
  for (const [w, v] of [...words]) if (/^[a-z]{3,}[^s]$/.test(w) && !words.has(`${w}s`)) words.set(`${w}s`, v);
  const ours = Object.entries(DOMAIN_WORDS).filter(([w]) => !w.endsWith("_"));
  for (const [w, v] of ours) {
    for (const form of inflectionsOf(w)) if (!(form in DOMAIN_WORDS)) words.set(form, v);
  }
  for (const [w, v] of ours) words.set(w, v);
  const phrases = new Map<string, { words: string[]; valence: number }[]>();
  for (const [p, v] of Object.entries(DOMAIN_PHRASES)) {
    const ws = p.split(" ");
    if (ws.length < 2) continue;
    const list = phrases.get(ws[0]!) ?? [];
    list.push({ words: ws, valence: v });
    list.sort((a, b) => b.words.length - a.words.length);
    phrases.set(ws[0]!, list);
  }
  const phraseWords = new Set([...phrases.values()].flatMap((list) => list.flatMap((p) => p.words)));
  return { words, phrases, phraseWords };
}
