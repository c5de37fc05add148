import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCollectorConfig, redactConfig } from "../src/config.ts";
import { DEFAULT_DEFI_RULES } from "../src/core/rules-plan.ts";
import { runCollector } from "../src/run-collector.ts";
import { startXServer, xLine, type XServer } from "./x-server.ts";
import { arraySink } from "./array-sink.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "run-collector-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const filesUnder = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe("collector configuration", () => {
  it("uses the generator without a token and says why", () => {
    const c = parseCollectorConfig([], {});
    expect(c).toMatchObject({ source: "generator", count: 20_000, seed: 42, sink: "given" });
    expect(c.sourceReason).toMatch(/X_BEARER_TOKEN is not set/);
    expect(c.rules).toEqual(DEFAULT_DEFI_RULES);
  });

  it("streams when X_BEARER_TOKEN is set, and never shows the token", () => {
    const c = parseCollectorConfig([], { X_BEARER_TOKEN: "secret-token-123" });
    expect(c.source).toBe("stream");
    expect(JSON.stringify(redactConfig(c))).not.toContain("secret-token-123");
  });

  it("replays the files given after --replay", () => {
    expect(parseCollectorConfig(["--replay", "a.jsonl", "b.json.gz"], { X_BEARER_TOKEN: "t" })).toMatchObject({ source: "replay", replayPaths: ["a.jsonl", "b.json.gz"] });
  });

  it("names the flag or variable that is wrong", () => {
    expect(() => parseCollectorConfig(["--count", "ten"], {})).toThrow(/--count must be an integer/);
    expect(() => parseCollectorConfig([], { X_MAX_USD_PER_MONTH: "lots" })).toThrow(/X_MAX_USD_PER_MONTH must be a number/);
    expect(() => parseCollectorConfig(["backfill"], { X_BEARER_TOKEN: "t" })).toThrow(/--since is required/);
    expect(() => parseCollectorConfig(["run"], {})).toThrow(/X_BEARER_TOKEN/);
    expect(() => parseCollectorConfig([], { FIREHOSE_STREAM_NAME: "s" })).toThrow(/AWS_REGION/);
    expect(() => parseCollectorConfig([], { X_RULES: '[{"tag":"a","value":"' + "x".repeat(600) + '"}]' })).toThrow(/X_RULES\[0\].*600 characters/);
    expect(() => parseCollectorConfig(["--bogus"], {})).toThrow(/bogus/);
  });

  it("takes the AWS lake for deletion notices only when all of it is set, and names what is wrong", () => {
    const lake = { AWS_REGION: "eu-west-1", LAKE_BUCKET: "lake-b1", ATHENA_DATABASE: "defi_sentiment_dev", ATHENA_WORKGROUP: "defi-sentiment-dev" };
    expect(parseCollectorConfig([], lake).awsLake).toEqual({ bucket: "lake-b1", database: "defi_sentiment_dev", workGroup: "defi-sentiment-dev", region: "eu-west-1", athenaEndpoint: null });
    // LAKE_BUCKET alone is health records only, as before.
    expect(parseCollectorConfig([], { LAKE_BUCKET: "lake-b1" }).awsLake).toBeNull();
    expect(() => parseCollectorConfig([], { ...lake, ATHENA_WORKGROUP: "" })).toThrow(/^ATHENA_DATABASE set: .* also needs ATHENA_WORKGROUP \(/);
    expect(() => parseCollectorConfig([], { ...lake, AWS_REGION: "" })).toThrow(/also needs AWS_REGION/);
    expect(() => parseCollectorConfig([], { ...lake, LAKE_BUCKET: "Lake_B1" })).toThrow(/LAKE_BUCKET must be an S3 bucket name.*"Lake_B1"/);
    expect(() => parseCollectorConfig([], { ...lake, ATHENA_DATABASE: "defi; DROP" })).toThrow(/ATHENA_DATABASE must be a Glue database name/);
    expect(() => parseCollectorConfig([], { ...lake, ATHENA_WORKGROUP: "wg/1" })).toThrow(/ATHENA_WORKGROUP must be an Athena workgroup name/);
    expect(() => parseCollectorConfig([], { ...lake, ATHENA_ENDPOINT: "localhost:1" })).toThrow(/ATHENA_ENDPOINT must be an http\(s\) URL/);
    expect(() => parseCollectorConfig([], { S3_ENDPOINT: "nope" })).toThrow(/S3_ENDPOINT must be an http\(s\) URL/);
  });
});

describe("runCollector", () => {
  it("generates, delivers every post, and writes a health record into the lake", async () => {
    const { sink, records } = arraySink();
    const progress: number[] = [];
    const events: Record<string, unknown>[] = [];
    const run = await runCollector({ sink, dataDir: join(dir, "lake", ".collector"), env: {}, argv: ["--count", "700", "--seed", "3"], onProgress: (s) => progress.push(s.read), log: (e) => events.push(e) });
    expect(run).toEqual({ source: "generator", read: 700, accepted: 700, duplicates: 0, delivered: 700, tombstoned: 0, deletionNotices: 0 });
    expect(new Set(records.map((p) => p.id)).size).toBe(700);
    expect(progress.at(-1)).toBe(700);
    expect(events.find((e) => e.event === "source")).toMatchObject({ source: "generator" });
    const health = filesUnder(join(dir, "lake", "health"));
    expect(health).toHaveLength(1);
    expect(health[0]).toMatch(/health\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/collector-health-1-.*\.ndjson\.gz$/);
    const record = JSON.parse(gunzipSync(readFileSync(health[0]!)).toString("utf8"));
    expect(record).toMatchObject({ type: "collector-health", source: "generator", received: 700, delivered: 700 });
  });

  it("running the same generator twice delivers nothing new the second time", async () => {
    const { sink, records } = arraySink();
    const dataDir = join(dir, "data");
    await runCollector({ sink, dataDir, env: {}, argv: ["--count", "200"] });
    const again = await runCollector({ sink, dataDir, env: {}, argv: ["--count", "200"] });
    expect(again).toMatchObject({ read: 200, accepted: 0, duplicates: 200 });
    expect(records).toHaveLength(200);
  });

  describe("against the X API", () => {
    let server: XServer;
    beforeEach(async () => {
      server = await startXServer();
    });
    afterEach(async () => server.close());

    it("syncs the rules, streams, and stops cleanly when aborted", async () => {
      const now = Date.now();
      server.streamReplies.push({ steps: [1, 2, 3].map((n) => ({ line: xLine(n, new Date(now - 60_000 + n * 1000).toISOString()) })) });
      const { sink, records } = arraySink();
      const ac = new AbortController();
      const run = await runCollector({
        sink,
        dataDir: join(dir, "data"),
        env: { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base },
        signal: ac.signal,
        onProgress: (s) => s.read >= 3 && ac.abort(),
      });
      expect(run).toMatchObject({ source: "stream", read: 3, accepted: 3 });
      expect(records.map((p) => p.source)).toEqual(["stream", "stream", "stream"]);
      expect([...server.rules.values()].map((r) => r.tag)).toEqual(DEFAULT_DEFI_RULES.map((r) => r.tag));
      const budget = JSON.parse(readFileSync(join(dir, "data", "x-budget.json"), "utf8"));
      expect(budget.postsThisMonth).toBe(3);
    });

    it("after a restart fills the downtime gap: every post delivered once", async () => {
      const now = Date.now();
      for (let n = 1; n <= 8; n++) server.timeline.push(xLine(n, new Date(now - 600_000 + n * 20_000).toISOString()));
      const line = (n: number) => ({ line: server.timeline[n - 1]! });
      server.streamReplies.push({ steps: [line(1), line(2), line(3)] });
      const { sink, records } = arraySink();
      const env = { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base };
      const first = new AbortController();
      await runCollector({ sink, dataDir: join(dir, "data"), env, signal: first.signal, onProgress: (s) => s.read >= 3 && first.abort() });
      server.streamReplies.push({ steps: [line(7), line(8)] });
      const second = new AbortController();
      const run = await runCollector({ sink, dataDir: join(dir, "data"), env, signal: second.signal, onProgress: (s) => s.read >= 5 && second.abort() });
      const ids = records.map((p) => p.id);
      expect(ids.slice().sort()).toEqual(server.timeline.map((l) => l.data.id).sort());
      expect(new Set(ids).size).toBe(ids.length);
      expect(records.filter((p) => p.source === "search").map((p) => p.id)).toEqual([6, 5, 4].map((n) => server.timeline[n - 1]!.data.id));
      expect(run.source).toBe("stream");
    });

    it("fails with a clear error when X refuses the token", async () => {
      server.streamReplies.push({ status: 403, body: { title: "Forbidden", detail: "client-not-enrolled" } });
      const { sink } = arraySink();
      await expect(runCollector({ sink, dataDir: join(dir, "data"), env: { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base } })).rejects.toThrow(/HTTP 403.*client-not-enrolled.*X_BEARER_TOKEN/);
    });

    it("stops at the read budget and says so", async () => {
      const now = Date.now();
      server.streamReplies.push({ steps: [1, 2, 3, 4].map((n) => ({ line: xLine(n, new Date(now - 60_000 + n * 1000).toISOString()) })) });
      const { sink, records } = arraySink();
      const events: Record<string, unknown>[] = [];
      const run = await runCollector({ sink, dataDir: join(dir, "data"), env: { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base, X_MAX_POSTS_PER_MONTH: "2" }, log: (e) => events.push(e) });
      expect(run).toMatchObject({ read: 2, delivered: 2 });
      expect(records).toHaveLength(2);
      expect(events.find((e) => e.event === "budget-exhausted")?.msg).toMatch(/cap 2 \(X_MAX_POSTS_PER_MONTH=2\)/);
    });

    it("backfills with recent search from --since", async () => {
      const now = Date.now();
      for (let n = 1; n <= 15; n++) server.timeline.push(xLine(n, new Date(now - 3_600_000 + n * 60_000).toISOString()));
      const { sink, records } = arraySink();
      const run = await runCollector({ sink, dataDir: join(dir, "data"), env: { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base }, argv: ["backfill", "--since", "2h"] });
      expect(run).toMatchObject({ source: "search", read: 15, accepted: 15, delivered: 15 });
      expect(records.every((p) => p.source === "search")).toBe(true);
      const again = await runCollector({ sink, dataDir: join(dir, "data"), env: { X_BEARER_TOKEN: "tok", X_API_BASE_URL: server.base }, argv: ["backfill", "--since", "2h"] });
      expect(again.read).toBe(0); // the window was searched already: nothing is read (or paid for) twice
      expect(new Set(server.searchedIds).size).toBe(15);
    });
  });
});
