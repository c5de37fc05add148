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

  it("reads the price path of a crypto post: rising levels bullish, falling levels bearish", () => {
    const flat = score("$SOL.X");
    expect(score("$SOL.X 180 then 210 then 250")).toBeGreaterThan(flat);
    expect(score("$SOL.X from $2.1k to $2.6k")).toBeGreaterThan(flat);
    expect(label("$SOL.X 140 - 120 zone next")).toBe("negative");
    expect(label("$DOGE heading to $0")).toBe("negative");
    // one bare level, or numbers that are counts and times, say nothing about direction
    expect(score("$SOL.X 180")).toBe(flat);
    expect(score("$SOL.X 3x in 2 weeks")).toBe(flat);
    // stock posts have no price-path rule (levels there are mostly options strikes and entries)
    expect(score("$MSFT 300 then 250")).toBe(0);
  });

  it("knows more market talk: pullbacks, legs down, nukes, house of cards, taking a hit, all in", () => {
    expect(label("expecting a pullback on the weekly chart")).toBe("negative");
    expect(label("another leg down from here")).toBe("negative");
    expect(label("this whole market is a house of cards")).toBe("negative");
    expect(label("the bank took a hit in the third quarter")).toBe("negative");
    expect(label("the bank is a hit with students")).toBe("positive");
    expect(label("went all in on this one")).toBe("positive");
  });

  it("reads looking forward and pleasant surprises as positive", () => {
    expect(label("looking forward to the conference next week")).toBe("positive");
    expect(label("was pleasantly surprised by the new update")).toBe("positive");
  });

  it("reads emoticons written in capitals (:D, :P)", () => {
    expect(label("new laptop arrived :D")).toBe("positive");
    expect(score("new laptop arrived :D")).toBe(score("new laptop arrived :d"));
  });

  it("reads a bare exclamation in a post without cashtags as mild excitement", () => {
    expect(label("concert tonight with the whole crew!")).toBe("positive");
    expect(score("concert tonight with the whole crew!")).toBeLessThan(score("great concert tonight with the whole crew!"));
    expect(label("$AAPL earnings tonight!")).toBe("neutral");
  });

  it("reads laughter in crypto talk as mockery, and elsewhere as joy", () => {
    expect(score("$AVAX.X 12 incoming 😂")).toBeLessThan(score("$AVAX.X 12 incoming"));
    expect(score("$LINK still holding 8? lmaooo")).toBeLessThan(score("$LINK still holding 8?"));
    expect(score("no way it holds lol $BTC")).toBeLessThan(score("no way it holds $BTC"));
    expect(label("that cat video lol 😂")).toBe("positive");
  });

  it("reads 'as fuck' as emphasis, not as an insult", () => {
    expect(label("$ARB looking bullish as fuck")).toBe("positive");
    expect(label("the chart looks bullish as shit")).toBe("positive");
  });

  it("weighs the writer's own buying more in crypto posts than the dip talk around it", () => {
    expect(label("$AVAX.X might dip under 10 again, adding more there")).toBe("positive");
    expect(score("$AVAX.X buying here")).toBeGreaterThan(score("$AVAX.X") + 0.15);
    // stock posts keep the plain weight
    expect(score("$MSFT buying here")).toBeLessThan(score("$AVAX.X buying here"));
  });

  it("reads adding to a short as bearish, and all-time lows and breakdowns as bearish", () => {
    expect(label("$AVAX.X adding to short here")).toBe("negative");
    expect(label("$AVAX.X new ATL soon")).toBe("negative");
    expect(label("gold at an all time low")).toBe("negative");
    expect(label("clean breakdown on the daily")).toBe("negative");
    expect(label("the chart breaks down again")).toBe("negative");
  });

  it("reads the side a crypto post names as the side it taunts: bears bullish, bulls bearish", () => {
    expect(label("$ETH bears still waiting for their 500 lol")).toBe("positive");
    expect(label("$ETH hey bulls, still waiting for 2k?")).toBe("negative");
    // laughter aimed at the bears is the bulls laughing
    expect(score("$BTC bears in shambles 😂")).toBeGreaterThan(score("$BTC bears in shambles"));
    // liquidations in a post that names only the bears are the bears' liquidations
    expect(label("$BTC the bears are loud today. liquidations tonight")).toBe("positive");
    // the writer's own shorting is not a counterparty
    expect(label("$ETH shorting this mess")).toBe("negative");
  });

  it("flips what 'is over', and reads praise of a bearish pattern as bearish", () => {
    expect(label("the bear market is over")).toBe("positive");
    expect(label("all time highs are over 20x from here")).toBe("positive");
    expect(label("what a perfect bear flag on the daily")).toBe("negative");
    expect(score("nice bull trap")).toBe(score("bull trap"));
    expect(label("nice dip, adding")).toBe("positive");
  });

  it("folds elongated words into the phrases they belong to", () => {
    expect(label("$DOGE going to zerooooo")).toBe("negative");
    expect(score("BULL TRAPPPP")).toBe(score("BULL TRAP"));
    expect(label("noooo I like it")).toBe("positive"); // a cry, not a negation
  });

  it("knows position, macro and lender-failure talk", () => {
    expect(label("stop loss hit on my long again")).toBe("negative");
    expect(label("stopped out again on my long")).toBe("negative");
    expect(label("BTC relief rallies are just bull traps")).toBe("negative");
    expect(label("$ETH the bottom isn't in yet")).toBe("negative");
    expect(label("the fed will raise rates again")).toBe("negative");
    expect(label("rate cuts are coming")).toBe("positive");
    expect(label("exchange pauses withdrawals")).toBe("negative");
    expect(label("another margin call")).toBe("negative");
    expect(label("short liquidations incoming")).toBe("positive");
    expect(label("the halving is close")).toBe("positive");
    expect(label("$ETH got slaughtered today")).toBe("negative");
    expect(label("the token is worth zero")).toBe("negative");
    expect(label("this looks too good to be true")).toBe("negative");
    expect(label("$AAPL taking profits here")).toBe("neutral"); // an exit, not a bullish call
    expect(label("$ETH let's go brandon")).toBe("negative"); // a political jeer, not excitement
    expect(label("🖕")).toBe("negative");
  });

  it("reads plain plurals of general words, and scare quotes in crypto posts as skeptical", () => {
    expect(label("these idiots again")).toBe("negative");
    expect(label("$ETH funds are “safu”")).toBe("negative");
  });
});
