import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SCORED_POST_COLUMNS, ScoredPostSchema, dtOf, errorPrefix, objectName, rawPrefix, FIREHOSE_PREFIXES } from "../src/index.ts";

describe("scored post columns", () => {
  it("list every schema field once, in schema order", () => {
    expect(SCORED_POST_COLUMNS.map((c) => c.name)).toEqual(Object.keys(ScoredPostSchema.shape));
  });

  it("type arrays as arrays and numbers as numbers", () => {
    for (const c of SCORED_POST_COLUMNS) {
      let field: z.ZodType = ScoredPostSchema.shape[c.name];
      if (field instanceof z.ZodNullable) field = field.unwrap() as z.ZodType;
      if (c.type === "array<string>") expect(field, c.name).toBeInstanceOf(z.ZodArray);
      if (c.type === "bigint" || c.type === "double") expect(field, c.name).toBeInstanceOf(z.ZodNumber);
      if (c.type === "boolean") expect(field, c.name).toBeInstanceOf(z.ZodBoolean);
    }
  });
});

describe("lake layout", () => {
  it("partitions by the UTC date and hour of the post", () => {
    expect(rawPrefix("2026-11-18T23:59:59-02:00")).toBe("raw/dt=2026-11-19/hour=01/");
    expect(errorPrefix("processing-failed", new Date("2026-01-02T03:04:05Z"))).toBe("errors/processing-failed/dt=2026-01-02/hour=03/");
  });

  it("names objects as Firehose does", () => {
    expect(objectName("s", new Date("2026-01-02T03:04:05Z"), "abc")).toBe("s-1-2026-01-02-03-04-05-abc.ndjson.gz");
  });

  it("uses the same prefix shape for Firehose's S3 expressions", () => {
    expect(FIREHOSE_PREFIXES.raw.replace("!{timestamp:yyyy-MM-dd}", "2026-01-02").replace("!{timestamp:HH}", "03")).toBe(rawPrefix("2026-01-02T03:00:00Z"));
  });

  it("refuses a non-timestamp with a clear error", () => {
    expect(() => dtOf("yesterday")).toThrow(/not a timestamp: yesterday/);
    expect(() => dtOf("2026-01-02T03:04:61Z")).toThrow(/not a timestamp/);
  });

  it("partitions every timestamp form by its UTC date and hour, as Date does", () => {
    const cases = ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123Z", "2026-01-02T03:04Z", "2026-12-31T23:59:59.999999Z", "2026-01-02T01:30:00+02:00", "2026-02-30T05:00:00.000Z", "2024-02-29T00:00:00Z"];
    for (const at of cases) {
      const iso = new Date(at).toISOString();
      expect(rawPrefix(at), at).toBe(`raw/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`);
      expect(dtOf(at)).toBe(iso.slice(0, 10));
    }
    expect(rawPrefix("2026-01-02T01:30:00+02:00")).toBe("raw/dt=2026-01-01/hour=23/");
  });
});
