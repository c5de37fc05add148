import { describe, expect, it } from "vitest";
import { QUESTIONS } from "@defi-sentiment/shared";
import { decodePrestoView, prestoViewText } from "./presto-view.ts";
import { VIEW_COLUMNS } from "./view-columns.ts";

describe("Athena view encoding", () => {
  it("wraps the view as base64 JSON in Athena's Presto View comment, and decodes back", () => {
    const text = prestoViewText(QUESTIONS.countries.sql(), "defi_sentiment_dev", VIEW_COLUMNS.countries);
    expect(text).toMatch(/^\/\* Presto View: [A-Za-z0-9+/=]+ \*\/$/);
    expect(decodePrestoView(text)).toEqual({
      originalSql: QUESTIONS.countries.sql(),
      catalog: "awsdatacatalog",
      schema: "defi_sentiment_dev",
      columns: [
        { name: "country", type: "varchar" },
        { name: "posts", type: "bigint" },
        { name: "share", type: "double" },
      ],
      owner: "trino",
      runAsInvoker: false,
      properties: {},
    });
  });

  it("gives timestamps microsecond precision and arrays their Trino type", () => {
    const overview = decodePrestoView(prestoViewText(QUESTIONS.overview.sql(), "db", VIEW_COLUMNS.overview));
    expect(overview.columns.find((c) => c.name === "first_post_at")?.type).toBe("timestamp(6)");
    const latest = decodePrestoView(prestoViewText(QUESTIONS.latestPosts.sql(), "db", VIEW_COLUMNS.latestPosts));
    expect(latest.columns.find((c) => c.name === "hashtags")?.type).toBe("array(varchar)");
  });

  it("refuses text that is not a Presto view", () => {
    expect(() => decodePrestoView("SELECT 1")).toThrow(/not a Presto view text/);
  });
});
