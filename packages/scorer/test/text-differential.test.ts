/**
 * The per-post text work (tokenize, scoreText, extractEntities, scorePost) must give exactly what the
 * frozen copies in ./frozen give: same tokens, same scores (Object.is), same entities in the same
 * key order, on generator posts, hand-picked hard cases and a seeded fuzz of tricky characters.
 */
import { isDeepStrictEqual } from "node:util";
import { generateStreamLines, postFromStreamLine, type Post } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { extractEntities, type PostEntities } from "../src/core/extract-entities.ts";
import { scorePost } from "../src/core/score-post.ts";
import { rawValence, scoreText, tokenize } from "../src/core/score-text.ts";
import { extractEntities as frozenExtractEntities } from "./frozen/extract-entities.ts";
import { scorePost as frozenScorePost } from "./frozen/score-post.ts";
import { rawValence as frozenRawValence, scoreText as frozenScoreText, tokenize as frozenTokenize } from "./frozen/score-text.ts";
import { makePost } from "./make-post.ts";

const NOW = new Date("2026-11-04T00:00:00.000Z");

/** Deep-equal with Object.is on numbers, and the same key order. */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);

/** Texts whose results differ from the frozen code (the first few, with what differs). */
function textMismatches(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    if (out.length >= 5) break;
    const what = !same(tokenize(text), frozenTokenize(text))
      ? "tokenize"
      : !Object.is(rawValence(text), frozenRawValence(text))
        ? "rawValence"
        : !same(scoreText(text), frozenScoreText(text))
          ? "scoreText"
          : undefined;
    if (what) out.push(`${what}: ${JSON.stringify(text)}`);
  }
  return out;
}

function postMismatches(posts: readonly Post[]): string[] {
  const out: string[] = [];
  for (const post of posts) {
    if (out.length >= 5) break;
    const got: PostEntities = extractEntities(post);
    const want = frozenExtractEntities(post);
    if (!same(got, want)) out.push(`extractEntities: ${JSON.stringify(post.text)} → ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    else if (!same(scorePost(post, NOW), frozenScorePost(post, NOW))) out.push(`scorePost: ${JSON.stringify(post.text)}`);
  }
  return out;
}

const HARD_CASES = [
  "", " ", "nice :)", "nice:)", ":)nice", "a:)b", ":D", ":d", ":P", ":-P", ":-p", "xD", ":Dx", ":D1", "<3", "<3<3", "i <3 it", "</3", ">:(", "-_-", "^_^", "^^",
  "(:", "):", "=)", ":]", ":'(", ":/", ":-/", ":|", ":@", "@:", ":@user", ";)", ";-)", ";;)", ".:)", ":,", "::", ": D", "http://", "https://x.co/a", "see https://x.co/a.",
  "www.a.b", "www.", "www", "wwwx", "http", "https", "httpx://a", "h", "w", "hhttps://a", "ahttp://b", "$ETH.X", "$ETH.x", "$eth.X1", "$ETH.", "$ETH..X", "$2.5k", "$2.5kx",
  "$2.5K!", "$", "$$ETH", "$1", "$ETH$BTC", "$é", "+12 %", "+12%", "-5%", "−5%", "- 5 %", "+ 5%", "+5.5%", "+5,5 %", "+-5%", "5%", "1.5%", "1,300.50", "1.300",
  "1,300", "1300k", "1300kk", "12abc", "1h", "3x", "0", "to $0", "20k->25k", "1,2,3", "1..2", "sooooo gooood", "ZEROOOO", "TRAPPPP", "noooo", "hahaha", "hahahah", "lool",
  "&amp;", "&lt;3", "&gt;:(", "&quot;dip&quot;", "&#39;", "&#x27;", "&amp;amp;", "& amp;", "don’t", "don't", "can’t buy", "’quoted’", "'", "''", "“dip”", "«safu»", '"x"',
  "👍🏽", "👨‍👩‍👧", "🚀🚀🚀", "🏳️‍🌈", "❤️", "©", "®", "#️⃣", "1️⃣", "中文很好", "bullish中文", "中文bullish", "café", "cafe\u0301", "e\u0301", "\u0301x", "naïve", "مرحبا بالعالم",
  "İstanbul", "ΣΊΣΥΦΟΣ", "Σ", "MiXeD CaSe", "Red Sox Win", "BULLISH ON ETH", "a_b", "_a", "#", "#_", "#a_b", "##a", "#$ETH", "@", "@_", "@a@b", "a@b", "a#b", "x\uD800y", "\uDC00",
  "\uD83D", "a\u00a0b", "a\u2028b", "https://a\u00a0b", "up 40%", "down 3.2", "line up", "is over 20x", "the bear market is over", "not bad but great!!!", "why???", "?!", "!?!",
  "curve.fi is up", "Curve Finance rocks $CRV", "uniswap", "Compound to test", "rocket pool", "https://app.aave.com/x", "http://www.curve.fi", "https://t.co/9", "http://T.CO/x",
  "https://A.com/", "https://a.com:8080/", "https://xn--nxasmq6b.com/", "https://a.b.c.d/", "https://www.x.io?q", "https://1.2.3.4/", "https://a.1/", "https://0x7f.1/",
  "https://a-.b/", "https://-a.com/", "http://a.com#f", "https://user@a.com/", "https://a.com\\x", "https://www.t.co/x", "https://t.co", "https://a.b./", "https://www.www.a.io",
  "https://ex\tample.com/", "https://a.com%2F", "https://[::1]/", "https://a..b/", "https://xn--e1afmkfd.xn--p1ai/", "https://ЯНДЕКС.рф/", "mail@x.com", "a.b.c", "...", ".a.", "$a/b", "a/b c", "#DeFi @aave $AAVE.X https://aave.com",
];

/** Pieces the fuzz strings are built from: mostly the characters that decide where tokens start and end. */
const PIECES = [
  ..."::::;;<<==>>^^--(())++−−%%$$$@@##..,,!!??''’’\"“”«»&&__//\\|[]{}~`*", ..."hwhwtpsx.XkKaAzZbBdDpP0123456789", " ", " ", " ", "\n", "\t", "\u00a0", "\u3000",
  "é", "ü", "ñ", "\u0301", "İ", "Σ", "ς", "中", "文", "ا", "ل", "😂", "🚀", "👍", "🏽", "\u200d", "\ufe0f", "❤", "©", "\uD83D", "\uDE00", "1️⃣",
  "http", "https://", "http://", "www.", "t.co/", "a.com", "xn--", "0x", ":80", "www.t.co", ".X", ".x", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", ":D", ":-P", "</3", "-_-", "^_^", ":'(", ">:(",
  "sooo", "ooo", "not ", "but ", "bullish", "bearish", "up ", "down ", "is over", "bears", "bulls", "lol", "haha", "curve", "finance", "aave", "$ETH", "$BTC", "1,300", "2.5k",
];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fuzzTexts(n: number, seed: number): string[] {
  const random = mulberry32(seed);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const length = Math.floor(random() * 24);
    let s = "";
    for (let j = 0; j < length; j++) s += PIECES[Math.floor(random() * PIECES.length)]!;
    out.push(s);
  }
  return out;
}

const generated = [...generateStreamLines(20_000, { seed: 11 })].map((line) => postFromStreamLine(line, "generator", NOW));
const fuzz = fuzzTexts(20_000, 20261125);

// 20k posts through both implementations: seconds on a busy 2-core machine
describe("text work is unchanged (differential against the frozen copies)", { timeout: 60_000 }, () => {
  it("on every generator post", () => {
    expect(textMismatches(generated.map((p) => p.text))).toEqual([]);
    expect(postMismatches(generated)).toEqual([]);
  });

  it("on hand-picked hard cases", () => {
    expect(textMismatches(HARD_CASES)).toEqual([]);
    expect(postMismatches(HARD_CASES.map((text) => makePost({ text, cashtags: [], hashtags: [], mentions: [], urls: [] })))).toEqual([]);
  });

  it("on seeded fuzz strings built from tricky characters", () => {
    expect(textMismatches(fuzz)).toEqual([]);
    const urls = ["https://t.co/x", "https://app.aave.com/p", "http://www.curve.fi", "not a url", "https://ЯНДЕКС.рф/", "https://xn--nxasmq6b.com/", "https://1.2.3.4", "https://a.1/", "https://A.com"];
    const posts = fuzz.map((text, i) => makePost({ text, cashtags: i % 3 ? [] : ["eth.x"], hashtags: [], mentions: i % 5 ? [] : ["@Aave"], urls: i % 4 ? [] : [urls[i % urls.length]!] }));
    expect(postMismatches(posts)).toEqual([]);
  });

  it("on seeded fuzz links (hosts the URL parser may rewrite or reject)", () => {
    const random = mulberry32(7);
    const chars = "abcxyzABC019-.-..:@%_/?#\\\t é";
    const posts: Post[] = [];
    for (let k = 0; k < 20_000; k++) {
      let url = ["https://", "http://", "https://www.", "https://xn--", "HTTPS://", "https:///"][Math.floor(random() * 6)]!;
      for (let j = Math.floor(random() * 12); j > 0; j--) url += chars[Math.floor(random() * chars.length)]!;
      posts.push(makePost({ text: `see ${url} now`, cashtags: [], hashtags: [], mentions: [], urls: [url] }));
    }
    expect(postMismatches(posts)).toEqual([]);
  });
});
