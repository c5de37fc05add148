/**
 * The filtered-stream rule set as configuration, and the exact diff that brings X's rules in line
 * with it. Pure: the X adapter applies the plan.
 */

export interface StreamRule {
  value: string;
  tag: string;
}

export interface ExistingRule extends StreamRule {
  id: string;
}

/** X's limits for filtered-stream rules (Pro/Enterprise differ; these are the self-serve ones). */
export const RULE_LIMITS = { maxRules: 1000, maxRuleLength: 512 } as const;

const COMMON = "-is:retweet -is:nullcast lang:en";

/** The default DeFi rule set: protocols, tokens and topics, original English posts only. */
export const DEFAULT_DEFI_RULES: readonly StreamRule[] = [
  {
    tag: "defi-protocols",
    value: `(Uniswap OR Aave OR "Curve Finance" OR Lido OR MakerDAO OR Compound OR Pendle OR Eigenlayer OR GMX OR dYdX OR Hyperliquid OR Morpho OR Ethena OR Jupiter) ${COMMON}`,
  },
  {
    tag: "defi-tokens",
    value: `($UNI OR $AAVE OR $CRV OR $LDO OR $MKR OR $COMP OR $PENDLE OR $GMX OR $DYDX OR $HYPE OR $ENA OR $JUP OR $CAKE OR $SUSHI) ${COMMON}`,
  },
  {
    tag: "defi-topics",
    value: `(DeFi OR #DeFi OR "yield farming" OR "liquidity pool" OR "decentralized exchange" OR stablecoin OR "liquid staking" OR restaking OR TVL) ${COMMON}`,
  },
];

export class RuleConfigError extends Error {
  override name = "RuleConfigError";
}

/** Checks a rule set against X's limits; throws naming the rule by tag and index. */
export function validateRules(rules: readonly StreamRule[], where = "rules"): void {
  if (rules.length === 0) throw new RuleConfigError(`${where}: no rules configured; the filtered stream would match nothing`);
  if (rules.length > RULE_LIMITS.maxRules) throw new RuleConfigError(`${where}: ${rules.length} rules, X allows at most ${RULE_LIMITS.maxRules}`);
  const tags = new Set<string>();
  rules.forEach((r, i) => {
    const at = `${where}[${i}] (tag ${JSON.stringify(r.tag)})`;
    if (!r.value.trim()) throw new RuleConfigError(`${at}: empty value`);
    if (r.value.length > RULE_LIMITS.maxRuleLength)
      throw new RuleConfigError(`${at}: ${r.value.length} characters, X allows at most ${RULE_LIMITS.maxRuleLength}`);
    if (!r.tag.trim()) throw new RuleConfigError(`${at}: empty tag (tags say which rule matched each post)`);
    if (tags.has(r.tag)) throw new RuleConfigError(`${at}: duplicate tag`);
    tags.add(r.tag);
  });
}

/**
 * Parses rules from configuration: a JSON array of `{value, tag}`, or lines `tag: value`.
 * `where` names the variable or file for errors.
 */
export function parseRules(text: string, where: string): StreamRule[] {
  const trimmed = text.trim();
  let rules: StreamRule[];
  if (trimmed.startsWith("[")) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (err) {
      throw new RuleConfigError(`${where}: not valid JSON (${(err as Error).message})`);
    }
    rules = (raw as unknown[]).map((r, i) => {
      const o = r as Partial<StreamRule> | null;
      if (!o || typeof o.value !== "string" || typeof o.tag !== "string")
        throw new RuleConfigError(`${where}[${i}]: expected {"value": string, "tag": string}`);
      return { value: o.value, tag: o.tag };
    });
  } else {
    rules = trimmed
      .split("\n")
      .map((line, i) => ({ line: line.trim(), n: i + 1 }))
      .filter(({ line }) => line && !line.startsWith("#"))
      .map(({ line, n }) => {
        const colon = line.indexOf(":");
        if (colon <= 0) throw new RuleConfigError(`${where}:${n}: expected "tag: rule value"`);
        return { tag: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
      });
  }
  validateRules(rules, where);
  return rules;
}

export interface RulePlan {
  add: StreamRule[];
  delete: ExistingRule[];
  keep: ExistingRule[];
}

/**
 * What to add and delete so X holds exactly `desired`. A rule is the same when value and tag are
 * both equal; X rules are immutable, so a changed value is a delete plus an add. Duplicates on X's
 * side are deleted.
 */
export function planRuleSync(desired: readonly StreamRule[], existing: readonly ExistingRule[]): RulePlan {
  const key = (r: StreamRule) => `${r.tag}\u0000${r.value}`;
  const wanted = new Map(desired.map((r) => [key(r), r]));
  const keep: ExistingRule[] = [];
  const del: ExistingRule[] = [];
  const kept = new Set<string>();
  for (const rule of existing) {
    const k = key(rule);
    if (wanted.has(k) && !kept.has(k)) {
      keep.push(rule);
      kept.add(k);
    } else del.push(rule);
  }
  const add = desired.filter((r) => !kept.has(key(r)));
  return { add, delete: del, keep };
}

/**
 * Recent-search queries that cover a rule set: rules OR-ed together, packed into as few queries
 * of at most `maxLength` characters as fit (512 on self-serve plans, 1024 on Pro). Each query
 * carries the tags of its rules, which become the posts' `rule_tags`.
 */
export function searchQueriesFor(rules: readonly StreamRule[], maxLength = 512): { query: string; tags: string[] }[] {
  const out: { query: string; tags: string[] }[] = [];
  for (const r of rules) {
    const part = `(${r.value})`;
    const last = out[out.length - 1];
    if (last && last.query.length + 4 + part.length <= maxLength) {
      last.query += ` OR ${part}`;
      last.tags.push(r.tag);
    } else {
      if (part.length > maxLength) throw new RuleConfigError(`rule ${JSON.stringify(r.tag)}: ${part.length} characters do not fit a search query of ${maxLength}`);
      out.push({ query: part, tags: [r.tag] });
    }
  }
  return out;
}
