import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Post, RecordSink } from "@defi-sentiment/shared";
import { BudgetExceededError } from "../src/core/budget.ts";
import { openDelivery } from "../src/delivery/index.ts";
import { liveStreamSource, newLiveStreamStats } from "../src/sources/live-stream.ts";
import { newSearchStats, searchBackfill, searchedWindows } from "../src/sources/search-backfill.ts";
import { openBudgetMeter } from "../src/x/budget-meter.ts";
import { estimateRuleSet } from "../src/x/estimate.ts";
import { RuleSyncError, syncRules } from "../src/x/rules-sync.ts";
import { createXClient } from "../src/x/x-client.ts";
import { startXServer, xLine, type XServer } from "./x-server.ts";

let server: XServer;
let dir: string;
beforeEach(async () => {
  server = await startXServer();
  dir = mkdtempSync(join(tmpdir(), "x-side-"));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = () => createXClient({ bearerToken: "test-token", baseUrl: server.base });
const HOUR_AGO = Date.now() - 3_600_000;
/** Post n, created n × 10 s after an hour ago (inside recent search's reach). */
const at = (n: number) => new Date(HOUR_AGO + n * 10_000).toISOString();
const limits = { maxPostsPerMonth: null, maxUsdPerMonth: null, usdPerPost: 0.005 };
const noSleep = async () => {};

describe("rules sync", () => {
  const desired = [
    { tag: "defi-protocols", value: "(Uniswap OR Aave) -is:retweet lang:en" },
    { tag: "defi-tokens", value: "($UNI OR $AAVE) -is:retweet lang:en" },
  ];

  it("adds exactly the missing rules and deletes exactly the stale ones", async () => {
    server.rules.set("1900000000000000010", { tag: "defi-protocols", value: "(Uniswap OR Aave) -is:retweet lang:en" });
    server.rules.set("1900000000000000011", { tag: "old", value: "stale rule" });
    const report = await syncRules(client(), desired);
    expect(report.plan.delete.map((r) => r.id)).toEqual(["1900000000000000011"]);
    expect(report.added.map((r) => r.tag)).toEqual(["defi-tokens"]);
    expect([...server.rules.values()].map((r) => r.tag).sort()).toEqual(["defi-protocols", "defi-tokens"]);
    const posts = server.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => JSON.parse(r.body))).toEqual([
      { delete: { ids: ["1900000000000000011"] } },
      { add: [{ value: "($UNI OR $AAVE) -is:retweet lang:en", tag: "defi-tokens" }] },
    ]);
    const again = await syncRules(client(), desired);
    expect(again.plan.add).toEqual([]);
    expect(again.plan.delete).toEqual([]);
  });

  it("changes nothing on X in a dry run", async () => {
    server.rules.set("1900000000000000011", { tag: "old", value: "stale rule" });
    const report = await syncRules(client(), desired, { dryRun: true });
    expect(report.plan.add).toHaveLength(2);
    expect(report.deleted).toBe(1);
    expect([...server.rules.keys()]).toEqual(["1900000000000000011"]);
    expect(server.requests.filter((r) => r.method === "POST").every((r) => r.query.get("dry_run") === "true")).toBe(true);
  });

  it("reports rule errors X returns inside HTTP 200", async () => {
    const report = await syncRules(client(), [{ tag: "bad", value: "INVALID:operator aave" }]);
    expect(report.invalid).toBe(1);
    expect(report.problems[0]).toMatchObject({ value: "INVALID:operator aave", title: "UnprocessableEntity" });
    expect(new RuleSyncError(report).message).toMatch(/X rejected 1 stream rule\(s\): "INVALID:operator aave": UnprocessableEntity \(Invalid rule/);
  });
});

describe("recent search backfill", () => {
  beforeEach(() => {
    for (let n = 1; n <= 25; n++) server.timeline.push(xLine(n, at(n)));
  });

  it("pages through next_token and delivers every post in the window once", async () => {
    const stats = newSearchStats();
    const got: Post[] = [];
    for await (const b of searchBackfill({ client: client(), queries: [{ query: "(aave)", tags: ["defi-protocols"] }], window: { start: Date.parse(at(1)), end: Date.parse(at(25)) + 1000 }, statePath: join(dir, "search.json"), maxResults: 10, stats }))
      got.push(...b);
    expect(got.map((p) => p.id).sort()).toEqual(server.timeline.map((l) => l.data.id).sort());
    expect(stats.pages).toBe(3);
    expect(got.every((p) => p.source === "search" && p.rule_tags[0] === "defi-protocols")).toBe(true);
    const calls = server.requests.filter((r) => r.path === "/2/tweets/search/recent");
    expect(calls.map((r) => r.query.get("next_token"))).toEqual([null, "tok-10", "tok-20"]);
    expect(calls[0]!.query.get("tweet.fields")).toContain("created_at");
  });

  it("never searches a window twice: an overlapping request only reads what is new", async () => {
    const q = [{ query: "(aave)", tags: ["t"] }];
    const statePath = join(dir, "search.json");
    const read = async (from: number, to: number) => {
      const ids: string[] = [];
      for await (const b of searchBackfill({ client: client(), queries: q, window: { start: Date.parse(at(from)), end: Date.parse(at(to)) }, statePath })) ids.push(...b.map((p) => p.id));
      return ids;
    };
    expect(await read(1, 11)).toHaveLength(10);
    expect(await read(5, 21)).toHaveLength(10); // 11..20 only
    expect(await read(3, 8)).toHaveLength(0);
    expect(new Set(server.searchedIds).size).toBe(server.searchedIds.length);
    expect(server.searchedIds).toHaveLength(20);
    expect(searchedWindows(statePath, "(aave)")).toEqual([{ start: Date.parse(at(1)), end: Date.parse(at(21)) }]);
  });

  it("resumes from the page checkpoint after a restart without reading a page twice", async () => {
    const q = [{ query: "(aave)", tags: ["t"] }];
    const statePath = join(dir, "search.json");
    const window = { start: Date.parse(at(1)), end: Date.parse(at(25)) + 1000 };
    const first: string[] = [];
    for await (const b of searchBackfill({ client: client(), queries: q, window, statePath, maxResults: 10 })) {
      first.push(...b.map((p) => p.id));
      if (first.length >= 20) break; // crash while page 2 is in hand: page 1 is checkpointed, page 2 not accepted
    }
    const second: string[] = [];
    for await (const b of searchBackfill({ client: client(), queries: q, window, statePath, maxResults: 10 })) second.push(...b.map((p) => p.id));
    const calls = server.requests.filter((r) => r.path === "/2/tweets/search/recent");
    expect(calls.map((r) => r.query.get("next_token"))).toEqual([null, "tok-10", "tok-10", "tok-20"]);
    expect(new Set([...first, ...second]).size).toBe(25);
    expect(second).toHaveLength(15);
    expect(searchedWindows(statePath, "(aave)")).toEqual([window]);
  });

  it("waits for x-rate-limit-reset after a 429 and then continues", async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 120;
    server.searchFailures.push({ status: 429, headers: { "x-rate-limit-reset": String(resetAt) }, body: { title: "Too Many Requests", detail: "Too Many Requests" } });
    const slept: number[] = [];
    const ids: string[] = [];
    for await (const b of searchBackfill({ client: client(), queries: [{ query: "(aave)", tags: [] }], window: { start: Date.parse(at(1)), end: Date.parse(at(5)) }, statePath: join(dir, "s.json"), sleep: async (ms) => void slept.push(ms) }))
      ids.push(...b.map((p) => p.id));
    expect(ids).toHaveLength(4);
    expect(slept).toHaveLength(1);
    expect(slept[0]!).toBeGreaterThanOrEqual(60_000);
  });
});
