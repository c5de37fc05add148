import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postFromStreamLine } from "@defi-sentiment/shared";
import { superviseStream, StreamStoppedError, type StreamEvent } from "../src/core/stream-supervisor.ts";
import { createXClient } from "../src/x/x-client.ts";
import { startXServer, streamLineJson, xLine, type XServer } from "./x-server.ts";

let server: XServer;
beforeEach(async () => {
  server = await startXServer();
});
afterEach(async () => {
  await server.close();
});

const T0 = Date.parse("2026-11-24T12:00:00Z");

/** Runs the supervisor against the local server with a fake clock that advances by each sleep. */
async function run(stopWhen: (events: StreamEvent[]) => boolean, opts: { stallMs?: number; token?: string } = {}) {
  const client = createXClient({ bearerToken: opts.token ?? "test-token", baseUrl: server.base });
  let now = T0;
  const slept: number[] = [];
  const events: StreamEvent[] = [];
  const ac = new AbortController();
  let error: unknown = null;
  try {
    for await (const e of superviseStream({
      connect: (s) => client.connectStream(s),
      signal: ac.signal,
      clock: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      stallMs: opts.stallMs ?? 2_000,
    })) {
      events.push(e);
      if (stopWhen(events) || events.length > 200) ac.abort();
    }
  } catch (err) {
    error = err;
  }
  return { events, slept, error, lines: events.flatMap((e) => (e.type === "line" ? [e.line] : [])) };
}

const countLines = (n: number) => (events: StreamEvent[]) => events.filter((e) => e.type === "line").length >= n;

describe("filtered stream", () => {
  it("reads posts between keep-alives and keeps rule ids above 2^53 exact", async () => {
    server.streamReplies.push({
      steps: [
        { keepAlive: true },
        { line: xLine(1, "2026-11-24T11:00:00.000Z", [{ id: "1900000000000000001", tag: "defi-protocols" }, { id: "1900000000000000003", tag: null }]) },
        { keepAlive: true },
        { line: xLine(2, "2026-11-24T11:00:01.000Z") },
      ],
    });
    const { events, lines } = await run(countLines(2));
    expect(events.filter((e) => e.type === "keep-alive").length).toBeGreaterThanOrEqual(2);
    const post = postFromStreamLine(lines[0]!, "stream", new Date(T0));
    expect(post.rule_ids).toEqual(["1900000000000000001", "1900000000000000003"]);
    expect(post.rule_tags).toEqual(["defi-protocols"]);
    expect(lines.map((l) => l.data.id)).toEqual(["1800000000000000001", "1800000000000000002"]);
    const req = server.requests.find((r) => r.path === "/2/tweets/search/stream")!;
    expect(req.authorization).toBe("Bearer test-token");
    expect(req.query.get("tweet.fields")).toContain("public_metrics");
    expect(req.query.get("expansions")).toBe("author_id,referenced_tweets.id");
  });

  it("keeps a post whose bytes arrive split mid-character", async () => {
    const line = xLine(3, "2026-11-24T11:00:00.000Z");
    line.data.text = "gm DeFi 🚀 café";
    const bytes = Buffer.from(streamLineJson(line) + "\r\n");
    const cut = bytes.indexOf(Buffer.from("🚀")) + 2;
    server.streamReplies.push({ steps: [{ bytes: bytes.subarray(0, cut) }, { waitMs: 30 }, { bytes: bytes.subarray(cut) }] });
    const { lines } = await run(countLines(1));
    expect(lines[0]!.data.text).toBe("gm DeFi 🚀 café");
  });

  it("reconnects after a stall, 250 ms later", async () => {
    server.streamReplies.push({ steps: [{ line: xLine(1, "2026-11-24T11:00:00.000Z") }, { stall: true }] });
    server.streamReplies.push({ steps: [{ line: xLine(2, "2026-11-24T11:00:05.000Z") }] });
    const { events, slept, lines } = await run(countLines(2), { stallMs: 150 });
    const d = events.find((e) => e.type === "disconnected");
    expect(d).toMatchObject({ failure: { kind: "stall", silentMs: 150 }, delayMs: 250 });
    expect(slept).toEqual([250]);
    expect(lines.map((l) => l.data.id)).toEqual(["1800000000000000001", "1800000000000000002"]);
    expect(server.streamConnections()).toBe(2);
  });

  it("reconnects after a connection reset with linear backoff", async () => {
    server.streamReplies.push({ steps: [{ destroy: true }] }, { steps: [{ destroy: true }] }, { steps: [{ line: xLine(1, "2026-11-24T11:00:00.000Z") }] });
    const { slept, events } = await run(countLines(1));
    expect(slept).toEqual([250, 500]);
    expect(events.filter((e) => e.type === "disconnected").every((e) => e.type === "disconnected" && e.failure.kind === "network")).toBe(true);
  });

  it("backs off 5 s then 10 s after HTTP 503", async () => {
    const unavailable = { status: 503, body: { title: "Service Unavailable", detail: "try later" } };
    server.streamReplies.push(unavailable, unavailable, { steps: [{ line: xLine(1, "2026-11-24T11:00:00.000Z") }] });
    const { slept, events } = await run(countLines(1));
    expect(slept).toEqual([5_000, 10_000]);
    expect(events.find((e) => e.type === "disconnected")).toMatchObject({ failure: { kind: "http", status: 503 } });
  });

  it("after 429 does not connect again before x-rate-limit-reset", async () => {
    const resetAt = T0 + 600_000;
    server.streamReplies.push({
      status: 429,
      headers: { "x-rate-limit-reset": String(resetAt / 1000) },
      body: { title: "ConnectionException", detail: "This stream is currently at the maximum allowed connection limit.", connection_issue: "TooManyConnections" },
    });
    server.streamReplies.push({ steps: [{ line: xLine(1, "2026-11-24T11:00:00.000Z") }] });
    const { slept, events } = await run(countLines(1));
    expect(slept).toEqual([600_000]);
    const connected = events.find((e) => e.type === "connected")!;
    expect(connected.at).toBeGreaterThanOrEqual(resetAt);
    expect(events.find((e) => e.type === "disconnected")).toMatchObject({ failure: { status: 429, detail: expect.stringContaining("maximum allowed connection limit") } });
  });

  it("stops with a clear error on 401 and does not retry", async () => {
    server.streamReplies.push({ status: 401, body: { title: "Unauthorized", detail: "Unauthorized", status: 401 } });
    const { error, slept } = await run(() => false);
    expect(error).toBeInstanceOf(StreamStoppedError);
    expect((error as Error).message).toMatch(/HTTP 401.*X_BEARER_TOKEN/);
    expect(slept).toEqual([]);
    expect(server.streamConnections()).toBe(1);
  });

  it("reconnects on an operational-disconnect message", async () => {
    server.streamReplies.push({
      steps: [
        { line: xLine(1, "2026-11-24T11:00:00.000Z") },
        { raw: '{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}\r\n' },
      ],
    });
    server.streamReplies.push({ steps: [{ line: xLine(2, "2026-11-24T11:00:02.000Z") }] });
    const { events, slept, lines } = await run(countLines(2));
    expect(events.find((e) => e.type === "disconnected")).toMatchObject({ failure: { kind: "operational-disconnect", detail: expect.stringContaining("operational reasons") } });
    expect(slept).toEqual([250]);
    expect(lines).toHaveLength(2);
  });

  it("counts a truncated line, skips it and keeps its neighbours", async () => {
    const cut = streamLineJson(xLine(2, "2026-11-24T11:00:01.000Z")).slice(0, 60);
    server.streamReplies.push({
      steps: [{ line: xLine(1, "2026-11-24T11:00:00.000Z") }, { raw: cut + "\r\n" }, { line: xLine(3, "2026-11-24T11:00:02.000Z") }, { raw: cut }, { destroy: true }],
    });
    server.streamReplies.push({ steps: [{ line: xLine(4, "2026-11-24T11:00:03.000Z") }] });
    const { events, lines } = await run(countLines(3));
    expect(lines.map((l) => l.data.id)).toEqual(["1800000000000000001", "1800000000000000003", "1800000000000000004"]);
    const bad = events.filter((e) => e.type === "bad-line");
    expect(bad.map((e) => e.type === "bad-line" && e.reason)).toEqual(["invalid-json", "truncated"]);
    expect(bad[0]).toMatchObject({ where: "stream connection 1 line 2" });
  });
});

describe("connect quota", () => {
  it("never opens more than 50 connections in 15 minutes, however often the stream drops", async () => {
    for (let i = 0; i < 55; i++) server.streamReplies.push({ steps: [{ destroy: true }] });
    server.streamReplies.push({ steps: [{ line: xLine(1, "2026-11-24T11:00:00.000Z") }] });
    const connects: number[] = [];
    const client = createXClient({ bearerToken: "t", baseUrl: server.base });
    let now = T0;
    const ac = new AbortController();
    for await (const e of superviseStream({
      connect: (s) => {
        connects.push(now);
        return client.connectStream(s);
      },
      signal: ac.signal,
      clock: () => now,
      sleep: async (ms) => void (now += ms),
    }))
      if (e.type === "line") ac.abort();
    expect(connects).toHaveLength(56);
    for (let i = 50; i < connects.length; i++) expect(connects[i]! - connects[i - 50]!).toBeGreaterThanOrEqual(15 * 60_000);
  }, 20_000);
});
