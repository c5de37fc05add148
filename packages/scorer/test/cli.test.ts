import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makePost } from "./make-post.ts";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/score.mjs");
const run = (input: string) => spawnSync(process.execPath, [bin], { input, encoding: "utf8", timeout: 60_000 });
const lines = (s: string) => s.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe("defi-sentiment-score CLI", () => {
  it("streams scores, countries and line-numbered errors without stopping", () => {
    const input = [
      JSON.stringify({ id: "a", text: "Aave looks so bullish 🚀 $AAVE https://aave.com/x" }),
      "{not json",
      JSON.stringify({ id: "b", location: "Austin, TX" }),
      JSON.stringify({ id: "c", location: "Metaverse" }),
      JSON.stringify({ id: 7 }),
      JSON.stringify(makePost({ id: "99", text: "rekt, the bridge got exploited 📉", hashtags: ["DeFi"] })),
      "",
    ].join("\n");
    const res = run(input);
    const out = lines(res.stdout);
    expect(out.map((o) => o.id)).toEqual(["a", "b", "c", "99"]);
    expect(out[0]).toMatchObject({ label: "positive", cashtags: ["AAVE"], protocols: ["Aave"], domains: ["aave.com"] });
    expect(typeof out[0]!.scorer_version).toBe("string");
    expect(out[1]).toEqual({ id: "b", country: "US" });
    expect(out[2]).toEqual({ id: "c", country: null });
    expect(out[3]).toMatchObject({ label: "negative", hashtags: ["DeFi"] });
    const errors = lines(res.stderr);
    expect(errors.map((e) => e.line)).toEqual([2, 5]);
    expect(String(errors[0]!.error)).toMatch(/^line 2: invalid JSON/);
    expect(res.status).toBe(1);
  }, 60_000);

  it("exits 0 when every line is answered", () => {
    const res = run(JSON.stringify({ id: "x", text: "gm" }) + "\n");
    expect(res.status).toBe(0);
    expect(lines(res.stdout)).toHaveLength(1);
  }, 60_000);
});
