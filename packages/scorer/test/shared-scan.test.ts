/**
 * Shortcuts of the entity scan: it resumes from the hash of each plain word the sentiment tokenizer
 * delimited (word-runs.ts), recognises a tag already listed in place, and ends a t.co link by char
 * codes. Each must find exactly what a scan of its own finds. Checked on generator posts and seeded fuzz.
 */
import { generateStreamLines, postFromStreamLine, seededRandom } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { URL_IN_TEXT, extractEntities, urlEnd } from "../src/core/extract-entities.ts";
import { scoreText } from "../src/core/score-text.ts";
import { makePost } from "./make-post.ts";

/** Protocol spellings, context words and the characters that end, join or split their words. */
const PIECES = [
  "curve", "Curve", "CURVE", "finance", "Finance", "curve.fi", "Curve.fi", "1inch", "aave", "Aave", "v3", "uniswap", "Uniswap", "lido", "dao", "Lido", "maker",
  "Maker", "sky", "Sky", "compound", "Compound", "pendle", "eigen", "layer", "jupiter", "Jupiter", "jup.ag", "gmx", "GMX", "tvl", "pool", "lending", "yield",
  "rocket", "pool", "the", "is", "over", "not", "don't", "don’t", "bullish", "pump", "sooo", "TRAPPP", "x", "a",
  " ", " ", " ", " ", ".", ".", ",", "'", "’", "-", "/", "$", "#", "@", "_", "0", "7", ":", "!", "?", "\n", "\u00a0", "\u3000", "é", "İ", "中", "🚀", "\u0301", "&amp;",
  "https://t.co/x", "https://curve.fi/y", "$CRV", "#DeFi", "@aave",
];

function fuzzTexts(n: number, seed: number): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    let s = "";
    for (let j = Math.floor(random() * 20); j > 0; j--) s += PIECES[Math.floor(random() * PIECES.length)]!;
    out.push(s);
  }
  return out;
}

describe("entity words from the tokenizer's word runs", () => {
  it("are the entities a scan of its own finds, in fuzz and generator posts", () => {
    const now = new Date("2026-11-04T00:00:00Z");
    const posts = [
      ...fuzzTexts(20000, 3).map((text) => makePost({ text, cashtags: [], urls: [] })),
      ...[...generateStreamLines(2000, { seed: 7 })].map((l) => postFromStreamLine(l, "generator", now)),
    ];
    const wrong: string[] = [];
    for (const post of posts) {
      scoreText("unrelated"); // the runs are another text's: extractEntities scans for itself
      const own = JSON.stringify(extractEntities(post));
      scoreText(post.text); // the runs are this text's
      const shared = JSON.stringify(extractEntities(post));
      if (shared !== own && wrong.length < 5) wrong.push(`${JSON.stringify(post.text)}: ${shared} vs ${own}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("tags already listed", () => {
  it("are recognised in place: a cashtag in any case once, upper-cased; hashtags and mentions as written", () => {
    const post = makePost({
      text: "$eth $ETH $Eth $ETH.X $btc #defi #DeFi #DeFi @Aave @aave @Aave",
      cashtags: ["ETH"],
      hashtags: ["DeFi"],
      mentions: ["aave"],
    });
    const e = extractEntities(post);
    expect(e.cashtags).toEqual(["ETH", "BTC"]);
    expect(e.hashtags).toEqual(["DeFi", "defi"]);
    expect(e.mentions).toEqual(["aave", "Aave"]);
  });
});

describe("urlEnd", () => {
  it("ends a t.co link where URL_IN_TEXT's match ends", () => {
    const random = seededRandom(9);
    const chars = ["a", "Z", "0", "/", "?", "=", "&", ".", " ", "\t", "\n", "\v", "\f", "\r", "<", ">", '"', "'", "`", "\u00a0", "\u1680", "\u2000", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u180e", "é", "🚀", "\uD83D", "\uDE00"];
    for (let k = 0; k < 20000; k++) {
      let s = random() < 0.5 ? "https://t.co/" : "http://t.co/";
      for (let j = Math.floor(random() * 12); j > 0; j--) s += chars[Math.floor(random() * chars.length)]!;
      URL_IN_TEXT.lastIndex = 0;
      const m = URL_IN_TEXT.exec(s)!;
      expect(urlEnd(s, 12), JSON.stringify(s)).toBe(m.index + m[0].length);
    }
  });
});
