import { describe, expect, it } from "vitest";
import { DEFAULT_DEFI_RULES, RULE_LIMITS, parseRules, planRuleSync, searchQueriesFor, validateRules } from "./rules-plan.ts";

describe("rule set", () => {
  it("ships default DeFi rules that fit X's limits and exclude retweets", () => {
    expect(() => validateRules(DEFAULT_DEFI_RULES)).not.toThrow();
    for (const r of DEFAULT_DEFI_RULES) {
      expect(r.value.length).toBeLessThanOrEqual(RULE_LIMITS.maxRuleLength);
      expect(r.value).toContain("-is:retweet");
      expect(r.value).toContain("lang:en");
    }
    expect(DEFAULT_DEFI_RULES.map((r) => r.tag)).toEqual(["defi-protocols", "defi-tokens", "defi-topics"]);
  });

  it("rejects a rule longer than 512 characters, naming its tag", () => {
    expect(() => validateRules([{ tag: "long", value: "a".repeat(513) }], "X_RULES")).toThrow(/X_RULES\[0\] \(tag "long"\): 513 characters/);
  });

  it("rejects duplicate tags and empty sets", () => {
    expect(() => validateRules([{ tag: "a", value: "x" }, { tag: "a", value: "y" }])).toThrow(/duplicate tag/);
    expect(() => validateRules([])).toThrow(/no rules/);
  });

  it("parses rules from JSON and from tag: value lines", () => {
    expect(parseRules('[{"tag":"t","value":"aave lang:en"}]', "X_RULES")).toEqual([{ tag: "t", value: "aave lang:en" }]);
    expect(parseRules("# comment\nproto: uniswap -is:retweet\n\ntok: $AAVE", "rules.txt")).toEqual([
      { tag: "proto", value: "uniswap -is:retweet" },
      { tag: "tok", value: "$AAVE" },
    ]);
    expect(() => parseRules("no colon here", "rules.txt")).toThrow(/rules.txt:1/);
    expect(() => parseRules("[{", "X_RULES")).toThrow(/X_RULES: not valid JSON/);
  });
});

describe("rule sync plan", () => {
  const desired = [
    { tag: "a", value: "aave" },
    { tag: "b", value: "uniswap" },
    { tag: "c", value: "curve" },
  ];

  it("adds only the missing rules and deletes only the stale ones", () => {
    const plan = planRuleSync(desired, [
      { id: "1", tag: "a", value: "aave" },
      { id: "2", tag: "b", value: "uniswap OLD" },
      { id: "3", tag: "z", value: "stale" },
    ]);
    expect(plan.add).toEqual([{ tag: "b", value: "uniswap" }, { tag: "c", value: "curve" }]);
    expect(plan.delete.map((r) => r.id)).toEqual(["2", "3"]);
    expect(plan.keep.map((r) => r.id)).toEqual(["1"]);
  });

  it("changes nothing when X already holds exactly the rule set", () => {
    const plan = planRuleSync(desired, desired.map((r, i) => ({ ...r, id: String(i) })));
    expect(plan.add).toEqual([]);
    expect(plan.delete).toEqual([]);
  });

  it("deletes duplicates held by X", () => {
    const plan = planRuleSync([desired[0]!], [{ id: "1", tag: "a", value: "aave" }, { id: "2", tag: "a", value: "aave" }]);
    expect(plan.delete.map((r) => r.id)).toEqual(["2"]);
    expect(plan.add).toEqual([]);
  });
});

describe("search queries for backfill", () => {
  it("packs rules into as few queries as fit, keeping their tags", () => {
    const rules = [
      { tag: "a", value: "x".repeat(200) },
      { tag: "b", value: "y".repeat(200) },
      { tag: "c", value: "z".repeat(200) },
    ];
    const qs = searchQueriesFor(rules, 512);
    expect(qs.map((q) => q.tags)).toEqual([["a", "b"], ["c"]]);
    expect(qs.every((q) => q.query.length <= 512)).toBe(true);
    expect(qs[0]!.query).toBe(`(${"x".repeat(200)}) OR (${"y".repeat(200)})`);
    expect(searchQueriesFor(DEFAULT_DEFI_RULES, 1024)).toHaveLength(1);
  });
});
