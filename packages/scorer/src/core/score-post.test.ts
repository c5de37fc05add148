import { ScoredPostSchema } from "@defi-sentiment/shared";
import { describe, expect, it } from "vitest";
import { makePost } from "../../test/make-post.ts";
import { SCORER_VERSION } from "../version.ts";
import { scorePost } from "./score-post.ts";

const scoredAt = new Date("2026-11-04T00:00:05Z");

describe("scorePost", () => {
  it("produces a row that matches ScoredPostSchema", () => {
    const row = scorePost(makePost(), scoredAt);
    expect(() => ScoredPostSchema.parse(row)).not.toThrow();
    expect(row.scorer_version).toBe(SCORER_VERSION);
    expect(row.scored_at).toBe("2026-11-04T00:00:05.000Z");
  });

  it("derives dt as the UTC date of created_at", () => {
    expect(scorePost(makePost({ created_at: "2026-11-03T23:30:00-05:00" }), scoredAt).dt).toBe("2026-11-04");
    expect(scorePost(makePost({ created_at: "2026-11-03T23:59:58.000Z" }), scoredAt).dt).toBe("2026-11-03");
  });

  it("sums engagement and flags retweets, replies and quotes", () => {
    const row = scorePost(
      makePost({ like_count: 5, retweet_count: 4, reply_count: 3, quote_count: 2, referenced_posts: [{ type: "replied_to", id: "7" }, { type: "quoted", id: "8" }] }),
      scoredAt,
    );
    expect(row.engagement).toBe(14);
    expect([row.is_retweet, row.is_reply, row.is_quote]).toEqual([false, true, true]);
  });

  it("keeps the raw location and adds the country", () => {
    const row = scorePost(makePost({ author_location: "Lisbon, Portugal" }), scoredAt);
    expect(row.author_location).toBe("Lisbon, Portugal");
    expect(row.author_country).toBe("PT");
  });

  it("labels the text and fills entities", () => {
    const row = scorePost(makePost({ text: "Aave exploit?! funds drained 📉 $AAVE", cashtags: ["AAVE"] }), scoredAt);
    expect(row.sentiment_label).toBe("negative");
    expect(row.protocols).toEqual(["Aave"]);
    expect(row.cashtags).toEqual(["AAVE"]);
  });
});
