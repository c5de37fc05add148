/**
 * Entities of a post: cashtags, hashtags, mentions, link domains and DeFi protocols. X's own
 * entity lists are merged with what the text shows (long posts, replays without entities).
 */
import type { Post } from "@defi-sentiment/shared";
import { DEFI_CONTEXT_WORDS, DEFI_PROTOCOLS, type DefiProtocol } from "./defi-protocols.ts";
import { isUpperAscii } from "./ascii.ts";
import { LOWERED_HASH_SEED, StringTable, loweredHashEnd, loweredHashStep } from "./string-table.ts";
import { cashtagEndAt, hashtagEndAt, mentionEndAt } from "./tag-scan.ts";
import { runEnds, runHashes, runStarts, runsOf } from "./word-runs.ts";

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
/**
 * Each word that is a spelling or the first word of one ("curve" of "curve finance"): what it spells
 * alone, and whether n-grams must be built there. One lookup per word of the text.
 */
const byFirstWord = new Map<string, { alone: DefiProtocol | undefined; aloneOrdinary: boolean; startsPhrase: boolean }>();
for (const k of bySpelling.keys()) {
  const words = k.split(" ");
  maxSpellingWords = Math.max(maxSpellingWords, words.length);
  const alone = bySpelling.get(words[0]!);
  // the word found is the key lowered, so whether it is an ordinary word is known here, not per post
  const entry = byFirstWord.get(words[0]!) ?? { alone, aloneOrdinary: alone?.ordinaryWords?.includes(words[0]!) === true, startsPhrase: false };
  if (words.length > 1) entry.startsPhrase = true;
  byFirstWord.set(words[0]!, entry);
}
const byFirstWordTable = new StringTable(byFirstWord);
/** The second word of every spelling of two words or more ("finance" of "curve finance"): without one next, no such spelling can match. */
const secondWordTable = new StringTable([...bySpelling.keys()].filter((k) => k.includes(" ")).map((k) => [k.split(" ")[1]!, true] as const));
const bySpellingTable = new StringTable(bySpelling);
export const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gu;
/** URL_IN_TEXT without its \b, anchored: run only at an "http" that follows no ASCII word char (what \b asks there). */
const URL_AT = /https?:\/\/[^\s<>"']+/uy;

/**
 * `/^https?:\/\/((?:[a-z][a-z0-9-]*\.)*[a-z][a-z0-9-]*)(?:[/?#]|$)/.exec(url)?.[1]`, by char codes: a
 * lower-case ASCII host whose labels start with a letter, then the end or the path. The WHATWG
 * parser returns such a host unchanged (no IPv4 number, mapping or port), unless a label is punycode.
 * Exported for its test.
 */
export function plainHost(url: string): string | undefined {
  const start = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
  if (start < 0) return undefined;
  let i = start;
  let c: number;
  for (;;) {
    c = url.charCodeAt(i);
    if (!(c >= 97 && c <= 122)) return undefined; // each label starts with a letter
    c = url.charCodeAt(++i);
    while ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 /* - */) c = url.charCodeAt(++i);
    if (c !== 46 /* . */) break;
    i++;
  }
  return i === url.length || c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */ ? url.slice(start, i) : undefined;
}

/** A link's host without "www.", or null for X's t.co wrappers and links that are not URLs. */
export function domainOf(url: string): string | null {
  // most links in posts are X's own t.co wrappers: no URL parse needed to know the host
  if (url.startsWith("https://t.co/") || url.startsWith("http://t.co/")) return null;
  const plain = plainHost(url);
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

const byDomainTable = new StringTable(byDomain);
/** byDomain of the host or of a parent domain (each suffix after a dot that still holds a dot), read in place. */
function protocolOfDomain(host: string): DefiProtocol | undefined {
  for (let start = 0, dot = host.indexOf("."); dot !== -1; start = dot + 1, dot = host.indexOf(".", start)) {
    const p = byDomainTable.getIn(host, start, host.length);
    if (p) return p;
  }
  return undefined;
}

/** Adds a value once, in first-seen order. */
function addUnique(out: string[], v: string): void {
  if (v && !out.includes(v)) out.push(v);
}

/**
 * Adds the domain of every URL_IN_TEXT match in `text`, tried only at each "http". X's own t.co links
 * (most links in post texts) are skipped in place: no slice, no domainOf.
 */
function addTextUrlDomains(out: string[], text: string): void {
  for (let i = text.indexOf("http"); i !== -1; ) {
    const p = text.charCodeAt(i - 1);
    if ((p >= 97 && p <= 122) || (p >= 65 && p <= 90) || (p >= 48 && p <= 57) || p === 95) {
      i = text.indexOf("http", i + 1); // \b fails after a word char
      continue;
    }
    if (text.startsWith("https://t.co/", i) || text.startsWith("http://t.co/", i)) {
      // URL_AT matches here for sure; only where it ends matters
      i = text.indexOf("http", urlEnd(text, i + 12));
      continue;
    }
    URL_AT.lastIndex = i;
    if (!URL_AT.test(text)) {
      i = text.indexOf("http", i + 1);
      continue;
    }
    const end = URL_AT.lastIndex;
    addUnique(out, domainOf(text.slice(i, end)) ?? "");
    i = text.indexOf("http", end);
  }
}

/** Chars that end URL_AT's `[^\s<>"']+`: `\s` under /u is the ASCII spaces and these. */
const UNICODE_SPACES = new Set([0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
const ENDS_URL = new Uint8Array(128);
for (const c of "\t\n\v\f\r <>\"'") ENDS_URL[c.charCodeAt(0)] = 1;

/** Where URL_AT's match ends, for a match known to cover [start, from). Exported for its test. */
export function urlEnd(text: string, from: number): number {
  let j = from;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c < 128 ? ENDS_URL[c] === 1 : UNICODE_SPACES.has(c)) break;
  }
  return j;
}

/**
 * Adds `map` of the tag [i + 1, end) that `endAt` finds at each `marker` of `text`. A tag already in
 * `out` (mostly: X's entities list it too) is recognised in place, not sliced: `map` of a tag is the
 * tag itself, or its ASCII upper case when `upper` (a cashtag, which is ASCII and holds no ".X").
 */
function addTags(out: string[], text: string, marker: string, endAt: (text: string, i: number) => number, upper: boolean, map: (s: string) => string): void {
  for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 1)) {
    const end = endAt(text, i);
    if (end >= 0 && !hasTag(out, text, i + 1, end, upper)) addUnique(out, map(text.slice(i + 1, end)));
  }
}

function hasTag(out: readonly string[], text: string, start: number, end: number, upper: boolean): boolean {
  for (const tag of out) {
    if (tag.length !== end - start) continue;
    let k = 0;
    for (; k < tag.length; k++) {
      const c = text.charCodeAt(start + k);
      if ((upper && c >= 97 && c <= 122 ? c - 32 : c) !== tag.charCodeAt(k)) break;
    }
    if (k === tag.length) return true;
  }
  return false;
}

/** Word characters beyond ASCII (sticky, so it tests one code point in place). */
const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}]/uy;
/** ASCII chars of a word piece: letters, digits and `.$#@/` (a piece holding / is no word). */
const PIECE = 1;
const SLASH = 2;
const ASCII_PIECE = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.$#@") ASCII_PIECE[c.charCodeAt(0)] = PIECE;
ASCII_PIECE[47] = PIECE | SLASH;

/** wordSpans' output, reused from post to post: a fresh array per post cost more than filling it. */
let spanScratch = new Int32Array(96);
/** Each word's lowered hash (StringTable's), or -1 for a word beyond ASCII: the word lookups need no second pass over its chars. */
let hashScratch = new Int32Array(48);

/**
 * Where the words of the text are, with inner dots kept ("curve.fi"); pieces led by $, #, @ or holding a / are
 * not words. Pieces are the runs of letters, digits and `.$#@/`, scanned by hand: splitting on a
 * Unicode regex cost more than the rest of the entity extraction. Each word goes into spanScratch as
 * start and end, and its lowered hash into hashScratch (hashed in the same scan); returns how many.
 */
function wordSpans(text: string): number {
  let out = spanScratch;
  let hashes = hashScratch;
  let length = 0;
  const n = text.length;
  const runs = runsOf(text);
  let run = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 ? ASCII_PIECE[c] === 0 : nonAsciiWordEnd(text, i) < 0) {
      // a surrogate pair that is no letter (an emoji) is no word from either half
      i += c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      continue;
    }
    if (c === 36 /* $ */ || c === 35 /* # */ || c === 64 /* @ */) {
      i = pieceEnd(text, i + 1); // a piece led by a tag marker is no word: only where it ends matters
      continue;
    }
    const start = i;
    let kinds = 0;
    // the hash of the piece without its leading dots, as of its last char that is no dot: the word's
    let h = LOWERED_HASH_SEED;
    let wordHash = -1;
    let ascii = true;
    let dotsOnly = true;
    // a piece led by a word the tokenizer delimited: its letters are hashed already
    while (run < runs && runStarts[run]! < i) run++;
    if (run < runs && runStarts[run] === i) {
      h = runHashes[run]!;
      wordHash = h;
      dotsOnly = false;
      kinds |= PIECE;
      i = runEnds[run++]!;
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const piece = ASCII_PIECE[c]!;
        if (piece === 0) break;
        kinds |= piece;
        i++;
        if (c !== 46 /* . */) {
          dotsOnly = false;
          h = loweredHashStep(h, c);
          wordHash = h;
        } else if (!dotsOnly) h = loweredHashStep(h, c);
      } else {
        const e = nonAsciiWordEnd(text, i);
        if (e < 0) break;
        i = e;
        ascii = false;
      }
    }
    if (kinds & SLASH) continue;
    let a = start;
    let b = i;
    while (a < b && text.charCodeAt(a) === 46 /* . */) a++;
    while (b > a && text.charCodeAt(b - 1) === 46) b--;
    if (a === b) continue;
    if (length + 2 > out.length) {
      out = new Int32Array(out.length * 2);
      out.set(spanScratch);
      spanScratch = out;
      hashes = new Int32Array(out.length / 2);
      hashes.set(hashScratch);
      hashScratch = hashes;
    }
    hashes[length >> 1] = ascii ? loweredHashEnd(wordHash) : -1;
    out[length++] = a;
    out[length++] = b;
  }
  return length / 2;
}

/** Where the piece that continues at i ends (the scan of wordSpans, without hashing). */
function pieceEnd(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (ASCII_PIECE[c] === 0) break;
      i++;
    } else {
      const e = nonAsciiWordEnd(text, i);
      if (e < 0) break;
      i = e;
    }
  }
  return i;
}

/** `table.getLowered` of word k (spans and hashes from wordSpans). */
function wordIn<V>(table: StringTable<V>, text: string, k: number): V | undefined {
  const hash = hashScratch[k]!;
  const start = spanScratch[2 * k]!;
  const end = spanScratch[2 * k + 1]!;
  if (hash < 0) return table.getLowered(text, start, end);
  const slot = table.slotOfLoweredHashed(text, start, end, hash);
  return slot < 0 ? undefined : table.valueAt(slot);
}

/** Whether each code point beyond ASCII seen so far is a letter or digit: NON_ASCII_WORD_CHAR runs once per code point, not per occurrence. */
const WORD_CODE_POINT = new Map<number, boolean>();

/** Where the letter or digit beyond ASCII at i ends (after a surrogate pair, both halves), or -1 if there is none at i. Exported for its test. */
export function nonAsciiWordEnd(text: string, i: number): number {
  const cp = text.codePointAt(i)!;
  // at the second half of a pair the regex reads the whole pair: asked each time, not cached
  const midPair = (cp & 0xfc00) === 0xdc00 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800;
  let word = midPair ? undefined : WORD_CODE_POINT.get(cp);
  if (word === undefined) {
    NON_ASCII_WORD_CHAR.lastIndex = i;
    word = NON_ASCII_WORD_CHAR.test(text);
    if (midPair) return word ? NON_ASCII_WORD_CHAR.lastIndex : -1;
    if (WORD_CODE_POINT.size >= 50_000) WORD_CODE_POINT.clear();
    WORD_CODE_POINT.set(cp, word);
  }
  return word ? i + (cp > 0xffff ? 2 : 1) : -1;
}

const CAPITALISED = /^\p{Lu}/u;
/** `CAPITALISED.test(text.slice(start, end))`, by char code when the first char is ASCII. Exported for its test. */
export function isCapitalised(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  return c < 128 ? c >= 65 && c <= 90 : CAPITALISED.test(text.slice(start, end));
}

/**
 * @example extractEntities(post) // { cashtags: ["ETH"], hashtags: ["DeFi"], mentions: ["aave"], protocols: ["Aave"], domains: ["aave.com"] }
 */
export function extractEntities(post: Post): PostEntities {
  const text = post.text;
  const cashtags: string[] = [];
  for (const c of post.cashtags) addUnique(cashtags, normaliseCashtag(c));
  addTags(cashtags, text, "$", cashtagEndAt, true, normaliseCashtag);
  const hashtags: string[] = [];
  for (const h of post.hashtags) addUnique(hashtags, withoutHash(h));
  addTags(hashtags, text, "#", hashtagEndAt, false, withoutHash);
  const mentions: string[] = [];
  for (const m of post.mentions) addUnique(mentions, withoutAt(m));
  addTags(mentions, text, "@", mentionEndAt, false, withoutAt);
  const domains: string[] = [];
  for (const url of post.urls) addUnique(domains, domainOf(url) ?? "");
  addTextUrlDomains(domains, text);

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
  const count = wordSpans(text);
  const spans = spanScratch;
  let context: boolean | undefined;
  for (let i = 0; i < count; i++) {
    // most words are no spelling: looked up in place, lowered, never sliced
    const start = spans[2 * i]!;
    const end = spans[2 * i + 1]!;
    const entry = wordIn(byFirstWordTable, text, i);
    if (entry === undefined) continue;
    const longest = entry.startsPhrase && i + 1 < count && wordIn(secondWordTable, text, i + 1) ? Math.min(maxSpellingWords, count - i) : 1;
    for (let n = longest; n >= 1; n--) {
      const p = n === 1 ? entry.alone : spellingAt(text, spans, i, n);
      if (!p) continue;
      const ordinary = n === 1 ? entry.aloneOrdinary : p.ordinaryWords?.includes(lowerPhrase(text, spans, i, n)) === true;
      if (ordinary && !protocols.includes(p.name)) {
        // an ordinary word counts only capitalised, next to DeFi talk or a cashtag
        if (!isCapitalised(text, start, end)) break;
        context ??= cashtags.length > 0 || hasContextWord(text, count);
        if (!context) break;
      }
      addUnique(protocols, p.name);
      i += n - 1;
      break;
    }
  }
  return { cashtags, hashtags, mentions, protocols, domains };
}

/** Word k of the text (spans from wordSpans), lowered on its own. */
function lowerWord(text: string, spans: Int32Array, k: number): string {
  return text.slice(spans[2 * k]!, spans[2 * k + 1]!).toLowerCase();
}

/** Words k … k+n-1, lowered, joined by single spaces. */
function lowerPhrase(text: string, spans: Int32Array, k: number, n: number): string {
  let phrase = lowerWord(text, spans, k);
  for (let j = 1; j < n; j++) phrase += ` ${lowerWord(text, spans, k + j)}`;
  return phrase;
}

/**
 * bySpelling of words k … k+n-1; read in place when they stand one space apart (a space ends the
 * context lowering a final Σ depends on, so lowering the range whole lowers each word as alone).
 */
function spellingAt(text: string, spans: Int32Array, k: number, n: number): DefiProtocol | undefined {
  let spaced = true;
  for (let j = k; spaced && j < k + n - 1; j++) spaced = spans[2 * j + 2]! === spans[2 * j + 1]! + 1 && text.charCodeAt(spans[2 * j + 1]!) === 32;
  return spaced ? bySpellingTable.getLowered(text, spans[2 * k]!, spans[2 * (k + n) - 1]!) : bySpelling.get(lowerPhrase(text, spans, k, n));
}

const contextWordTable = new StringTable([...DEFI_CONTEXT_WORDS].map((w) => [w, true] as const));
function hasContextWord(text: string, count: number): boolean {
  for (let k = 0; k < count; k++) if (wordIn(contextWordTable, text, k)) return true;
  return false;
}

const withoutHash = (x: string) => (x.startsWith("#") ? x.slice(1) : x);
const withoutAt = (x: string) => (x.startsWith("@") ? x.slice(1) : x);

function normaliseCashtag(c: string): string {
  const upper = isUpperAscii(c) ? c : c.toUpperCase(); // toUpperCase copies even when nothing changes
  return upper.endsWith(".X") ? upper.slice(0, -2) : upper;
}
