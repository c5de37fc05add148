import { describe, expect, it } from "vitest";
import { makePost } from "../../test/make-post.ts";
import { extractEntities } from "./extract-entities.ts";

const protocols = (text: string) => extractEntities(makePost({ text, cashtags: [], hashtags: [], mentions: [], urls: [] })).protocols;

describe("extractEntities", () => {
  it("normalises cashtags, hashtags and mentions from entities and text", () => {
    const e = extractEntities(makePost({ text: "$eth and $Sol.X with #DeFi by @Alice_1", cashtags: ["ETH"], hashtags: [], mentions: [] }));
    expect(e.cashtags).toEqual(["ETH", "SOL"]);
    expect(e.hashtags).toEqual(["DeFi"]);
    expect(e.mentions).toEqual(["Alice_1"]);
  });

  it("takes link domains from expanded urls, without www and t.co", () => {
    const e = extractEntities(makePost({ text: "read https://t.co/abc", urls: ["https://www.aave.com/blog/x", "https://t.co/abc"] }));
    expect(e.domains).toEqual(["aave.com"]);
    expect(e.protocols).toEqual(["Aave"]);
  });

  it("names protocols by canonical name from spellings, tickers and handles", () => {
    expect(protocols("Uniswap v4 hooks are live")).toEqual(["Uniswap"]);
    expect(protocols("eigen layer restaking")).toEqual(["EigenLayer"]);
    expect(protocols("$LDO and $PENDLE")).toEqual(["Lido", "Pendle"]);
    expect(protocols("gm @ethena_labs")).toEqual(["Ethena"]);
    expect(protocols("MakerDAO vote today")).toEqual(["Sky (Maker)"]);
    expect(protocols("dydx perps")).toEqual(["dYdX"]);
  });

  it("does not read ordinary words as protocols", () => {
    expect(protocols("the learning curve is steep")).toEqual([]);
    expect(protocols("blue sky thinking")).toEqual([]);
    expect(protocols("compound interest is magic")).toEqual([]);
    expect(protocols("Jupiter is bright tonight")).toEqual([]);
  });

  it("reads a capitalised ordinary-word name as a protocol next to DeFi talk", () => {
    expect(protocols("Curve pools are deep again")).toEqual(["Curve"]);
    expect(protocols("Compound lending rates rising")).toEqual(["Compound"]);
    expect(protocols("Sky governance vote passed")).toEqual(["Sky (Maker)"]);
    // next to DeFi talk but not capitalised, or named by a phrase that is no ordinary word
    expect(protocols("curve pools are deep again")).toEqual([]);
    expect(protocols("the jupiter exchange is down")).toEqual(["Jupiter"]);
    expect(protocols("ÉCurve pools")).toEqual([]);
  });

  it("finds protocols in text whose lower case changes length or needs context (İ, Σ, the Kelvin sign, astral letters)", () => {
    expect(protocols("İstanbul folks moving funds to Aave")).toEqual(["Aave"]);
    expect(protocols("ΟΔΟΣ Σ Aave")).toEqual(["Aave"]);
    expect(protocols("\u212Aamino is live")).toEqual(["Kamino"]);
    expect(protocols("𝐁𝐔𝐋𝐋𝐈𝐒𝐇 on Kamino and curve.fi")).toEqual(["Kamino", "Curve"]);
  });
});
