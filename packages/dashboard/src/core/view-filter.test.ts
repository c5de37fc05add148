import { describe, expect, it } from "vitest";
import { FilterParameterError, filteredSource, parseViewFilter, viewFilterKey } from "./view-filter.ts";

const parse = (q: string) => parseViewFilter(new URLSearchParams(q));

describe("parseViewFilter", () => {
  it("reads a date range, a rule tag and an author", () => {
    expect(parse("from=2026-11-01&to=2026-11-03&tag=defi-tokens&author=123")).toEqual({
      from: "2026-11-01", to: "2026-11-03", tag: "defi-tokens", author: "123",
    });
  });

  it("treats empty parameters as no filter", () => {
    expect(parse("from=&to=&tag=")).toEqual({});
  });

  it.each([
    ["from=yesterday", "from"],
    ["to=2026-02-30", "to"],
    ["from=2026-11-05&to=2026-11-01", "from"],
    ["author=alice", "author"],
  ])("rejects %s naming the parameter", (q, name) => {
    const error = (() => {
      try {
        parse(q);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FilterParameterError);
    expect((error as FilterParameterError).parameter).toBe(name);
    expect((error as Error).message).toContain(`"${name}"`);
  });
});

describe("filteredSource", () => {
  it("binds every value as a parameter instead of splicing it into SQL", () => {
    const { cte, params } = filteredSource({ tag: "x' OR 1=1 --", from: "2026-11-01" });
    expect(cte).not.toContain("OR 1=1");
    expect(cte).toContain("list_contains(rule_tags, $tag)");
    expect(params).toEqual({ tag: "x' OR 1=1 --", from: "2026-11-01" });
  });

  it("reads the whole table when nothing is filtered", () => {
    expect(filteredSource({}).cte).toBe("WITH filtered AS NOT MATERIALIZED (SELECT * FROM scored_posts)");
  });

  it("gives the same cache key whatever the parameter order", () => {
    expect(viewFilterKey(parse("tag=a&from=2026-11-01"))).toBe(viewFilterKey(parse("from=2026-11-01&tag=a")));
  });
});
