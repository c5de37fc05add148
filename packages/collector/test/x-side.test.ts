import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Post } from "@defi-sentiment/shared";
import { BudgetExceededError } from "../src/core/budget.ts";
import { openDelivery } from "../src/delivery/index.ts";
import { liveStreamSource, newLiveStreamStats } from "../src/sources/live-stream.ts";
import { newSearchStats, searchBackfill, searchedWindows } from "../src/sources/search-backfill.ts";
import { openBudgetMeter } from "../src/x/budget-meter.ts";
import { estimateRuleSet } from "../src/x/estimate.ts";
import { RuleSyncError, syncRules } from "../src/x/rules-sync.ts";
import { createXClient } from "../src/x/x-client.ts";
import { startXServer, xLine, type XServer } from "./x-server.ts";
import { arraySink } from "./array-sink.ts";

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
const HOUR_AGO = Math.floor((Date.now() - 3_600_000) / 1000) * 1000; // whole seconds, as search windows are
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

  it("forgets searched windows older than recent search can reach", async () => {
    const statePath = join(dir, "search.json");
    let now = Date.now();
    for await (const _ of searchBackfill({ client: client(), queries: [{ query: "(aave)", tags: [] }], window: { start: Date.parse(at(1)), end: Date.parse(at(3)) }, statePath, clock: () => now }));
    expect(searchedWindows(statePath, "(aave)")).toHaveLength(1);
    now += 9 * 86_400_000;
    for await (const _ of searchBackfill({ client: client(), queries: [{ query: "(aave)", tags: [] }], window: { start: now - 60_000, end: now - 30_000 }, statePath, clock: () => now }));
    expect(searchedWindows(statePath, "(aave)")).toEqual([{ start: Math.floor((now - 60_000) / 1000) * 1000, end: Math.ceil((now - 30_000) / 1000) * 1000 }]);
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

  it("times out a hung search request and retries it", async () => {
    server.searchFailures.push({ status: 0 });
    const slept: number[] = [];
    const ids: string[] = [];
    const c = createXClient({ bearerToken: "t", baseUrl: server.base, requestTimeoutMs: 200 });
    for await (const b of searchBackfill({ client: c, queries: [{ query: "(aave)", tags: [] }], window: { start: Date.parse(at(1)), end: Date.parse(at(5)) }, statePath: join(dir, "s.json"), sleep: async (ms) => void slept.push(ms) }))
      ids.push(...b.map((p) => p.id));
    expect(ids).toHaveLength(4);
    expect(slept).toEqual([5_000]);
    expect(server.requests.filter((r) => r.path === "/2/tweets/search/recent")).toHaveLength(2);
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

describe("stream with gap fill", () => {
  it("searches a gap again after a crash that came before its posts were spooled", async () => {
    for (let n = 1; n <= 8; n++) server.timeline.push(xLine(n, at(n)));
    const line = (n: number) => ({ line: server.timeline[n - 1]! });
    server.streamReplies.push({ steps: [line(1), line(2), line(3), line(4), { destroy: true }] });
    server.streamReplies.push({ steps: [line(8)] });
    const c = client();
    const queries = [{ query: "(aave) -is:retweet", tags: ["defi-protocols"] }];
    const statePath = join(dir, "search.json");
    const ac = new AbortController();
    let lost: string[] = [];
    for await (const batch of liveStreamSource({
      client: c,
      signal: ac.signal,
      sleep: async () => {},
      fillGap: (window, sinceId, signal) => searchBackfill({ client: c, queries, window, sinceId, statePath, signal }),
    })) {
      const fromSearch = batch.filter((p) => p.source === "search");
      if (fromSearch.length) {
        lost = fromSearch.map((p) => p.id); // the process dies here, before accept: nothing spooled
        break;
      }
    }
    expect(lost.sort()).toEqual([5, 6, 7].map((n) => server.timeline[n - 1]!.data.id).sort());
    // After the restart the window is not marked searched, so the posts are found again.
    const again: string[] = [];
    for await (const b of searchBackfill({ client: c, queries, window: { start: Date.parse(at(4)), end: Date.parse(at(8)) }, statePath })) again.push(...b.map((p) => p.id));
    expect(again).toEqual(expect.arrayContaining(lost));
  });

  it("after a mid-sequence disconnect delivers every post exactly once and reads none twice from search", async () => {
    for (let n = 1; n <= 12; n++) server.timeline.push(xLine(n, at(n)));
    const line = (n: number) => ({ line: server.timeline[n - 1]! });
    // Connection 1 sees 1–4 and drops; 5–7 happen while down; connection 2 sees 8–9 and drops; 10 is missed; 3 sees 11–12.
    server.streamReplies.push({ steps: [line(1), { keepAlive: true }, line(2), line(3), line(4), { destroy: true }] });
    server.streamReplies.push({ status: 503, body: { title: "Service Unavailable" } });
    server.streamReplies.push({ steps: [line(8), line(9), { destroy: true }] });
    server.streamReplies.push({ steps: [line(11), line(12)] });

    const { sink, records } = arraySink();
    const delivery = await openDelivery({ sink, spoolDir: join(dir, "spool"), deadLetterDir: join(dir, "dead"), maxBatchAgeMs: 10 });
    const stats = newLiveStreamStats();
    const ac = new AbortController();
    const c = client();
    const queries = [{ query: "(aave) -is:retweet", tags: ["defi-protocols"] }];
    const slept: number[] = [];
    for await (const batch of liveStreamSource({
      client: c,
      signal: ac.signal,
      stats,
      sleep: async (ms) => void slept.push(ms),
      fillGap: (window, sinceId, signal) => searchBackfill({ client: c, queries, window, sinceId, statePath: join(dir, "search.json"), seen: (id) => delivery.seen(id), signal }),
    })) {
      await delivery.accept(batch);
      if (delivery.stats().received - delivery.stats().duplicates >= 12) ac.abort();
    }
    await delivery.drain();
    await delivery.close();

    const ids = records.map((p) => p.id);
    expect(ids.slice().sort()).toEqual(server.timeline.map((l) => l.data.id).sort()); // zero missing
    expect(new Set(ids).size).toBe(ids.length); // zero duplicates
    expect(new Set(server.searchedIds).size).toBe(server.searchedIds.length); // nothing read twice from search
    expect(stats).toMatchObject({ reconnects: 3, gapsOpened: 2, gapsFilled: 2, gapPostsDelivered: 4 });
    expect(slept).toEqual([250, 5_000, 250]);
    const searches = server.requests.filter((r) => r.path === "/2/tweets/search/recent");
    expect(searches.map((r) => [r.query.get("start_time"), r.query.get("since_id")])).toEqual([
      [at(4).replace(/\.\d{3}Z$/, "Z"), server.timeline[3]!.data.id],
      [at(9).replace(/\.\d{3}Z$/, "Z"), server.timeline[8]!.data.id],
    ]);
    expect(records.filter((p) => p.source === "search").map((p) => p.id).sort()).toEqual([5, 6, 7, 10].map((n) => server.timeline[n - 1]!.data.id));
  });
});

describe("budget", () => {
  it("stops the stream at the cap with a clear message, and the counters survive a restart", async () => {
    for (let n = 1; n <= 8; n++) server.timeline.push(xLine(n, at(n)));
    server.streamReplies.push({ steps: server.timeline.map((l) => ({ line: l })) });
    const budgetPath = join(dir, "budget.json");
    const capped = { ...limits, maxPostsPerMonth: 5 };
    const meter = openBudgetMeter(budgetPath, capped);
    const got: Post[] = [];
    let error: unknown;
    try {
      for await (const b of liveStreamSource({ client: client(), budget: meter, sleep: noSleep })) got.push(...b);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as Error).message).toMatch(/X read budget reached for \d{4}-\d{2}: 5 posts read \(\$0\.03\), cap 5 \(X_MAX_POSTS_PER_MONTH=5\)/);
    expect(got).toHaveLength(5);

    const reopened = openBudgetMeter(budgetPath, capped);
    expect(reopened.status()).toMatchObject({ postsThisMonth: 5, postsToday: 5, exhausted: true, spendUsd: 0.03 });
    expect(() => reopened.assertAvailable()).toThrow(BudgetExceededError);
    const search = searchBackfill({ client: client(), queries: [{ query: "(aave)", tags: [] }], window: { start: Date.parse(at(1)), end: Date.parse(at(8)) }, statePath: join(dir, "s.json"), budget: reopened });
    await expect(search.next()).rejects.toThrow(BudgetExceededError);
    expect(server.requests.filter((r) => r.path === "/2/tweets/search/recent")).toHaveLength(0);
  });

  it("limits a search page to the posts the budget has left", async () => {
    for (let n = 1; n <= 30; n++) server.timeline.push(xLine(n, at(n)));
    const meter = openBudgetMeter(join(dir, "budget.json"), { ...limits, maxPostsPerMonth: 25 });
    const got: Post[] = [];
    await expect(async () => {
      for await (const b of searchBackfill({ client: client(), queries: [{ query: "(aave)", tags: [] }], window: { start: Date.parse(at(1)), end: Date.parse(at(30)) + 1000 }, statePath: join(dir, "s.json"), budget: meter, maxResults: 10 }))
        got.push(...b);
    }).rejects.toThrow(/only 5 posts left/);
    expect(got).toHaveLength(20);
    expect(meter.status().postsThisMonth).toBe(20);
  });
});

describe("estimate", () => {
  it("projects monthly volume and cost of the rule set from recent counts", async () => {
    const day = (i: number) => new Date(Date.UTC(2026, 10, 17 + i)).toISOString();
    server.counts = Array.from({ length: 7 }, (_, i) => ({ start: day(i), end: day(i + 1), tweet_count: 1000 }));
    const e = await estimateRuleSet(client(), [{ query: "(aave)", tags: ["a"] }, { query: "(uni)", tags: ["b"] }], { ...limits, maxUsdPerMonth: 500 });
    expect(e).toMatchObject({ days: 7, postsInWindow: 14_000, postsPerDay: 2000, postsPerMonth: 60_000, usdPerMonth: 300, shareOfCap: 0.6 });
    expect(e.queries).toEqual([{ tags: ["a"], postsInWindow: 7000, postsPerDay: 1000 }, { tags: ["b"], postsInWindow: 7000, postsPerDay: 1000 }]);
    const calls = server.requests.filter((r) => r.path === "/2/tweets/counts/recent");
    expect(calls.map((r) => [r.query.get("query"), r.query.get("granularity")])).toEqual([["(aave)", "day"], ["(uni)", "day"]]);
  });
});

describe("gap fill of a window that just ended", () => {
  it("waits until the window's end is 10 s old instead of clipping it", async () => {
    let now = Date.parse(at(20));
    for (let n = 1; n <= 20; n++) server.timeline.push(xLine(n, at(n)));
    const slept: number[] = [];
    const ids: string[] = [];
    for await (const b of searchBackfill({
      client: client(),
      queries: [{ query: "(aave)", tags: [] }],
      window: { start: Date.parse(at(15)), end: Date.parse(at(20)) + 1000 },
      statePath: join(dir, "s.json"),
      clock: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      waitForRecent: true,
    }))
      ids.push(...b.map((p) => p.id));
    expect(slept).toEqual([12_000]);
    expect(ids).toHaveLength(6); // 15..20, the newest included
  });
});
