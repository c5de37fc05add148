import { describe, expect, it } from "vitest";
import { XStreamLineSchema, generateStreamLines, postFromStreamLine, PostSchema } from "../src/index.ts";

describe("synthetic generator", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = [...generateStreamLines(50, { seed: 7 })];
    const b = [...generateStreamLines(50, { seed: 7 })];
    const c = [...generateStreamLines(50, { seed: 8 })];
    expect(a).toEqual(b);
    expect(a.map((l) => l.data.text)).not.toEqual(c.map((l) => l.data.text));
  });

  it("produces valid X API v2 stream lines that normalise to valid posts", () => {
    for (const line of generateStreamLines(500, { seed: 1 })) {
      const post = postFromStreamLine(XStreamLineSchema.parse(line), "generator", new Date());
      expect(PostSchema.safeParse(post).success).toBe(true);
    }
  });

  it("has heavy-tailed authorship, messy locations and spreads posts over the days asked", () => {
    const lines = [...generateStreamLines(5000, { seed: 3, days: 5, end: new Date("2026-11-20T00:00:00Z") })];
    const perAuthor = new Map<string, number>();
    for (const l of lines) perAuthor.set(l.data.author_id!, (perAuthor.get(l.data.author_id!) ?? 0) + 1);
    const counts = [...perAuthor.values()].sort((x, y) => y - x);
    const top10 = counts.slice(0, Math.ceil(counts.length / 10)).reduce((s, n) => s + n, 0);
    expect(top10 / lines.length).toBeGreaterThan(0.3);
    const days = new Set(lines.map((l) => l.data.created_at!.slice(0, 10)));
    expect(days.size).toBe(5);
    const locations = new Set(lines.map((l) => l.includes?.users?.[0]?.location));
    expect(locations).toContain("Metaverse");
    expect(locations).toContain("");
    expect(new Set(lines.map((l) => l.data.id)).size).toBe(lines.length);
  });
});
