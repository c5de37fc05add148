/**
 * Shortcuts taken per code point beyond ASCII: the tokenizer takes an emoji of its list as a token
 * without asking TOKEN, and the entity scan remembers per code point whether it is a letter or digit.
 * Each must answer as the regex it stands in for.
 */
import { seededRandom } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { EMOJI_VALENCE } from "../src/core/emoji-lexicon.ts";
import { nonAsciiWordEnd } from "../src/core/extract-entities.ts";
import { TOKEN } from "../src/core/score-text.ts";

describe("emoji of the list", () => {
  it("are exactly TOKEN's match where they stand, whatever is around them", () => {
    const at = new RegExp(TOKEN.source, "uy");
    const around: [string, string][] = [["", ""], ["a", "b"], ["x", "\ufe0f"], ["", "\u200d🔥"], ["1", "🏽"], ["é", "é"], ["$", "%"], [":", ")"]];
    for (const e of Object.keys(EMOJI_VALENCE)) {
      for (const [before, after] of around) {
        const text = `${before}${e}${after}`;
        at.lastIndex = before.length;
        const m = at.exec(text);
        expect(m?.[0], JSON.stringify(text)).toBe(e);
      }
    }
  });
});

describe("nonAsciiWordEnd", () => {
  it("answers as /[\\p{L}\\p{N}]/uy at every position, the first time and from its memory", () => {
    const re = /[\p{L}\p{N}]/uy;
    const pieces = ["é", "ß", "中", "文", "Σ", "ς", "ا", "١", "٣", "Ⅻ", "𝐁", "𝟙", "😂", "🚀", "🏽", "\u0301", "\u200d", "\ufe0f", "\u00a0", "\u3000", "\uD83D", "\uDE00", "\uD835", "\uDC01", "a", " "];
    const random = seededRandom(4);
    for (let k = 0; k < 3000; k++) {
      let text = "";
      for (let j = Math.floor(random() * 10); j > 0; j--) text += pieces[Math.floor(random() * pieces.length)]!;
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) < 128) continue;
        re.lastIndex = i;
        const want = re.test(text) ? re.lastIndex : -1;
        expect(nonAsciiWordEnd(text, i), `${JSON.stringify(text)} at ${i}`).toBe(want);
        expect(nonAsciiWordEnd(text, i), `${JSON.stringify(text)} at ${i}, again`).toBe(want);
      }
    }
  });
});
