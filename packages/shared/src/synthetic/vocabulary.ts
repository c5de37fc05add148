/** Word lists for the synthetic generator. Written for this project; not taken from any data set. */

export const PROTOCOLS = [
  "Uniswap", "Aave", "Curve", "Lido", "MakerDAO", "Sky", "Compound", "Pendle", "EigenLayer", "GMX",
  "dYdX", "Jupiter", "Raydium", "Morpho", "Ethena", "Hyperliquid", "Convex", "Balancer", "SushiSwap",
  "PancakeSwap", "Synthetix", "Frax", "Rocket Pool", "Kamino", "Orca", "Yearn", "1inch", "Aerodrome",
] as const;

export const TOKENS = [
  "ETH", "BTC", "UNI", "AAVE", "CRV", "LDO", "MKR", "COMP", "PENDLE", "EIGEN", "GMX", "DYDX", "JUP",
  "RAY", "MORPHO", "ENA", "HYPE", "SOL", "ARB", "OP", "USDC", "USDT", "DAI", "USDe", "LINK", "SNX",
] as const;

export const HASHTAGS = [
  "DeFi", "defi", "Ethereum", "crypto", "yield", "airdrop", "staking", "Web3", "stablecoins", "DEX",
  "L2", "restaking", "RWA", "Solana", "onchain", "BuildOnBase",
] as const;

export const OPENERS = ["", "", "", "gm.", "Thread:", "PSA:", "ngl", "Honestly,", "Update:", "Breaking:", "Hot take:", "🧵"] as const;

export const PHRASES = {
  positive: [
    "{p} just hit a new TVL high, super bullish on {t} 🚀",
    "Loving the new {p} v4 release, fees are way lower now",
    "{t} looking strong, {p} volume is up 40% this week 📈",
    "Just claimed my {p} airdrop, thank you team 🙏",
    "{p} is the best lending market in DeFi right now, great yields",
    "Aping into {t}, {p} is going to the moon",
    "Huge respect to the {p} devs for shipping on time, this is how DeFi wins",
    "Staked more {t} on {p}, rewards have been excellent",
    "{p} governance vote passed, great outcome for holders of {t}",
    "Bullish on {p}. Real revenue, real users, no VC dump",
  ],
  neutral: [
    "{p} governance proposal #{t} is up for vote this week",
    "What is everyone's take on {p} vs other DEXs?",
    "Moved some {t} to {p} to test the new interface",
    "{p} publishes its monthly transparency report",
    "How does {p} calculate the borrow rate for {t}?",
    "Reading the {p} docs on liquidation thresholds",
    "{t} price unchanged after the {p} upgrade announcement",
    "Comparing gas costs on {p} across L2s",
    "New pool for {t} listed on {p}",
    "{p} community call tomorrow at 3pm UTC",
  ],
  negative: [
    "{p} got exploited again, funds drained. Stay away from {t} 💀",
    "Rekt on {p}, liquidated my whole {t} position 📉",
    "{t} depeg is scary, {p} withdrawals paused",
    "This {p} fork is a rug pull, devs dumped on everyone",
    "Terrible UX on {p}, lost money to slippage on {t}",
    "{p} fees are insane and support never answers. Bearish",
    "Not bullish on {t} at all, {p} TVL keeps bleeding",
    "Another hack, another {p} bailout. DeFi is broken",
    "Avoid {p}, the oracle is manipulated and {t} is dumping hard",
    "Sold all my {t}. {p} governance is a joke 🤡",
  ],
} as const;

/** Free-text profile locations as people write them: places, flags, jokes, blanks. */
export const LOCATIONS = [
  "", "", "", "", "", "New York, NY", "NYC", "San Francisco, CA", "SF", "London", "London, England", "UK",
  "Berlin, Germany", "Deutschland", "Paris, France", "Lagos, Nigeria", "Nigeria", "Singapore", "Dubai, UAE",
  "UAE", "Toronto, Canada", "Canada", "Sydney, Australia", "Seoul, South Korea", "Tokyo", "日本", "India",
  "Bangalore, India", "Mumbai", "São Paulo, Brasil", "Buenos Aires", "Mexico City", "Lisbon, Portugal",
  "Zug, Switzerland", "Hong Kong", "Istanbul", "Austin, TX", "Miami, FL", "Texas", "California, USA",
  "🇺🇸", "🇳🇬", "🇬🇧", "🇩🇪", "🇫🇷", "🇸🇬", "Metaverse", "Earth", "Web3", "Crypto Ocean", "on-chain",
  "Moon 🌕", "wherever the yield is", "🌍", "Everywhere", "Solana", "localhost", "Ethereum mainnet",
] as const;

export const DOMAINS = ["defillama.com", "etherscan.io", "medium.com", "mirror.xyz", "dune.com", "github.com", "x.com", "coindesk.com", "theblock.co"] as const;

export const FIRST = ["alex", "sam", "chris", "maria", "kenji", "ade", "olu", "lena", "ivan", "sofia", "raj", "mei", "diego", "noah", "emma", "yuki", "omar", "zoe", "liam", "ana"] as const;
export const LAST = ["chen", "smith", "okafor", "muller", "rossi", "kim", "sato", "garcia", "patel", "novak", "silva", "ng", "brown", "ivanova", "dubois"] as const;
