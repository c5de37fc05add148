import { describe, expect, it } from "vitest";
import { deletionNoticeOf, isIgnoredComplianceEvent } from "./deletion-notice.ts";

describe("stream deletion notices", () => {
  it("reads an X v2 post delete event, keeping the 19-digit id exact", () => {
    const line = '{"data":{"delete":{"tweet":{"id":"1999999999999999999","author_id":"5"},"event_at":"2026-11-23T12:34:56.789Z"}}}';
    expect(deletionNoticeOf(line)).toEqual({ kind: "post", id: "1999999999999999999", reason: "deleted", at: "2026-11-23T12:34:56.789Z" });
  });

  it("treats withheld and drop as removals of the post", () => {
    expect(deletionNoticeOf({ data: { withheld: { tweet: { id: "7", author_id: "5" }, withheld_in_countries: ["DE"], event_at: "x" } } })).toMatchObject({ kind: "post", id: "7", reason: "withheld" });
    expect(deletionNoticeOf({ data: { drop: { tweet: { id: "8" } } } })).toMatchObject({ kind: "post", id: "8", reason: "dropped" });
  });

  it("reads a legacy status delete with a bare big-number id", () => {
    const line = '{"delete":{"status":{"id":1999999999999999998,"user_id":5},"timestamp_ms":"1763900000000"}}';
    expect(deletionNoticeOf(line)).toEqual({ kind: "post", id: "1999999999999999998", reason: "deleted", at: new Date(1763900000000).toISOString() });
  });

  it("turns user protect/suspend/delete into removal of the author's posts", () => {
    expect(deletionNoticeOf({ data: { user_protect: { user: { id: "42" }, event_at: "t" } } })).toEqual({ kind: "author", authorId: "42", reason: "protected", at: "t" });
  });

  it("ignores ordinary posts, keep-alives, undo events and garbage", () => {
    expect(deletionNoticeOf({ data: { id: "1", text: "gm", author_id: "2" }, matching_rules: [] })).toBeNull();
    expect(deletionNoticeOf("\r\n")).toBeNull();
    expect(deletionNoticeOf('{"data":{"user_unprotect":{"user":{"id":"42"}}}}')).toBeNull();
    expect(isIgnoredComplianceEvent({ data: { user_unprotect: { user: { id: "42" } } } })).toBe(true);
    expect(deletionNoticeOf({ data: { delete: { tweet: { id: "not-a-number" } } } })).toBeNull();
  });
});
