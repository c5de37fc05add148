/**
 * Entities of a post: cashtags, hashtags, mentions, link domains and DeFi protocols. X's own
 * entity lists are merged with what the text shows (long posts, replays without entities).
 */
import type { Post } from "@defi-sentiment/shared";
import { DEFI_CONTEXT_WORDS, DEFI_PROTOCOLS, type DefiProtocol } from "./defi-protocols.ts";

export interface PostEntities {
  cashtags: string[];
  hashtags: string[];
  mentions: string[];
  protocols: string[];
  domains: string[];
}

const byTicker = new Map<string, DefiProtocol>();
const byHandle = new Map<string, DefiProtocol>();
const byDomain = new Map<string, DefiProtocol>();
const bySpelling = new Map<string, DefiProtocol>();
for (const p of DEFI_PROTOCOLS) {
  for (const t of p.tickers) byTicker.set(t, p);
  for (const h of p.handles) byHandle.set(h.toLowerCase(), p);
  for (const d of p.domains) byDomain.set(d, p);
  for (const s of p.spellings) bySpelling.set(s, p);
}
let maxSpellingWords = 1;
/** Any spelling as a bare substring: one cheap test lets most posts skip the word scan. */
const ANY_SPELLING = new RegExp([...new Set([...bySpelling.keys()].map((k) => k.split(" ")[0]!))].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"));
/** First words of multi-word spellings ("curve" of "curve finance"), so n-grams are built only there. */
const phraseStarts = new Set<string>();
for (const k of bySpelling.keys()) {
  const words = k.split(" ");
  maxSpellingWords = Math.max(maxSpellingWords, words.length);
  if (words.length > 1) phraseStarts.add(words[0]!);
}
const CASHTAG = /(?<![\p{L}\p{N}$])\$([A-Za-z][A-Za-z0-9]{0,11})(?:\.X)?(?![\p{L}\p{N}])/gu;
const HASHTAG = /(?<![\p{L}\p{N}&#])#([\p{L}\p{N}_]+)/gu;
const MENTION = /(?<![\p{L}\p{N}_@])@([A-Za-z0-9_]{1,15})/gu;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gu;
/** Words, keeping inner dots ("curve.fi", "jup.ag"); a preceding $, #, @ or / marks a non-word. */
const NON_WORD = /[^\p{L}\p{N}.$#@/]+/u;

function domainOf(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^www\./, "");
    return host && host !== "t.co" ? host : null;
  } catch {
    return null;
  }
}

function protocolOfDomain(host: string): DefiProtocol | undefined {
  for (let h = host; h.includes("."); h = h.slice(h.indexOf(".") + 1)) {
    const p = byDomain.get(h);
    if (p) return p;
  }
  return undefined;
}

/** Adds each value once, in first-seen order. */
function addUnique(out: string[], values: Iterable<string>): void {
  for (const v of values) if (v && !out.includes(v)) out.push(v);
}

/** The `group` (or whole match) of every match of `re` in `text`; scanned only when `marker` occurs. */
function matchesOf(text: string, re: RegExp, marker: string): string[] {
  if (!text.includes(marker)) return [];
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[1] ?? m[0]);
  return out;
}

/** Words of the text with inner dots kept ("curve.fi"); pieces led by $, #, @ or holding a / are not words. */
function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(NON_WORD)) {
    if (!piece) continue;
    const c = piece.charCodeAt(0);
    if (c === 36 /* $ */ || c === 35 /* # */ || c === 64 /* @ */ || piece.includes("/")) continue;
    let a = 0;
    let b = piece.length;
    while (a < b && piece.charCodeAt(a) === 46 /* . */) a++;
    while (b > a && piece.charCodeAt(b - 1) === 46) b--;
    if (b > a) out.push(a === 0 && b === piece.length ? piece : piece.slice(a, b));
  }
  return out;
}

const CAPITALISED = /^\p{Lu}/u;

/**
 * @example extractEntities(post) // { cashtags: ["ETH"], hashtags: ["DeFi"], mentions: ["aave"], protocols: ["Aave"], domains: ["aave.com"] }
 */
export function extractEntities(post: Post): PostEntities {
  const text = post.text;
  const cashtags: string[] = [];
  for (const c of [post.cashtags, matchesOf(text, CASHTAG, "$")]) addUnique(cashtags, c.map(normaliseCashtag));
  const hashtags: string[] = [];
  for (const h of [post.hashtags, matchesOf(text, HASHTAG, "#")]) addUnique(hashtags, h.map((x) => (x.startsWith("#") ? x.slice(1) : x)));
  const mentions: string[] = [];
  for (const m of [post.mentions, matchesOf(text, MENTION, "@")]) addUnique(mentions, m.map((x) => (x.startsWith("@") ? x.slice(1) : x)));
  const domains: string[] = [];
  for (const u of [post.urls, matchesOf(text, URL_IN_TEXT, "http")]) for (const url of u) addUnique(domains, [domainOf(url) ?? ""]);

  const protocols = new Set<string>();
  for (const c of cashtags) {
    const p = byTicker.get(c);
    if (p) protocols.add(p.name);
  }
  for (const m of mentions) {
    const p = byHandle.get(m.toLowerCase());
    if (p) protocols.add(p.name);
  }
  for (const d of domains) {
    const p = protocolOfDomain(d);
    if (p) protocols.add(p.name);
  }
  const lowerText = text.toLowerCase();
  const written = ANY_SPELLING.test(lowerText) ? wordsOf(text) : [];
  const lower = lowerText === text ? written : written.map((w) => w.toLowerCase());
  let context: boolean | undefined;
  for (let i = 0; i < lower.length; i++) {
    const longest = phraseStarts.has(lower[i]!) ? Math.min(maxSpellingWords, lower.length - i) : 1;
    for (let n = longest; n >= 1; n--) {
      const spelling = n === 1 ? lower[i]! : lower.slice(i, i + n).join(" ");
      const p = bySpelling.get(spelling);
      if (!p) continue;
      if (!protocols.has(p.name) && p.ordinaryWords?.includes(spelling)) {
        // an ordinary word counts only capitalised, next to DeFi talk or a cashtag
        if (!CAPITALISED.test(written[i]!)) break;
        context ??= cashtags.length > 0 || lower.some((w) => DEFI_CONTEXT_WORDS.has(w));
        if (!context) break;
      }
      protocols.add(p.name);
      i += n - 1;
      break;
    }
  }
  return { cashtags, hashtags, mentions, protocols: [...protocols], domains };
}

function normaliseCashtag(c: string): string {
  const upper = c.toUpperCase();
  return upper.endsWith(".X") ? upper.slice(0, -2) : upper;
}
