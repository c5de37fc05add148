/**
 * The scorer's shortcuts past a regex, the URL parser, Map lookups and case conversion: the
 * tokenizer's ASCII fast path (`tokenEndAt`) and its anchored regex scan, the links' plain-host path
 * (`domainOf`), the char-code case tests, and the string table the word lookups use. Wherever they
 * decide, they must decide exactly as the mechanism they stand in for. Checked on generator posts,
 * hand-picked hard cases and seeded fuzz.
 */
import { generateStreamLines, postFromStreamLine, seededRandom } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { isLowerAscii, isUpperAscii } from "../src/core/ascii.ts";
import { EMOTICON_VALENCE } from "../src/core/emoji-lexicon.ts";
import { DEFI_PROTOCOLS } from "../src/core/defi-protocols.ts";
import { URL_IN_TEXT, domainOf, extractEntities, isCapitalised, plainHost } from "../src/core/extract-entities.ts";
import { ASK_REGEX, NO_TOKEN, TOKEN, isShouting, isTitle, isUrlAt, lastWordHash, normalisedWord, plainWordHash, scoreText, tokenEndAt } from "../src/core/score-text.ts";
import { buildSentimentLexicon } from "../src/core/sentiment-lexicon.ts";
import { LoweredWords, StringTable, loweredHash } from "../src/core/string-table.ts";
import { CASHTAG, HASHTAG, MENTION, cashtagAt, hashtagAt, mentionAt } from "../src/core/tag-scan.ts";

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

  it("a link's plain host read by char codes is what the plain-host regex reads", () => {
    const PLAIN_HOST = /^https?:\/\/((?:[a-z][a-z0-9-]*\.)*[a-z][a-z0-9-]*)(?:[/?#]|$)/;
    const random = seededRandom(11);
    const chars = "abz09-..:/?#@_A\u00e9 ";
    const urls = [...HARD_CASES, "https://a", "https://a.", "https://a.b", "https://a-b.c-d/x", "https://a.b#", "https://a.b?", "https://a.b:1", "https://a.9b/", "http://a", "https:/a", "ftp://a.b"];
    for (let k = 0; k < 20_000; k++) {
      let url = ["https://", "http://", "https:/", "HTTP://", ""][Math.floor(random() * 5)]!;
      for (let j = Math.floor(random() * 10); j > 0; j--) url += chars[Math.floor(random() * chars.length)]!;
      urls.push(url);
    }
    expect(urls.filter((u) => plainHost(u) !== PLAIN_HOST.exec(u)?.[1]).slice(0, 5)).toEqual([]);
    expect(urls.filter((u) => plainHost(u) !== undefined).length).toBeGreaterThan(400); // the fuzz reaches plain hosts
  });

  it("link domains in a post's text are those of every URL_IN_TEXT match (t.co links skipped in place)", () => {
    const post = (text: string) => ({ ...generated[0]!, text, cashtags: [], hashtags: [], mentions: [], urls: [] });
    const viaRegex = (text: string) => {
      const out: string[] = [];
      for (const m of text.matchAll(URL_IN_TEXT)) {
        const d = domainOf(m[0]);
        if (d && !out.includes(d)) out.push(d);
      }
      return out;
    };
    const texts = [...HARD_CASES, ...fuzzTexts(20_000, 31), ...generated.slice(0, 2000).map((p) => p.text)];
    texts.push("xhttps://a.com https://b.com", "_http://a.com", "(https://a.com)", "https://t.co/http://a.com", "https://t.co/x https://a.com", "https://t.co/x\u00a0https://b.io", "é https://c.io", "https://a.com/https://b.com", "https://t.company.io/x", "http://t.co.uk/a", "https://t.co");
    expect(texts.filter((t) => JSON.stringify(extractEntities(post(t)).domains) !== JSON.stringify(viaRegex(t))).slice(0, 5)).toEqual([]);
    expect(texts.filter((t) => viaRegex(t).length > 0).length).toBeGreaterThan(500);
  });

  it("a protocol spelled as one word is found however dots and case surround it (words hashed as they are scanned)", () => {
    const post = (text: string) => ({ ...generated[0]!, text, cashtags: [], hashtags: [], mentions: [], urls: [] });
    const wrong: string[] = [];
    for (const p of DEFI_PROTOCOLS) {
      for (const spelling of p.spellings.filter((x) => !x.includes(" ") && !p.ordinaryWords?.includes(x))) {
        for (const text of [spelling, spelling.toUpperCase(), `.${spelling}.`, `...${spelling}`, `${spelling}...`, `on ${spelling}. next`, `..${spelling.toUpperCase()}..!`]) {
          if (!extractEntities(post(text)).protocols.includes(p.name)) wrong.push(`${text} → ${p.name}`);
        }
        for (const text of [`${spelling}x`, `x${spelling}`, `${spelling}.x`, `${spelling}é`]) {
          if (extractEntities(post(text)).protocols.includes(p.name) && !p.spellings.includes(text.toLowerCase())) wrong.push(`${text} ↛ ${p.name}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("a word the regex delimits (a char beyond ASCII follows, or it starts like a link) is looked up as any word", () => {
    for (const w of ["great", "bad", "bullish", "Crash", "wow", "httpsgreat", "wwwbad"]) {
      const spaced = scoreText(`x ${w} 🚀 ${w} …`);
      expect(scoreText(`x ${w}🚀 ${w}…`), w).toEqual(spaced);
    }
    expect(scoreText("great").score).toBeGreaterThan(0);
    expect(scoreText("x wow🚀").score).toBeGreaterThan(scoreText("x 🚀").score);
  });

  it("the word hash tokenEndAt leaves is plainWordHash of the word it delimited", () => {
    const wrong: string[] = [];
    for (const text of [...generated.slice(0, 3000).map((p) => p.text), ...HARD_CASES, ...fuzzTexts(10_000, 77), "sooo SOOO SoOo don't don’t x'''y aAa AAA"]) {
      for (let i = 0; i < text.length; i++) {
        if (!/[A-Za-z]/.test(text[i]!)) continue;
        const end = tokenEndAt(text, i, text.charCodeAt(i));
        if (end >= 0 && lastWordHash() !== plainWordHash(text, i, end)) wrong.push(JSON.stringify(text.slice(i, end)));
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("a protocol's two-word spelling is found whatever separates the words (read in place only when one space does)", () => {
    const post = (text: string) => ({ ...generated[0]!, text, cashtags: [], hashtags: [], mentions: [], urls: [] });
    for (const text of ["rocket pool", "Rocket Pool!", "ROCKET POOL", "rocket  pool", "rocket-pool", "rocket\tpool", "rocket, pool", "rocket…pool", "staking on rocket\npool today"]) {
      expect(extractEntities(post(text)).protocols, text).toEqual(["Rocket Pool"]);
    }
    for (const text of ["rocket poolside", "rocketpoo l", "rocket", "pool rocket"]) expect(extractEntities(post(text)).protocols, text).toEqual([]);
    // lowering changes the length (İ) or depends on context (Σ): words are lowered one by one
    expect(extractEntities(post("İ rocket pool")).protocols).toEqual(["Rocket Pool"]);
    expect(extractEntities(post("ΣΑΣ rocket pool")).protocols).toEqual(["Rocket Pool"]);
  });

  it("an anchored TOKEN scan, one position after another, finds the tokens TOKEN's own search does (surrogate pairs too)", () => {
    const texts = [...HARD_CASES, ...fuzzTexts(20_000, 5), ...generated.slice(0, 2000).map((p) => p.text), "𝐀b", "\u{1F1E6}x😀", "a\uD800b\uDC00"];
    expect(texts.filter((t) => JSON.stringify(anchoredScan(t)) !== JSON.stringify(searchScan(t))).slice(0, 5)).toEqual([]);
  });

  it("case tests say exactly when lowering or upper-casing changes nothing", () => {
    const strings = [...words(), ...HARD_CASES, ...PIECES, "ABC", "abc", "a1_b", "K", "\u212A", "ß"];
    expect(strings.filter((s) => isLowerAscii(s) && s.toLowerCase() !== s)).toEqual([]);
    expect(strings.filter((s) => isUpperAscii(s) && s.toUpperCase() !== s)).toEqual([]);
    // and they do not give up on plain ASCII
    expect(strings.filter((s) => /^[\x00-\x7f]*$/.test(s) && (isLowerAscii(s) !== (s.toLowerCase() === s) || isUpperAscii(s) !== (s.toUpperCase() === s)))).toEqual([]);
  });

  it("a plain ASCII word normalises to its lower case, so the word lookup may lower it in place", () => {
    const strings = [...words(), ...PIECES, "sooo", "SOOO", "SoOo", "zerOOO", "Haaa", "don't", "don’t", "noooo", "aAa", "aa", "abba"];
    const isPlain = (s: string) => plainWordHash(s, 0, s.length) >= 0;
    expect(strings.filter((s) => isPlain(s) && normalisedWord(s) !== s.toLowerCase())).toEqual([]);
    expect(strings.filter(isPlain).length).toBeGreaterThan(1000);
    // its hash is the string tables' lowered hash, so the lookup it feeds finds the word
    expect(strings.filter((s) => isPlain(s) && plainWordHash(s, 0, s.length) !== loweredHash(s, 0, s.length))).toEqual([]);
    // and it gives up only beyond ASCII or on a tripled letter
    expect(strings.filter((s) => !isPlain(s) && /^[\x00-\x7f]*$/.test(s) && !/(.)\1\1/i.test(s))).toEqual([]);
  });

  it("a recently lowered word is given back only for the same word lowered, whatever shares its slot", () => {
    const cache = new LoweredWords();
    const wrong: string[] = [];
    const list = [...words().filter((w) => /^[\x00-\x7f]+$/.test(w)), "Ab", "AB", "ab", "aB", "Abc", "abd"];
    for (let round = 0; round < 2; round++) {
      for (const w of list) {
        // real hashes, and one shared slot (hash 7) where every word collides with the last
        for (const hash of [loweredHash(w, 0, w.length), 7]) {
          const got = cache.lowered(` ${w} `, 1, w.length + 1, hash);
          if (got !== w.toLowerCase()) wrong.push(`${JSON.stringify(w)} gave ${JSON.stringify(got)}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("a capitalised word is what the Unicode regex says, read in place", () => {
    const strings = [...words(), ...HARD_CASES, "Curve", "curve", "ÉCurve", "éCurve", "Σky", "σky", "\u212Aelvin", "𝐀b", "_Curve", "1Curve", "@Sky", "[Sky", "`Sky"];
    expect(strings.filter((s) => isCapitalised(s, 0, s.length) !== /^\p{Lu}/u.test(s))).toEqual([]);
  });

  it("Titlecase and shouting are what the Unicode regexes say, of a word read in place in its text", () => {
    const strings = [...words(), ...HARD_CASES, "Ab", "AB", "ab", "A", "Éa", "Aé", "ΣΊΣ", "Σς", "ABC", "AB1", "ABÇ", "ABç", "İSTANBUL", "ABC’S", "中文"];
    expect(strings.filter((s) => isTitle(s, 0, s.length) !== /^\p{Lu}\p{Ll}/u.test(s))).toEqual([]);
    expect(strings.filter((s) => isShouting(s, 0, s.length) !== (s.length >= 3 && !/\p{Ll}/u.test(s)))).toEqual([]);
    // the chars around the word are not the word's: "A" in "Ab" is no Titlecase word, "ABC" in "ABCd" shouts
    const wrong: string[] = [];
    for (const text of [...strings.slice(0, 3000), "Ab", "ABCd", "xAbx", "aÉa", "ABÇd"]) {
      for (let a = 0; a < text.length; a++) {
        for (let b = a + 1; b <= Math.min(text.length, a + 5); b++) {
          const piece = text.slice(a, b);
          if (isTitle(text, a, b) !== /^\p{Lu}\p{Ll}/u.test(piece)) wrong.push(`isTitle ${JSON.stringify(piece)} in ${JSON.stringify(text)}`);
          if (isShouting(text, a, b) !== (piece.length >= 3 && !/\p{Ll}/u.test(piece))) wrong.push(`isShouting ${JSON.stringify(piece)} in ${JSON.stringify(text)}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("a token is a url exactly when its text says so (www., or http with ://), read in place", () => {
    const isUrl = (raw: string) => (raw.startsWith("http") || raw.startsWith("www.")) && (raw.includes("://") || raw.startsWith("www."));
    const wrong: string[] = [];
    let urls = 0;
    for (const text of [...HARD_CASES, ...fuzzTexts(20_000, 13), ...generated.slice(0, 2000).map((p) => p.text), "http://a://b", "httpx ://", "www.a"]) {
      for (const span of anchoredScan(text)) {
        const [a, b] = span.split("-").map(Number) as [number, number];
        if (isUrl(text.slice(a, b))) urls++;
        if (isUrlAt(text, a, b) !== isUrl(text.slice(a, b))) wrong.push(`${JSON.stringify(text.slice(a, b))} in ${JSON.stringify(text)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(urls).toBeGreaterThan(500);
  });

  it("$cashtags, #hashtags and @mentions read at their markers are the regexes' matches (non-ASCII neighbours too)", () => {
    const texts = [
      ...HARD_CASES, ...fuzzTexts(30_000, 17), ...generated.map((p) => p.text),
      "$ETH.X", "$ETH.Xy", "$ETH.x", "$ETHé", "é$ETH", "$ABCDEFGHIJKL", "$ABCDEFGHIJKLM", "$ABCDEFGHIJKL.X", "$A1", "$1A", "€$ETH", "😀$ETH", "$ETH😀", "$ETH中",
      "#DeFi", "&#39;", "##a", "é#tag", "#tagé", "#tag中文", "#中文", "#_", "#a_b", "😀#tag", "#1", "@user", "@a@b", "é@user", "@abcdefghijklmnopq", "_@a", "@_", "𝐀@user", "𝐀#tag", "𝐀$ETH",
    ];
    const scanned = (text: string, marker: string, at: (text: string, i: number) => string | null) => {
      const out: string[] = [];
      for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 1)) {
        const tag = at(text, i);
        if (tag !== null) out.push(`${i}:${tag}`);
      }
      return out;
    };
    const matched = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => `${m.index}:${m[1]}`);
    const wrong: string[] = [];
    let found = 0;
    for (const text of texts) {
      for (const [marker, at, re] of [["$", cashtagAt, CASHTAG], ["#", hashtagAt, HASHTAG], ["@", mentionAt, MENTION]] as const) {
        const want = matched(text, re);
        found += want.length;
        if (JSON.stringify(scanned(text, marker, at)) !== JSON.stringify(want)) wrong.push(`${marker} in ${JSON.stringify(text)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(found).toBeGreaterThan(20_000);
  });

  it("a punctuation run is no emoticon, and no emoticon starts beyond ASCII (the tokenizer skips the emoticon lookup there)", () => {
    const emoticons = Object.keys(EMOTICON_VALENCE);
    expect(emoticons.filter((e) => /^[!?.;:,]+$/.test(e))).toEqual([]);
    expect(emoticons.filter((e) => e.charCodeAt(0) >= 128 || /^\p{L}/u.test(e))).toEqual([]);
  });

  it("a post without quotation marks is scored alike whatever quoted post came before (its quote marks are not read)", () => {
    const unquoted = "so bad bad bad today";
    scoreText('x "y" z bad bad bad bad bad bad bad'); // quote marks, no short span: every mark cleared
    const fresh = scoreText(unquoted);
    scoreText('x "bad bad bad bad" today'); // a short quoted span over the same token positions
    expect(scoreText(unquoted)).toEqual(fresh);
  });

  it("a cashtag marks crypto talk in any case, with or without StockTwits' .X", () => {
    for (const text of ["$eth", "$ETH", "$EtH", "$Sol", "$abc.x", "$ABC.X", "$Abc.X"]) expect(scoreText(text).label, text).toBe("positive"); // the crypto lean
    for (const text of ["$AAPL", "$ethx", "$ETH.XY", "$abc.xx"]) expect(scoreText(text).label, text).toBe("neutral");
  });

  it("the string table answers as a Map of the same entries, for whole strings, ranges and lowered ASCII ranges", () => {
    const entries = [...buildSentimentLexicon().words, ["veCRV", 1], ["café", 2], ["中文", 3], ["", 4], ["a b", 5]] as [string, number][];
    const map = new Map(entries);
    const table = new StringTable(entries);
    const queries = [...map.keys(), ...[...map.keys()].map((k) => k.toUpperCase()), ...words(), ...fuzzTexts(5000, 3)];
    expect(queries.filter((q) => table.get(q) !== map.get(q)).slice(0, 5)).toEqual([]);
    const wrong: string[] = [];
    let found = 0;
    const shouted = [...map.keys()].map((k) => k.toUpperCase()).join(" ");
    for (const text of [...generated.slice(0, 1000).map((p) => p.text), ...fuzzTexts(2000, 4), shouted, "Bullish BEARISH moon", "x Rekt, PUMPING"]) {
      // every word, and ranges that are not words
      const ranges = [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length]);
      for (let a = 0; a < text.length; a += 5) ranges.push([a, a], [a, a + 1], [a, Math.min(a + 6, text.length)]);
      for (const [a, b] of ranges as [number, number][]) {
        const piece = text.slice(a, b);
        if (table.getIn(text, a, b) !== map.get(piece)) wrong.push(`getIn ${JSON.stringify(piece)}`);
        if (table.getLowered(text, a, b) !== map.get(piece.toLowerCase())) wrong.push(`getLowered ${JSON.stringify(piece)}`);
        if (!/^[\x00-\x7f]*$/.test(piece)) continue;
        const lower = piece.toLowerCase();
        const entry = table.entryOfLowered(text, a, b);
        if (table.entryOfLoweredHashed(text, a, b, loweredHash(text, a, b)) !== entry) wrong.push(`entryOfLoweredHashed ${JSON.stringify(piece)}`);
        if (entry) found++;
        if (map.has(lower) ? entry?.key !== lower || entry.value !== map.get(lower) : entry !== undefined) wrong.push(`entryOfLowered ${JSON.stringify(piece)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(found).toBeGreaterThan(1000); // the texts reach known words, in capitals too
  });

  it("a small string table, where probes collide, still tells keys from their prefixes and extensions", () => {
    const keys = ["b", "bu", "bul", "bull", "bulls", "bullish", "ish", "lish", "sh", "h", "ab", "ba"];
    for (let size = 1; size <= keys.length; size++) {
      const map = new Map(keys.slice(0, size).map((k, i) => [k, i]));
      const table = new StringTable(map);
      const text = "bullish BULLS bull bu b ab ba Ba abullishness hsilluB";
      for (let a = 0; a <= text.length; a++) {
        for (let b = a; b <= text.length; b++) {
          const piece = text.slice(a, b);
          expect(table.getIn(text, a, b)).toBe(map.get(piece));
          expect(table.entryOfLowered(text, a, b)?.value).toBe(map.get(piece.toLowerCase()));
          expect(table.getLowered(text, a, b)).toBe(map.get(piece.toLowerCase()));
        }
      }
    }
  });
});

/** Every whitespace-separated piece of generator posts and fuzz texts. */
function words(): string[] {
  return [...generated.slice(0, 5000).map((p) => p.text), ...fuzzTexts(5000, 9)].flatMap((t) => t.split(/\s+/)).filter(Boolean);
}

const TOKEN_AT = new RegExp(TOKEN.source, "uy");

/** Token spans as tokenize finds them: anchored at each position, the next one when nothing matches. */
function anchoredScan(text: string): string[] {
  const out: string[] = [];
  for (let pos = 0; pos < text.length; ) {
    TOKEN_AT.lastIndex = pos;
    if (!TOKEN_AT.test(text)) {
      pos++;
      continue;
    }
    out.push(`${pos}-${TOKEN_AT.lastIndex}`);
    pos = TOKEN_AT.lastIndex;
  }
  return out;
}

/** Token spans as TOKEN's own search finds them. */
function searchScan(text: string): string[] {
  const re = new RegExp(TOKEN.source, "gu");
  return [...text.matchAll(re)].map((m) => `${m.index}-${m.index + m[0].length}`);
}
