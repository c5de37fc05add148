/**
 * Entities of a post: cashtags, hashtags, mentions, link domains and DeFi protocols. X's own
 * entity lists are merged with what the text shows (long posts, replays without entities).
 */
import type { Post } from "@defi-sentiment/shared";
import { DEFI_CONTEXT_WORDS, DEFI_PROTOCOLS, type DefiProtocol } from "./defi-protocols.ts";
import { isUpperAscii } from "./ascii.ts";
import { StringTable } from "./string-table.ts";

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
/**
 * Each word that is a spelling or the first word of one ("curve" of "curve finance"): what it spells
 * alone, and whether n-grams must be built there. One lookup per word of the text.
 */
const byFirstWord = new Map<string, { alone: DefiProtocol | undefined; startsPhrase: boolean }>();
for (const k of bySpelling.keys()) {
  const words = k.split(" ");
  maxSpellingWords = Math.max(maxSpellingWords, words.length);
  const entry = byFirstWord.get(words[0]!) ?? { alone: bySpelling.get(words[0]!), startsPhrase: false };
  if (words.length > 1) entry.startsPhrase = true;
  byFirstWord.set(words[0]!, entry);
}
const byFirstWordTable = new StringTable(byFirstWord);
const bySpellingTable = new StringTable(bySpelling);
const CASHTAG = /(?<![\p{L}\p{N}$])\$([A-Za-z][A-Za-z0-9]{0,11})(?:\.X)?(?![\p{L}\p{N}])/gu;
const HASHTAG = /(?<![\p{L}\p{N}&#])#([\p{L}\p{N}_]+)/gu;
const MENTION = /(?<![\p{L}\p{N}_@])@([A-Za-z0-9_]{1,15})/gu;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gu;

/**
 * A lower-case ASCII host whose labels start with a letter, then the end or the path: the WHATWG
 * parser returns such a host unchanged (no IPv4 number, mapping or port), unless a label is punycode.
 */
const PLAIN_HOST = /^https?:\/\/((?:[a-z][a-z0-9-]*\.)*[a-z][a-z0-9-]*)(?:[/?#]|$)/;

/** A link's host without "www.", or null for X's t.co wrappers and links that are not URLs. */
export function domainOf(url: string): string | null {
  // most links in posts are X's own t.co wrappers: no URL parse needed to know the host
  if (url.startsWith("https://t.co/") || url.startsWith("http://t.co/")) return null;
  const plain = PLAIN_HOST.exec(url)?.[1];
  if (plain !== undefined && !plain.includes("xn--")) {
    const host = plain.startsWith("www.") ? plain.slice(4) : plain;
    return host !== "t.co" ? host : null;
  }
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

/** Adds a value once, in first-seen order. */
function addUnique(out: string[], v: string): void {
  if (v && !out.includes(v)) out.push(v);
}

/** Adds `map` of the `group` (or whole match) of every match of `re` in `text`; scanned only when `marker` occurs. */
function addMatches(out: string[], text: string, re: RegExp, marker: string, map: (s: string) => string): void {
  if (!text.includes(marker)) return;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) addUnique(out, map(m[1] ?? m[0]));
}

/** Word characters beyond ASCII (sticky, so it tests one code point in place). */
const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}]/uy;

/**
 * Where the words of the text are, with inner dots kept ("curve.fi"); pieces led by $, #, @ or holding a / are
 * not words. Pieces are the runs of letters, digits and `.$#@/`, scanned by hand: splitting on a
 * Unicode regex cost more than the rest of the entity extraction.
 */
function wordSpans(text: string): number[] {
  const out: number[] = []; // start, end, start, end, …
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    let slash = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const isWordChar = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 46 && c <= 57) || c === 36 || c === 35 || c === 64;
        if (!isWordChar) break;
        if (c === 47 /* / */) slash = true;
        i++;
      } else {
        NON_ASCII_WORD_CHAR.lastIndex = i;
        if (!NON_ASCII_WORD_CHAR.test(text)) break;
        i = NON_ASCII_WORD_CHAR.lastIndex;
      }
    }
    if (i === start) {
      // a non-word character (a surrogate pair's halves are each non-word here, as in a /u split)
      i++;
      continue;
    }
    const c = text.charCodeAt(start);
    if (c === 36 /* $ */ || c === 35 /* # */ || c === 64 /* @ */ || slash) continue;
    let a = start;
    let b = i;
    while (a < b && text.charCodeAt(a) === 46 /* . */) a++;
    while (b > a && text.charCodeAt(b - 1) === 46) b--;
    if (b > a) out.push(a, b);
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
  for (const c of post.cashtags) addUnique(cashtags, normaliseCashtag(c));
  addMatches(cashtags, text, CASHTAG, "$", normaliseCashtag);
  const hashtags: string[] = [];
  for (const h of post.hashtags) addUnique(hashtags, withoutHash(h));
  addMatches(hashtags, text, HASHTAG, "#", withoutHash);
  const mentions: string[] = [];
  for (const m of post.mentions) addUnique(mentions, withoutAt(m));
  addMatches(mentions, text, MENTION, "@", withoutAt);
  const domains: string[] = [];
  for (const url of post.urls) addUnique(domains, domainOf(url) ?? "");
  addMatches(domains, text, URL_IN_TEXT, "http", (url) => domainOf(url) ?? "");

  // a few names at most: an array in first-seen order, not a Set
  const protocols: string[] = [];
  for (const c of cashtags) {
    const p = byTicker.get(c);
    if (p) addUnique(protocols, p.name);
  }
  for (const m of mentions) {
    const p = byHandle.get(m.toLowerCase());
    if (p) addUnique(protocols, p.name);
  }
  for (const d of domains) {
    const p = protocolOfDomain(d);
    if (p) addUnique(protocols, p.name);
  }
  const lowerText = text.toLowerCase();
  const spans = ANY_SPELLING.test(lowerText) ? wordSpans(text) : NO_SPANS;
  const words: Words = { text, lowerText, spans, aligned: lowerText.length === text.length && !text.includes("Σ") };
  const count = spans.length / 2;
  let context: boolean | undefined;
  for (let i = 0; i < count; i++) {
    // most words are no spelling: looked up in place, never sliced
    const entry = words.aligned ? byFirstWordTable.getIn(lowerText, spans[2 * i]!, spans[2 * i + 1]!) : byFirstWordTable.get(lowerWord(words, i));
    if (entry === undefined) continue;
    const longest = entry.startsPhrase ? Math.min(maxSpellingWords, count - i) : 1;
    for (let n = longest; n >= 1; n--) {
      const p = n === 1 ? entry.alone : spellingAt(words, i, n);
      if (!p) continue;
      if (!protocols.includes(p.name) && p.ordinaryWords?.includes(lowerPhrase(words, i, n))) {
        // an ordinary word counts only capitalised, next to DeFi talk or a cashtag
        if (!CAPITALISED.test(text.slice(spans[2 * i]!, spans[2 * i + 1]!))) break;
        context ??= cashtags.length > 0 || hasContextWord(words, count);
        if (!context) break;
      }
      addUnique(protocols, p.name);
      i += n - 1;
      break;
    }
  }
  return { cashtags, hashtags, mentions, protocols, domains };
}

const NO_SPANS: number[] = [];

/** The words of a text (wordSpans) and the text lowered whole. */
interface Words {
  text: string;
  lowerText: string;
  spans: number[];
  /**
   * The lowered text holds each lowered word at the same offsets unless lowering changed a length
   * (İ) or depended on context (final Σ); then words are lowered one by one.
   */
  aligned: boolean;
}

function lowerWord(words: Words, k: number): string {
  const start = words.spans[2 * k]!;
  const end = words.spans[2 * k + 1]!;
  return words.aligned ? words.lowerText.slice(start, end) : words.text.slice(start, end).toLowerCase();
}

/** Words k … k+n-1, lowered, joined by single spaces. */
function lowerPhrase(words: Words, k: number, n: number): string {
  let phrase = lowerWord(words, k);
  for (let j = 1; j < n; j++) phrase += ` ${lowerWord(words, k + j)}`;
  return phrase;
}

/** bySpelling of words k … k+n-1; read in place when they stand one space apart in the lowered text. */
function spellingAt(words: Words, k: number, n: number): DefiProtocol | undefined {
  const { spans, lowerText } = words;
  let spaced = words.aligned;
  for (let j = k; spaced && j < k + n - 1; j++) spaced = spans[2 * j + 2]! === spans[2 * j + 1]! + 1 && lowerText.charCodeAt(spans[2 * j + 1]!) === 32;
  return spaced ? bySpellingTable.getIn(lowerText, spans[2 * k]!, spans[2 * (k + n) - 1]!) : bySpelling.get(lowerPhrase(words, k, n));
}

function hasContextWord(words: Words, count: number): boolean {
  for (let k = 0; k < count; k++) if (DEFI_CONTEXT_WORDS.has(lowerWord(words, k))) return true;
  return false;
}

const withoutHash = (x: string) => (x.startsWith("#") ? x.slice(1) : x);
const withoutAt = (x: string) => (x.startsWith("@") ? x.slice(1) : x);

function normaliseCashtag(c: string): string {
  const upper = isUpperAscii(c) ? c : c.toUpperCase(); // toUpperCase copies even when nothing changes
  return upper.endsWith(".X") ? upper.slice(0, -2) : upper;
}
