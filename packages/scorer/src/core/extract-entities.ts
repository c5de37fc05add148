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

const uniq = (xs: string[]) => [...new Set(xs)];

/**
 * @example extractEntities(post) // { cashtags: ["ETH"], hashtags: ["DeFi"], mentions: ["aave"], protocols: ["Aave"], domains: ["aave.com"] }
 */
export function extractEntities(post: Post): PostEntities {
  const text = post.text;
  // each scan only when its marker character occurs at all
  const inText = (re: RegExp, marker: string) => (text.includes(marker) ? Array.from(text.matchAll(re), (m) => m[1] ?? m[0]) : []);
  const cashtags = uniq([...post.cashtags, ...inText(CASHTAG, "$")].map((c) => c.toUpperCase().replace(/\.X$/, "")));
  const hashtags = uniq([...post.hashtags, ...inText(HASHTAG, "#")].map((h) => h.replace(/^#/, "")));
  const mentions = uniq([...post.mentions, ...inText(MENTION, "@")].map((m) => m.replace(/^@/, "")));
  const domains = uniq([...post.urls, ...inText(URL_IN_TEXT, "http")].flatMap((u) => domainOf(u) ?? []));

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
  // words with inner dots kept ("curve.fi"); $, #, @ and URL pieces are not words
  const written: string[] = [];
  const lowerText = text.toLowerCase();
  const mayNameOne = ANY_SPELLING.test(lowerText);
  for (const piece of mayNameOne ? text.split(NON_WORD) : []) {
    if (!piece || piece.includes("/") || "$#@".includes(piece[0]!)) continue;
    const word = piece.replace(/^\.+|\.+$/g, "");
    if (word) written.push(word);
  }
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
        if (!/^\p{Lu}/u.test(written[i]!)) break;
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
