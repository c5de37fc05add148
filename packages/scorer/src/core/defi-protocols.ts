/**
 * Our curated DeFi protocol list (bump PROTOCOL_LIST_VERSION on change). Each protocol has its
 * canonical name, the spellings people write, its token tickers, X handles and web domains.
 * `ordinaryWords` lists spellings that are also everyday English ("curve", "sky", "compound"): those
 * count only with context (see extract-entities.ts).
 */
export const PROTOCOL_LIST_VERSION = "2026.11.1";

export interface DefiProtocol {
  name: string;
  spellings: string[];
  tickers: string[];
  handles: string[];
  domains: string[];
  /** Spellings that are also everyday words: they count only with context. */
  ordinaryWords?: string[];
}

export const DEFI_PROTOCOLS: DefiProtocol[] = [
  { name: "Uniswap", spellings: ["uniswap", "uni swap", "uniswap v3", "uniswap v4", "unichain"], tickers: ["UNI"], handles: ["uniswap", "unichain"], domains: ["uniswap.org"] },
  { name: "Aave", spellings: ["aave", "aave v3", "gho"], tickers: ["AAVE", "GHO"], handles: ["aave", "aave_aci"], domains: ["aave.com"] },
  { name: "Curve", spellings: ["curve", "curve finance", "curve.fi", "crvusd"], tickers: ["CRV", "CRVUSD"], handles: ["curvefinance"], domains: ["curve.fi", "curve.finance"], ordinaryWords: ["curve"] },
  { name: "Lido", spellings: ["lido", "lido finance", "lido dao", "steth", "wsteth"], tickers: ["LDO", "STETH", "WSTETH"], handles: ["lidofinance"], domains: ["lido.fi"], ordinaryWords: ["lido"] },
  { name: "Sky (Maker)", spellings: ["makerdao", "maker dao", "maker", "sky", "sky protocol", "sky money", "usds", "spark protocol"], tickers: ["MKR", "SKY", "USDS", "DAI"], handles: ["makerdao", "skyecosystem", "sparkdotfi"], domains: ["makerdao.com", "sky.money", "spark.fi"], ordinaryWords: ["maker", "sky"] },
  { name: "Compound", spellings: ["compound", "compound finance", "compound v3"], tickers: ["COMP"], handles: ["compoundfinance"], domains: ["compound.finance"], ordinaryWords: ["compound"] },
  { name: "Pendle", spellings: ["pendle", "pendle finance"], tickers: ["PENDLE"], handles: ["pendle_fi"], domains: ["pendle.finance"] },
  { name: "EigenLayer", spellings: ["eigenlayer", "eigen layer", "eigencloud", "eigenda"], tickers: ["EIGEN"], handles: ["eigenlayer", "eigencloud"], domains: ["eigenlayer.xyz"] },
  { name: "GMX", spellings: ["gmx"], tickers: ["GMX", "GLP"], handles: ["gmx_io"], domains: ["gmx.io"] },
  { name: "dYdX", spellings: ["dydx"], tickers: ["DYDX"], handles: ["dydx", "dydxfoundation"], domains: ["dydx.exchange", "dydx.trade"] },
  { name: "Jupiter", spellings: ["jupiter", "jupiter exchange", "jup.ag"], tickers: ["JUP"], handles: ["jupiterexchange"], domains: ["jup.ag"], ordinaryWords: ["jupiter"] },
  { name: "Raydium", spellings: ["raydium"], tickers: ["RAY"], handles: ["raydiumprotocol"], domains: ["raydium.io"] },
  { name: "Morpho", spellings: ["morpho", "morpho blue", "morpho labs"], tickers: ["MORPHO"], handles: ["morpholabs", "morpho"], domains: ["morpho.org"] },
  { name: "Ethena", spellings: ["ethena", "ethena labs", "usde", "susde"], tickers: ["ENA", "USDE", "SUSDE"], handles: ["ethena_labs", "ethena"], domains: ["ethena.fi"] },
  { name: "Convex", spellings: ["convex", "convex finance"], tickers: ["CVX"], handles: ["convexfinance"], domains: ["convexfinance.com"], ordinaryWords: ["convex"] },
  { name: "Balancer", spellings: ["balancer"], tickers: ["BAL"], handles: ["balancer"], domains: ["balancer.fi"] },
  { name: "SushiSwap", spellings: ["sushiswap", "sushi swap"], tickers: ["SUSHI"], handles: ["sushiswap"], domains: ["sushi.com"] },
  { name: "Synthetix", spellings: ["synthetix", "susd"], tickers: ["SNX"], handles: ["synthetix_io"], domains: ["synthetix.io"] },
  { name: "Hyperliquid", spellings: ["hyperliquid", "hyperevm"], tickers: ["HYPE"], handles: ["hyperliquidx"], domains: ["hyperliquid.xyz"] },
  { name: "Rocket Pool", spellings: ["rocket pool", "rocketpool", "reth"], tickers: ["RPL", "RETH"], handles: ["rocket_pool"], domains: ["rocketpool.net"] },
  { name: "Frax", spellings: ["frax", "frax finance", "frxeth"], tickers: ["FXS", "FRAX"], handles: ["fraxfinance"], domains: ["frax.finance", "frax.com"] },
  { name: "PancakeSwap", spellings: ["pancakeswap", "pancake swap"], tickers: ["CAKE"], handles: ["pancakeswap"], domains: ["pancakeswap.finance"] },
  { name: "Liquity", spellings: ["liquity", "lusd"], tickers: ["LQTY", "LUSD"], handles: ["liquityprotocol"], domains: ["liquity.org"] },
  { name: "Yearn", spellings: ["yearn", "yearn finance", "yearn.fi"], tickers: ["YFI"], handles: ["yearnfi"], domains: ["yearn.fi"], ordinaryWords: ["yearn"] },
  { name: "1inch", spellings: ["1inch"], tickers: ["1INCH"], handles: ["1inch"], domains: ["1inch.io", "1inch.com"] },
  { name: "Jito", spellings: ["jito", "jitosol"], tickers: ["JTO", "JITOSOL"], handles: ["jito_sol"], domains: ["jito.network"] },
  { name: "Kamino", spellings: ["kamino", "kamino finance"], tickers: ["KMNO"], handles: ["kamino"], domains: ["kamino.finance"] },
  { name: "Drift", spellings: ["drift", "drift protocol"], tickers: ["DRIFT"], handles: ["driftprotocol"], domains: ["drift.trade"], ordinaryWords: ["drift"] },
  { name: "Aerodrome", spellings: ["aerodrome", "aerodrome finance"], tickers: ["AERO"], handles: ["aerodromefi"], domains: ["aerodrome.finance"], ordinaryWords: ["aerodrome"] },
  { name: "Velodrome", spellings: ["velodrome"], tickers: ["VELO"], handles: ["velodromefi"], domains: ["velodrome.finance"], ordinaryWords: ["velodrome"] },
  { name: "ether.fi", spellings: ["ether.fi", "etherfi", "eeth", "weeth"], tickers: ["ETHFI", "EETH", "WEETH"], handles: ["ether_fi"], domains: ["ether.fi"] },
  { name: "Euler", spellings: ["euler", "euler finance"], tickers: ["EUL"], handles: ["eulerfinance"], domains: ["euler.finance"], ordinaryWords: ["euler"] },
  { name: "Orca", spellings: ["orca"], tickers: ["ORCA"], handles: ["orca_so"], domains: ["orca.so"], ordinaryWords: ["orca"] },
  { name: "Marinade", spellings: ["marinade", "marinade finance", "msol"], tickers: ["MNDE", "MSOL"], handles: ["marinadefinance"], domains: ["marinade.finance"], ordinaryWords: ["marinade"] },
  { name: "Instadapp", spellings: ["instadapp", "fluid protocol"], tickers: ["INST", "FLUID"], handles: ["instadapp", "0xfluid"], domains: ["instadapp.io", "fluid.io"] },
  { name: "Ondo", spellings: ["ondo", "ondo finance", "usdy"], tickers: ["ONDO"], handles: ["ondofinance"], domains: ["ondo.finance"] },
  { name: "Across", spellings: ["across protocol"], tickers: ["ACX"], handles: ["acrossprotocol"], domains: ["across.to"] },
  { name: "Stargate", spellings: ["stargate finance"], tickers: ["STG"], handles: ["stargatefinance"], domains: ["stargate.finance"] },
  { name: "Venus", spellings: ["venus protocol"], tickers: ["XVS"], handles: ["venus_protocol"], domains: ["venus.io"] },
  { name: "Spark", spellings: ["sparklend"], tickers: ["SPK"], handles: [], domains: [] },
];

/** Words that make a capitalised ordinary-word name ("Curve", "Sky") count as the protocol. */
export const DEFI_CONTEXT_WORDS = new Set([
  "defi", "protocol", "tvl", "pool", "pools", "liquidity", "yield", "yields", "apy", "apr", "stake", "staking", "staked",
  "restaking", "swap", "swaps", "dex", "lending", "lend", "borrow", "borrowing", "vault", "vaults", "stablecoin",
  "stablecoins", "token", "tokens", "governance", "dao", "airdrop", "exploit", "exploited", "hack", "hacked", "eth",
  "ethereum", "solana", "arbitrum", "onchain", "lp", "lps", "farm", "farming", "gauge", "gauges", "emissions", "veCRV",
  "perps", "perp", "leverage", "collateral", "liquidation", "liquidations", "depeg", "mainnet", "testnet", "bridge",
  "crypto", "smart", "contract", "contracts", "wallet", "usdc", "usdt", "dai", "btc", "bitcoin", "onchain", "l2",
]);
