import { describe, expect, it } from "vitest";
import { scoreText } from "./score-text.ts";

const label = (t: string) => scoreText(t).label;
const score = (t: string) => scoreText(t).score;

describe("scoreText", () => {
  it("reads market words the way crypto Twitter means them", () => {
    expect(label("feeling bullish on this one")).toBe("positive");
    expect(label("very bearish setup here")).toBe("negative");
    expect(label("$SOL going to the moon")).toBe("positive");
    expect(label("got rekt on that long")).toBe("negative");
    expect(label("devs did a rug pull on holders")).toBe("negative");
    expect(label("whales dumping everything")).toBe("negative");
    expect(label("bridge exploited, funds drained")).toBe("negative");
    expect(label("the stablecoin depegged overnight")).toBe("negative");
  });

  it("reads emoji: 🚀 up, 📉 and 🐻 down", () => {
    expect(label("$ETH 🚀🚀")).toBe("positive");
    expect(label("$ETH 📉")).toBe("negative");
    expect(label("this chart 🐻")).toBe("negative");
    expect(label("nice :)")).toBe("positive");
    expect(label("ugh :(")).toBe("negative");
  });

  it("flips sentiment under negation", () => {
    expect(label("this launch is good")).toBe("positive");
    expect(label("this launch is not good")).toBe("negative");
    expect(label("I am not bullish at all")).toBe("negative");
    expect(label("honestly not bad")).toBe("positive");
  });

  it("ends negation at punctuation", () => {
    expect(label("No. This is great")).toBe("positive");
  });

  it("weighs what follows 'but' more than what precedes it", () => {
    expect(label("great team but the token is dumping hard")).toBe("negative");
    expect(label("the chart looks ugly but fundamentals are amazing")).toBe("positive");
  });

  it("strengthens with intensifiers, caps and exclamation, weakens with diminishers", () => {
    expect(score("extremely bullish")).toBeGreaterThan(score("bullish"));
    expect(score("slightly bullish")).toBeLessThan(score("bullish"));
    expect(score("this is BULLISH")).toBeGreaterThan(score("this is bullish"));
    expect(score("bullish!!!")).toBeGreaterThan(score("bullish"));
  });

  it("commits less to a question than to a statement", () => {
    expect(Math.abs(score("is this a crash?"))).toBeLessThan(Math.abs(score("this is a crash.")));
  });

  it("reads insults aimed at bears and shorts as bullish", () => {
    expect(label("shorts getting liquidated, bears in trouble")).toBe("positive");
  });

  it("understands signed percentages and HTML-escaped text", () => {
    expect(label("TVL -35% this week")).toBe("negative");
    expect(label("let&#39;s go")).toBe("positive");
  });

  it("reads up/down as price moves only next to a number, and damps words inside names", () => {
    expect(label("TVL up 40% this week")).toBe("positive");
    expect(label("volume down 12 percent")).toBe("negative");
    expect(label("I will catch up with you tomorrow")).toBe("neutral");
    expect(Math.abs(score("watching the Boston Red Sox tonight"))).toBeLessThan(Math.abs(score("the chart is red tonight")));
  });

  it("damps short quoted praise (mocked or reported speech)", () => {
    expect(score('they said "bottom is in" lol')).toBeLessThan(score("bottom is in lol"));
  });

  it("treats words that are Object.prototype keys as ordinary words", () => {
    for (const t of ["constructor is great", "toString valueOf hasOwnProperty __proto__ bullish"]) {
      expect(Number.isFinite(score(t)), t).toBe(true);
      expect(label(t)).toBe("positive");
    }
  });

  it("leaves plain statements neutral, and keeps the score in [-1, 1]", () => {
    expect(label("The meeting is at 3pm in the main room.")).toBe("neutral");
    expect(scoreText("").label).toBe("neutral");
    const s = score("AMAZING AMAZING AMAZING LOVE LOVE WIN 🚀🚀🚀🚀🚀🚀🚀🚀!!!!!!");
    expect(s).toBeLessThanOrEqual(1);
    expect(score("scam scam rug hack exploit 📉📉📉📉📉")).toBeGreaterThanOrEqual(-1);
  });

  it("leans slightly bullish on crypto talk without other sentiment", () => {
    expect(label("$ETH $BTC")).toBe("positive");
    expect(label("$AAPL $MSFT")).toBe("neutral");
  });
});
