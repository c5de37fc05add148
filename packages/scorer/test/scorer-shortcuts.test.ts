/**
 * The tokenizer's ASCII fast path (`tokenEndAt`) and the links' plain-host path (`domainOf`) are
 * shortcuts past a regex and the URL parser; wherever they decide, they must decide exactly as
 * those do. Checked at every position of generator posts, hand-picked hard cases and seeded fuzz.
 */
import { generateStreamLines, postFromStreamLine, seededRandom } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { domainOf } from "../src/core/extract-entities.ts";
import { ASK_REGEX, NO_TOKEN, TOKEN, tokenEndAt } from "../src/core/score-text.ts";

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

function fuzzTexts(n: number, seed: number): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const length = Math.floor(random() * 24);
    let s = "";
    for (let j = 0; j < length; j++) s += PIECES[Math.floor(random() * PIECES.length)]!;
    out.push(s);
  }
  return out;
}

const AT = new RegExp(TOKEN.source, "uy"); // TOKEN anchored where lastIndex points

/** Positions where the fast path decides otherwise than TOKEN would (the first few). */
function scanMismatches(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    for (let i = 0; i < text.length && out.length < 5; i++) {
      AT.lastIndex = i;
      const m = AT.exec(text);
      const want = m ? i + m[0].length : NO_TOKEN;
      // tokenize skips spaces without asking: no token may start at one
      const c = text.charCodeAt(i);
      const got = c === 32 ? NO_TOKEN : tokenEndAt(text, i, c);
      if (got !== ASK_REGEX && got !== want) out.push(`${JSON.stringify(text)} at ${i}: fast path ${got}, TOKEN ${want}`);
    }
  }
  return out;
}

/** The host the URL parser gives (what the plain-host path stands in for). */
function parsedDomain(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^www\./, "");
    return host && host !== "t.co" ? host : null;
  } catch {
    return null;
  }
}

const NOW = new Date("2026-11-04T00:00:00.000Z");
const generated = [...generateStreamLines(20_000, { seed: 11 })].map((line) => postFromStreamLine(line, "generator", NOW));

describe("the scorer's shortcuts decide as the regex and the URL parser do", { timeout: 60_000 }, () => {
  it("tokens start and end where TOKEN's do, on generator posts, hard cases and fuzz", () => {
    expect(scanMismatches(generated.map((p) => p.text))).toEqual([]);
    expect(scanMismatches(HARD_CASES)).toEqual([]);
    expect(scanMismatches(fuzzTexts(20_000, 20261125))).toEqual([]);
  });

  it("link hosts are what the URL parser says, on hard cases and seeded fuzz links", () => {
    const random = seededRandom(7);
    const chars = "abcxyzABC019-.-..:@%_/?#\\\t é";
    const urls = HARD_CASES.filter((t) => /^https?:/i.test(t));
    for (let k = 0; k < 20_000; k++) {
      let url = ["https://", "http://", "https://www.", "https://xn--", "HTTPS://", "https:///"][Math.floor(random() * 6)]!;
      for (let j = Math.floor(random() * 12); j > 0; j--) url += chars[Math.floor(random() * chars.length)]!;
      urls.push(url);
    }
    expect(urls.filter((u) => domainOf(u) !== parsedDomain(u)).slice(0, 5)).toEqual([]);
    expect(urls.filter((u) => domainOf(u) !== null).length).toBeGreaterThan(1000); // the fuzz reaches real hosts
  });
});
