import { describe, expect, it } from "vitest";
import { compilePhrase, fillPhrase } from "./phrase.ts";
import { PHRASES, PROTOCOLS, TOKENS } from "./vocabulary.ts";

const byReplace = (phrase: string, protocol: string, cashtag: string) => phrase.replace("{p}", protocol).replace("{t}", cashtag);

describe("phrase templates", () => {
  it("write every phrase with every protocol and token exactly as replace does", () => {
    const phrases = [...PHRASES.positive, ...PHRASES.neutral, ...PHRASES.negative];
    let mismatches = 0;
    for (const phrase of phrases) {
      const template = compilePhrase(phrase);
      expect(template.hasCashtag, phrase).toBe(phrase.includes("{t}"));
      for (const protocol of PROTOCOLS)
        for (const token of TOKENS) if (fillPhrase(template, protocol, `$${token}`) !== byReplace(phrase, protocol, `$${token}`)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("fill only the first {p} and {t}, in either order, leaving later ones as text", () => {
    for (const phrase of ["{t} then {p}", "{p} then {t}", "{p} alone", "{p}{t} {p} {t}", "a {t}{p} b {t}"])
      expect(fillPhrase(compilePhrase(phrase), "Aave", "$AAVE")).toBe(byReplace(phrase, "Aave", "$AAVE"));
  });

  it("refuse a phrase without a protocol slot, naming it", () => {
    expect(() => compilePhrase("just {t}")).toThrow(/without \{p\}: "just \{t\}"/);
  });
});
