import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { get, request } from "node:http";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Warehouse } from "@defi-sentiment/lake";
import { QUESTIONS, encodeNdjson } from "@defi-sentiment/shared";
import { DashboardConfigError, startDashboard, type Dashboard } from "../src/index.ts";
import { syntheticRows } from "./synthetic-rows.ts";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function fetchRaw(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}
const json = async (url: string, headers?: Record<string, string>) => {
  const r = await fetchRaw(url, headers);
  return { ...r, json: JSON.parse(r.body) as any };
};

let wh: Warehouse;
let dash: Dashboard;
let lakeDir: string;

beforeAll(async () => {
  lakeDir = mkdtempSync(path.join(tmpdir(), "dash-lake-"));
  wh = await Warehouse.open(":memory:");
  await wh.upsert(syntheticRows(600, { days: 3 }));
  dash = await startDashboard({ warehouse: wh, lakeDir, port: 0, pollMs: 100, token: "" });
});

afterAll(async () => {
  await dash?.close();
  wh?.close();
  rmSync(lakeDir, { recursive: true, force: true });
});

afterEach(() => vi.unstubAllEnvs());

describe("binding and access", () => {
  it("listens on 127.0.0.1 by default", () => {
    expect(new URL(dash.url).hostname).toBe("127.0.0.1");
  });

  it("refuses to start on a non-loopback host without DASHBOARD_TOKEN", async () => {
    vi.stubEnv("DASHBOARD_TOKEN", "");
    await expect(startDashboard({ warehouse: wh, host: "0.0.0.0", port: 0 })).rejects.toThrow(DashboardConfigError);
    await expect(startDashboard({ warehouse: wh, host: "0.0.0.0", port: 0 })).rejects.toThrow(/DASHBOARD_TOKEN/);
  });

  it("with a token, answers 401 to requests without it and 200 with it (header, query or cookie)", async () => {
    const token = "test-token-0123456789abcdef";
    const guarded = await startDashboard({ warehouse: wh, port: 0, token, pollMs: 100 });
    try {
      const api = `${guarded.url}api/answers`;
      expect((await fetchRaw(api)).status).toBe(401);
      expect((await fetchRaw(guarded.url)).status).toBe(401);
      expect((await fetchRaw(`${guarded.url}vendor/echarts.min.js`)).status).toBe(401);
      expect((await fetchRaw(api, { Authorization: "Bearer wrong-token-0123456789" })).status).toBe(401);
      expect((await fetchRaw(api, { Authorization: `Bearer ${token}` })).status).toBe(200);
      const page = await fetchRaw(`${guarded.url}?token=${token}`);
      expect(page.status).toBe(200);
      const cookie = String(page.headers["set-cookie"]).split(";")[0]!;
      expect(String(page.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await fetchRaw(api, { Cookie: cookie })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("takes the token from DASHBOARD_TOKEN when none is passed", async () => {
    vi.stubEnv("DASHBOARD_TOKEN", "env-token-0123456789abcdef");
    const guarded = await startDashboard({ warehouse: wh, port: 0, pollMs: 100 });
    try {
      expect((await fetchRaw(`${guarded.url}api/health`)).status).toBe(401);
      expect((await fetchRaw(`${guarded.url}api/health`, { Authorization: "Bearer env-token-0123456789abcdef" })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("without a token, refuses requests addressed to a non-loopback host name (DNS rebinding)", async () => {
    const r = await fetchRaw(`${dash.url}api/answers`, { Host: "attacker.example:80" });
    expect(r.status).toBe(421);
  });

  it("sends a script-only-from-self CSP and nosniff on every response", async () => {
    for (const p of ["", "app.js", "api/answers", "nope"]) {
      const r = await fetchRaw(`${dash.url}${p}`);
      expect(r.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(r.headers["content-security-policy"]).not.toContain("unsafe-inline");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    }
  });

  it("serves the echarts bundle from node_modules, not a CDN", async () => {
    const page = await fetchRaw(dash.url);
    expect(page.body).toContain('src="/vendor/echarts.min.js"');
    expect(page.body).not.toMatch(/https?:\/\//);
    const lib = await fetchRaw(`${dash.url}vendor/echarts.min.js`);
    expect(lib.status).toBe(200);
    expect(lib.headers["content-type"]).toMatch(/javascript/);
    expect(lib.body.length).toBeGreaterThan(500_000);
  });
});

describe("the API", () => {
  it("answers every question exactly as the warehouse does", async () => {
    const { json: body } = await json(`${dash.url}api/answers`);
    for (const key of ["overview", "sentimentDaily", "sentimentHourly", "influencersByPosts", "influencersByFollowers", "influencersByEngagement", "countries", "unresolvedLocations", "topCashtags", "topHashtags", "topProtocols", "samplePosts"] as const)
      expect(body.answers[key], key).toEqual(await wh.ask(key));
    expect(body.ruleTags).toEqual(await wh.ask("ruleTags"));
  });

  it("applies a date range and a rule tag with the same shared SQL", async () => {
    const { json: body } = await json(`${dash.url}api/answers?from=2026-11-18&to=2026-11-18&tag=defi-tokens`);
    const src = "WITH f AS (SELECT * FROM scored_posts WHERE dt = DATE '2026-11-18' AND list_contains(rule_tags, 'defi-tokens'))";
    const expected = await wh.query(`${src} ${QUESTIONS.overview.sql("f")}`);
    expect(body.answers.overview).toEqual(expected);
    expect(body.answers.overview[0].posts).toBeGreaterThan(0);
    expect(body.answers.overview[0].posts).toBeLessThan((await wh.count()) / 2);
    expect(body.answers.influencersByEngagement).toEqual(await wh.query(`${src} ${QUESTIONS.influencersByEngagement.sql("f")}`));
  });

  it("lists an author's posts in view", async () => {
    const [top] = await wh.ask<{ author_id: string }>("influencersByPosts");
    const { json: body } = await json(`${dash.url}api/posts?author=${top!.author_id}`);
    expect(body.posts.length).toBeGreaterThan(0);
    expect(body.posts.every((p: { author_id: string }) => p.author_id === top!.author_id)).toBe(true);
    expect(body.posts).toEqual(await wh.query(`WITH f AS (SELECT * FROM scored_posts WHERE author_id = '${top!.author_id}') ${QUESTIONS.latestPosts.sql("f")}`));
  });

  it("answers the chart questions and the list questions separately when asked for a part", async () => {
    const charts = (await json(`${dash.url}api/answers?part=charts`)).json;
    const lists = (await json(`${dash.url}api/answers?part=lists`)).json;
    expect(Object.keys(charts.answers)).toEqual(["overview", "sentimentShare", "sentimentDaily", "sentimentHourly", "countries", "topCashtags", "topHashtags", "topProtocols"]);
    expect(Object.keys(lists.answers)).toEqual(["influencersByPosts", "influencersByFollowers", "influencersByEngagement", "unresolvedLocations", "samplePosts"]);
    expect(charts.answers.countries).toEqual(await wh.ask("countries"));
    expect(lists.answers.samplePosts).toEqual(await wh.ask("samplePosts"));
    expect((await json(`${dash.url}api/answers?part=everything`)).json.error).toContain('"part"');
  });

  it("answers 400 naming the parameter when a filter is malformed", async () => {
    const r = await json(`${dash.url}api/answers?from=2026-13-01`);
    expect(r.status).toBe(400);
    expect(r.json.error).toContain('"from"');
    expect((await json(`${dash.url}api/posts`)).json.error).toContain('"author"');
  });

  it("says there are no health records yet, then summarises the collector's records", async () => {
    expect((await json(`${dash.url}api/health`)).json).toMatchObject({ available: false });
    const dir = path.join(lakeDir, "health", "dt=2026-11-20", "hour=10");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "health-1-2026-11-20-10-00-00-a.ndjson.gz"),
      gzipSync(encodeNdjson([
        { at: "2026-11-20T10:00:00Z", received: 100, delivered: 90 },
        { at: "2026-11-20T10:01:00Z", received: 160, delivered: 150, reconnects: 3, spooled: 7, lastKeepAliveAt: "2026-11-20T10:00:59Z", spendUsd: 0.25, budgetUsd: 5 },
      ])),
    );
    expect((await json(`${dash.url}api/health`)).json).toMatchObject({
      available: true, postsPerMinute: 60, reconnects: 3, spooled: 7, spendUsd: 0.25, budgetUsd: 5, deadLettered: null,
    });
  });
});

describe("live updates", () => {
  it("pushes a changed event when rows arrive, and serves the new answers", async () => {
    const before = (await json(`${dash.url}api/answers`)).json.answers.overview[0].posts as number;
    const events: string[] = [];
    const stream = await new Promise<import("node:http").IncomingMessage>((resolve) => get(`${dash.url}api/events`, resolve));
    expect(stream.headers["content-type"]).toMatch(/text\/event-stream/);
    const changed = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no changed event; saw ${JSON.stringify(events)}`)), 5000);
      stream.on("data", (chunk: Buffer) => {
        events.push(chunk.toString());
        const frame = events.join("").split("\n\n").find((f) => f.startsWith("event: changed"));
        if (frame) {
          clearTimeout(timer);
          resolve(frame);
        }
      });
    });
    await wh.upsert(syntheticRows(25, { idOffset: 10_000_000n, collectedAt: new Date("2026-11-21T00:00:00Z") }));
    const frame = await changed;
    stream.destroy();
    expect(JSON.parse(frame.split("data: ")[1]!)).toMatchObject({ rows: before + 25 });
    expect((await json(`${dash.url}api/answers`)).json.answers.overview[0].posts).toBe(before + 25);
  });
});

describe("lakeDir mode", () => {
  it("refuses with a clear message when the lake has no warehouse yet", async () => {
    await expect(startDashboard({ lakeDir: path.join(lakeDir, "missing"), port: 0 })).rejects.toThrow(/no warehouse at .*warehouse\.duckdb/);
  });
});

describe("start-up errors", () => {
  it("says which address is taken when the port is in use", async () => {
    const port = Number(new URL(dash.url).port);
    await expect(startDashboard({ warehouse: wh, port, token: "" })).rejects.toThrow(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
  });
});

describe("answers after a change", () => {
  it("recomputes what pages look at before telling them, so the reload is served from memory", async () => {
    const stream = await new Promise<import("node:http").IncomingMessage>((resolve) => get(`${dash.url}api/events`, resolve));
    const frames: string[] = [];
    const changed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no changed event; saw ${JSON.stringify(frames)}`)), 5000);
      stream.on("data", (c: Buffer) => {
        frames.push(c.toString());
        if (frames.join("").includes("event: changed")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await json(`${dash.url}api/answers?part=charts&tag=defi-tokens`); // a page is looking at this view
    await wh.upsert(syntheticRows(10, { seed: 5, idOffset: 20_000_000n, collectedAt: new Date("2026-11-22T00:00:00Z") }));
    await changed;
    stream.destroy();
    const after = (await json(`${dash.url}api/answers?part=charts&tag=defi-tokens`)).json;
    expect(after.queryMs).toBe(0); // from the cache
    expect(after.answers.overview).toEqual(await wh.query(`WITH f AS (SELECT * FROM scored_posts WHERE list_contains(rule_tags, 'defi-tokens')) ${QUESTIONS.overview.sql("f")}`));
  });

  it("with no page open, serves the previous answers at once and refreshes when a page connects", async () => {
    const before = (await json(`${dash.url}api/answers?part=charts`)).json.answers.overview[0].posts as number;
    await wh.upsert(syntheticRows(5, { seed: 6, idOffset: 30_000_000n, collectedAt: new Date("2026-11-23T00:00:00Z") }));
    await new Promise((r) => setTimeout(r, 400)); // a few polls: the change is seen, nobody is told
    expect((await json(`${dash.url}api/answers?part=charts`)).json.answers.overview[0].posts).toBe(before);
    const stream = await new Promise<import("node:http").IncomingMessage>((resolve) => get(`${dash.url}api/events`, resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no changed event after connecting")), 5000);
      let seen = "";
      stream.on("data", (c: Buffer) => {
        seen += c.toString();
        if (seen.includes("event: changed")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    stream.destroy();
    expect((await json(`${dash.url}api/answers?part=charts`)).json.answers.overview[0].posts).toBe(before + 5);
  });
});
