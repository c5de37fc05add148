/**
 * Our own crypto-Twitter and markets vocabulary (valence -4..4), written by hand, versioned with
 * SCORER_VERSION. Base forms; `expandInflections` adds -s/-ed/-ing forms at start-up.
 * Overrides the general lexicon where markets use a word differently ("bull", "short", "crush").
 */
export const DOMAIN_WORDS: Record<string, number> = {
  // market direction
  bullish: 3, bull: 1, bulls: 0.5, bearish: -3, bear: -1.5, bears: -1, moon: 3, mooning: 3, moonshot: 2.5,
  pump: 2, pumping: 2.2, dump: -2.5, dumping: -2.5, rally: 2.5, surge: 2, soar: 2.5, skyrocket: 3,
  breakout: 2, rip: -1, ripping: 2, rebound: 2, recover: 1.5, recovery: 1.5, bounce: 1.5, uptrend: 2.5,
  downtrend: -2.5, crash: -3, plunge: -3, plummet: -3, tank: -2.5, tanking: -2.5, sink: -2, slump: -2.5,
  selloff: -2.5, bleed: -2, bleeding: -2.5, capitulation: -2.5, correction: -1, dip: -0.5, dips: -0.5,
  higher: 1.2, lower: -1.2, high: 0.5, low: -0.5, highs: 1.5, lows: -1.5, up: 0, down: 0, green: 1.5, red: -1.5,
  gain: 2, gains: 2, loss: -2, losses: -2.2, profit: 2, profits: 2, profitable: 2, unprofitable: -2,
  outperform: 2, underperform: -2, undervalued: 2, overvalued: -2, overbought: -1, oversold: 1,
  buy: 1, buying: 1, bought: 0.8, accumulate: 1.5, accumulating: 1.5, long: 0.8, longs: 0.5, sell: -1.2, selling: -1.2,
  sold: -0.8, short: -1, shorts: -0.8, shorting: -1.5, squeeze: 1, support: 0.8, resistance: -0.3,
  upside: 2, downside: -2, upgrade: 2, upgraded: 2, downgrade: -2.5, downgraded: -2.5, beat: 1.5, beats: 2,
  miss: -1.5, misses: -2, missed: -1.5, raise: 1, raised: 1.2, raises: 1.2, cut: -1.2, cuts: -1.2, slash: -2, slashed: -2,
  boost: 2, boosted: 2, jump: 1.8, jumps: 2, jumped: 2, climb: 1.8, climbs: 2, rises: 1.8, rise: 1.5, rising: 1.5, rose: 1.5,
  falls: -1.8, fall: -1.5, falling: -1.8, fell: -1.8, drop: -1.8, drops: -2, dropped: -2, dropping: -2, decline: -1.8, declines: -2,
  declined: -2, weak: -2, weakness: -2, strong: 2, strength: 1.5, record: 1, soared: 2.5, surged: 2.2, crashed: -3,
  outflows: -2, inflows: 2, buyback: 1.5, dividend: 1, overweight: 1.5, underweight: -1.5, hike: -0.5,
  // crypto slang
  hodl: 1.5, dca: 1, wagmi: 2.5, ngmi: -2.5, gm: 0.8, lfg: 2.5, fud: -1.5, fomo: 0.5, rekt: -3, ath: 2.5, ape: 0.8, aped: 0.8,
  gem: 2, gems: 2, degen: 0.3, bagholder: -2.5, bagholders: -2.5, bags: -0.5, shill: -1, shilling: -1, ponzi: -3,
  bubble: -1.5, printing: 1, send: 1, sending: 1.5, sends: 1, rocket: 2, parabolic: 2.5, explode: 1.5, explosive: 2,
  diamond: 1.5, paperhands: -1.5, cope: -1.5, copium: -2, hopium: -1, rugged: -3.5, rug: -3, rugpull: -3.5, scam: -3.2,
  scammer: -3.2, scammers: -3.2, scammed: -3.2, exploit: -3, exploited: -3, hack: -3, hacked: -3.2, hacker: -2.5,
  drained: -3, drain: -2.5, depeg: -3, depegged: -3, depegging: -3, liquidated: -2.8, liquidation: -2, liquidations: -2,
  insolvent: -3, insolvency: -3, bankrupt: -3, bankruptcy: -3, contagion: -3, collapse: -3, collapsed: -3,
  delisted: -2.5, delisting: -2.5, delist: -2.5, halted: -2, frozen: -1.5, exploiter: -3, phishing: -3, drainer: -3,
  airdrop: 1.5, airdrops: 1.5, launch: 1, launched: 1.2, launches: 1, mainnet: 1.5, listing: 1.2, listed: 1,
  partnership: 2, partnered: 2, integration: 1.2, integrated: 1.2, adoption: 2, approval: 2, approved: 2.2,
  bullrun: 3, altseason: 2.5, unlock: -0.8, unlocks: -0.8, dilution: -2, inflationary: -1, deflationary: 1,
  staking: 0.3, yield: 0.5, apy: 0.5, tvl: 0.3, ath_: 0, lawsuit: -2, sued: -2, fraud: -3.2, fraudulent: -3.2,
  crypto: 0, defi: 0, blockchain: 0, undervalue: 1.5, legit: 1.5, solid: 1.5, insane: 1,
  calls: 1.2, puts: -1.2, print: 1.5, prints: 1.5, investigated: -2, investigation: -2, probe: -2, recall: -1.5,
  recalls: -1.5, buyin: 1, below: -0.5, above: 0.5, itm: 1.5, snapback: 1, steal: 0.5, fiasco: -2.5, scandal: -2.5,
  sucker: -2.5, suckers: -2.5, delusional: -2.5, shitcoin: -2, shitcoins: -2, rugs: -3,
  reload: 1.5, reloading: 1.5, loading: 1, incoming: 1, adding: 0.8, trapped: -2, trap: -1.5, pamp: 2, runs: 0.5,
  bottomed: 1.5, capitulated: -2, rejected: -1.5, rejection: -1.5, crab: -0.5, crabbing: -0.5, chop: -0.5, choppy: -1,
  bleeds: -2, dumped: -2.5, dumps: -2.5, sellers: -0.5, buyers: 0.5, whales: 0, manipulation: -2, manipulated: -2,
  pullback: -1.2, exiting: -1, exited: -1, nuke: -2, nuked: -2.5, yikes: -1.5, goodbye: -1, moonboy: -1, moonboys: -1,
  flushed: -1.5, bloodbath: -3, topple: -2, bailout: -1.5, rebuy: 1, bagholding: -2, capitulate: -2,
  scamcoin: -3, fakecoin: -2.5, atl: -2.5, breakdown: -2, dogshit: -3, baggie: -1.5, baggies: -1.5,
  worthless: -3, joke: -1.5, cult: -1.5, tulip: -2, mania: -1, lottery: -1, casino: -1, greed: -1, fear_: 0,
  // forced selling, worthless-asset insults, busts, "timber!" (it falls), bs; halvings and stacking coins are bullish
  liquidate: -2.5, trash: -2, junk: -2, garbage: -2.5, turd: -2.5, clown: -1.5, bust: -2, busted: -2, wiped: -2.5,
  timber: -1.5, halving: 1.5, stack: 1, stacking: 1.5, slaughter: -2.5, slaughtered: -2.5, bs: -2,
  // general words the general list lacks or scores wrongly for tweets
  xd: 2, lmfao: 0, lol: 1.2, haha: 1.5, lmao: 1, omg: 0, yay: 2.5, woohoo: 3, thx: 2, ty: 1.5, congrats: 3, congratulations: 3,
  excited: 3, exciting: 3, awesome: 3.2, amazing: 3.2, fun: 2.5, nice: 2.2, cool: 1.5, best: 2.5, better: 1.5,
  worse: -2.2, worst: -3, sucks: -2.5, suck: -2.5, hate: -3, hates: -3, boring: -2, annoying: -2.3, tired: -1.5,
  sad: -2.3, miss_: 0, disappointing: -2.5, disappointed: -2.5, fail: -2, failed: -2, failing: -2, fails: -2,
  kill: -2, killed: -2, killing: -1, dead: -2, death: -2, died: -2.5, war: -2, terror: -3, crisis: -2.5,
  fear: -2, panic: -2.5, worried: -2, worry: -1.5, concern: -1, concerns: -1.2, risk: -0.8, risky: -1.5,
  happy: 2.8, glad: 2.5, love: 3, loved: 3, loving: 2.8, lovely: 3, enjoy: 2.2, enjoyed: 2.2, wonderful: 3.2,
  thanks: 2, thank: 2, grateful: 3, proud: 2.5, beautiful: 3, great: 3, good: 2, win: 2.5, won: 2.2, winning: 2.5,
  winner: 2.5, bad: -2.5, terrible: -3.2, horrible: -3.2, awful: -3, ugly: -2.2, stupid: -2.5, dumb: -2.2,
  attack: -2.5, attacks: -2.5, attacked: -2.5, racist: -3, xenophobic: -3, narcissist: -2.5, bitching: -2.5,
  bailed: -1.5, predictable: -1, framed: -1.5, pain: -2, painful: -2.5, faves: 2, fave: 2, fav: 2, favourite: 2.5,
  perf: 2, tgif: 2, finally: 0.8, yass: 2.5, yasss: 2.5, woot: 2.5, stoked: 3,
  fml: -2.5, smfh: -2, wtf_: 0, ugh_: 0, shit: -2, fuck: -2, fucking: -1, damn: -1, wtf: -2, ugh: -2, smh: -2, sorry: -1, unfortunately: -2,
};

/** Multi-word expressions, matched on lower-cased word sequences before single words. */
export const DOMAIN_PHRASES: Record<string, number> = {
  "to the moon": 3.5, "all time high": 3, "all time highs": 3, "new high": 2.5, "new highs": 2.5,
  "buy the dip": 2, "buying the dip": 2, "bought the dip": 2, "short squeeze": 2, "rug pull": -3.5, "rug pulled": -3.5,
  "pump and dump": -3, "sell off": -2.5, "sold off": -2.5, "price target raised": 2.5, "price target cut": -2.5,
  "broke out": 2, "breaking out": 2, "broke down": -2, "breaking down": -2, "broke support": -2.5, "lost support": -2.5,
  "broke resistance": 2.5, "going up": 1.5, "going down": -1.5, "goes up": 1.5, "goes down": -1.5, "went up": 1.5,
  "went down": -1.5, "can't wait": 2.5, "cant wait": 2.5, "can not wait": 2.5, "no brainer": 2, "no doubt": 1.5,
  "no worries": 1.5, "no problem": 1.5, "not financial advice": 0, "looking good": 2, "looks good": 2,
  "higher low": 1.5, "higher lows": 1.5, "lower high": -1.5, "lower highs": -1.5, "lower low": -2, "lower lows": -2,
  "death cross": -2.5, "golden cross": 2.5, "bull run": 3, "bull market": 2, "bear market": -2, "bull flag": 2,
  "bear flag": -2, "exit liquidity": -2.5, "rest in peace": -1, "well done": 2.5, "let's go": 2, "lets go": 2,
  "take profit": 0, "taking profits": 0, "take profits": 0, "took profits": 0, // an exit, not a bullish call
  "stop loss": -0.5, "not bad": 1.5, "new low": -2.5, "new lows": -2.5,
  "inflows": 2, "outflows": -2, "tvl up": 2, "tvl down": -2, "beat estimates": 2.5, "missed estimates": -2.5,
  "bull trap": -2.5, "bear trap": 2, "to zero": -2.5, "jump ship": -2, "supply cut": 2, "lower entry": 1,
  "is back": 2, "are back": 2, "load up": 2, "loading up": 2, "add more": 1.5, "adding more": 1.5, "bull run over": -2.5,
  "pump is over": -2.5, "rally is over": -2.5, "it's over": -2, "its over": -2, "bottom is in": 2, "bottoms in": 1.5,
  "went bankrupt": -3, "paper hands": -1.5, "diamond hands": 2, "few understand": 1.5, "not selling": 1.5,
  "still holding": 1.5, "dead cat bounce": -2.5, "free money": 2, "never selling": 2, "guidance cut": -2.5, "screw you": -3, "kidding me": -2, "not working": -2, "missing out": -1.5, "pyramid scheme": -3, "ponzi scheme": -3, "in short": 0, "as hell": 0, "comes back": 1.5,
  "is the future": 2.5, "cash out": -1.2, "cashed out": -1.2, "cashing out": -1.2, "no use case": -2, "no usecase": -2,
  "lack of": -1, "hedge against inflation": 1.5, "went to zero": -3, "lesson learned": -1.5, "never again": -2, "is up": 1, "are up": 1, "was up": 0.8, "is down": -1, "are down": -1, "was down": -0.8,
  "way up": 1.5, "way down": -1.5, "trending up": 1.5, "trending down": -1.5, "moving up": 1.2, "moving down": -1.2, "go broke": -2.5, "going broke": -2.5, "a steal": 2, "absolute steal": 2.5, "back below": -1.5, "back above": 1.5,
  "pull back": -1.2, "pulling back": -1.2, "leg down": -2, "leg up": 2, "house of cards": -2.5, "relief rally": -0.5,
  "greater fool": -2, "all in": 1.5, "run it up": 1.5, "cup and handle": 1.5, "cash is king": -1, "dead coin": -2.5,
  "looking forward": 2.5, "look forward": 2.5, "looks forward": 2.5, "pleasantly surprised": 2.5, "a hit": 1.5, "take a hit": -2, "takes a hit": -2, "took a hit": -2, "taking a hit": -2,
  "as fuck": 0, "as shit": 0, "moon boy": -1, "moon boys": -1, "bear rally": -1,
  "adding to short": -2, "add to short": -2, "adding to my short": -2, "added to my short": -2, "perma bulls": -1.5,
  "left the chat": -1.5, "all time low": -3, "all time lows": -3, "breaks down": -2, "no bueno": -2,
  // plurals of the trap/rally phrases; the bottom not being in; a bear market ending
  "bull traps": -2.5, "bear traps": 2, "relief rallies": -0.5, "bear rallies": -1, "bottom is not in": -2,
  "bottom isn't in": -2, "not the bottom": -1.5, "no bottom": -1.5, "bear market over": 2, "crypto winter": -2, "nuclear winter": -2.5, "black monday": -2.5,
  // forced and failed positions; position talk
  "margin call": -2.5, "margin calls": -2.5, "margin called": -2.5, "wiped out": -2.5, "wipe out": -2,
  "stop loss hit": -2, "stopped out": -2, "got stopped": -2, "falling knife": -2, "max pain": -1.5,
  "going long": 1.5, "went long": 1.5, "going short": -1.5, "went short": -1.5, "opened a short": -2, "opened a long": 1.5,
  "loaded up": 2, "buy more": 1.5, "buying more": 1.5, "bought more": 1.5, "average down": 1.5, "averaging down": 1.5,
  "buy the fear": 2, "sell the rip": -1.5, "sell the rips": -1.5, "sell the rally": -1.5, "short covering": 1.5,
  "cover your shorts": 1.5, "bag holder": -2.5, "bag holders": -2.5, "bag holding": -2, "get out now": -2,
  // whose liquidations they are says which way price went (shorts liquidated: up)
  "short liquidations": 2, "short liquidation": 2, "long liquidations": -2, "long liquidation": -2,
  // an idiom of doubt; an asset said to be worth nothing
  "too good to be true": -2, "worth zero": -3, "no value": -2, "zero value": -2.5,
  // supply shrinking (halvings, burns, lower issuance) is bullish
  "drop in supply": 2, "cut in supply": 2, "supply shock": 2,
  // central-bank rates: hikes weigh on crypto and stocks, cuts lift them
  "rate hike": -1.5, "rate hikes": -1.5, "raise rates": -1.5, "raises rates": -1.5, "raising rates": -1.5,
  "hike rates": -1.5, "hiking rates": -1.5, "rate cut": 1.5, "rate cuts": 1.5, "cut rates": 1.5, "cuts rates": 1.5,
  "cutting rates": 1.5,
  // crypto-lender failures
  "halts withdrawals": -3, "halted withdrawals": -3, "suspends withdrawals": -3, "suspended withdrawals": -3,
  "pauses withdrawals": -3, "paused withdrawals": -3, "freezes withdrawals": -3, "froze withdrawals": -3,
  "defaults on": -3, "defaulted on": -3,
  // a political jeer, not "let's go" excitement; a cry of alarm
  "let's go brandon": -1, "lets go brandon": -1, "uh oh": -1.5, "to da moon": 3.5,
  "calls printing": 2.5, "puts printing": -2.5, "money printer": 1.5, "may or may not": 0, "not only": 0, "no matter": 0, "not sure": -0.8, "raised guidance": 2.5, "lowered guidance": -2.5, "going to zero": -3, "goes to zero": -3,
};

export const NEGATORS = new Set([
  "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "without", "hardly",
  "aint", "ain't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't",
  "arent", "aren't", "werent", "weren't", "wont", "won't", "wouldnt", "wouldn't", "cant", "can't", "couldnt",
  "couldn't", "shouldnt", "shouldn't", "havent", "haven't", "hasnt", "hasn't", "hadnt", "hadn't", "mustnt", "mustn't",
  "neednt", "needn't", "nah", "nope",
]);

export const INTENSIFIERS: Record<string, number> = {
  very: 1.3, really: 1.3, so: 1.2, super: 1.35, extremely: 1.5, incredibly: 1.5, absolutely: 1.4, totally: 1.3,
  completely: 1.3, highly: 1.3, hugely: 1.4, mega: 1.4, ultra: 1.4, most: 1.2, most_: 1, too: 1.15, damn: 1.2,
  fucking: 1.3, insanely: 1.5, massively: 1.4, seriously: 1.25, truly: 1.25, especially: 1.2,
  slightly: 0.6, somewhat: 0.7, barely: 0.5, kinda: 0.7, kind_of: 0.7, sorta: 0.7, little: 0.75, partly: 0.7,
  marginally: 0.6, mildly: 0.65,
};

/** Groups whose misfortune is good news for the writer: negative words aimed at them read bullish. */
export const COUNTERPARTIES = new Set(["bears", "shorts", "shorters", "shorties", "fudders", "haters", "doubters", "paperhands"]);

/** The bull side, as bears name it to taunt it ("hey bulls", "permabulls trapped"). */
export const BULL_SIDE = new Set(["bulls", "permabulls", "moonboys"]);

/** Losses that befall traders rather than the market; first words of phrases ("margin call"). */
export const TRADER_PAIN = new Set([
  "liquidated", "liquidation", "liquidations", "liquidate", "liquidating", "rekt", "margin", "trapped", "wiped",
]);

/** Praise that grades a chart pattern rather than the market: "nice bull trap", "perfect bear flag". */
export const PRAISE = new Set(["nice", "perfect", "lovely", "beautiful", "textbook", "clean", "great", "gorgeous"]);

/** Words that mark a post as crypto talk (with crypto cashtags, see `isCryptoContext`). */
export const CRYPTO_WORDS = new Set([
  "crypto", "cryptos", "bitcoin", "btc", "eth", "ethereum", "defi", "altcoin", "altcoins", "alts", "hodl", "nft", "nfts",
  "token", "tokens", "blockchain", "memecoin", "memecoins", "solana", "sol", "doge", "dogecoin", "shib", "stablecoin",
  "web3", "onchain", "wagmi", "gm", "degen", "satoshi", "sats", "airdrop", "staking", "binance", "coinbase", "xrp", "ada",
]);

export const CONTRASTS = new Set(["but", "however", "though", "although", "yet", "nevertheless", "nonetheless", "still", "except"]);
