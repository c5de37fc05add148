/**
 * The page in a real browser (Debian Chromium via playwright-core): every chart and list holds
 * what the shared SQL answers, filters change the figures, hostile text stays inert, rows that
 * arrive while the page is open show without a reload. Writes test-artifacts/dashboard.png.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { Warehouse, type Row } from "@defi-sentiment/lake";
import { QUESTIONS, encodeNdjson, healthPrefix, type QuestionKey } from "@defi-sentiment/shared";
import { startDashboard, type Dashboard } from "../src/index.ts";
import { XSS_LOCATION, XSS_TEXT, XSS_USERNAME, hostileRows, syntheticRows } from "./synthetic-rows.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
const ARTIFACTS = path.resolve(fileURLToPath(new URL("../../../test-artifacts/", import.meta.url)));

if (!haveBrowser && process.env.CI === "true") {
  describe("dashboard in a browser", () => {
    it("needs Chromium in CI", () => {
      throw new Error(`no browser at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH; CI must not skip the browser tests`);
    });
  });
} else if (!haveBrowser) {
  console.warn(`dashboard browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

describe.skipIf(!haveBrowser)("dashboard in a browser", () => {
  let wh: Warehouse;
  let dash: Dashboard;
  let browser: Browser;
  let page: Page;
  let lakeDir: string;
  let keepAliveAt: string;
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  /** The shared question over the table filtered by plain SQL written here, independently of the server's filter code. */
  const askWhere = (key: QuestionKey, where: string) => wh.query(`WITH f AS (SELECT * FROM scored_posts WHERE ${where}) ${QUESTIONS[key].sql("f")}`);
  const renders = () => page.evaluate(() => (window as any).__dashboard.renders as number);
  const waitRender = (after: number) => page.waitForFunction((n) => (window as any).__dashboard.renders > n, after, { timeout: 15_000 });
  /** Categories and series data of the ECharts instance in `#id`. */
  const chartData = (id: string): Promise<{ categories: string[]; series: { name: string; data: unknown[] }[] }> =>
    page.evaluate((chartId) => {
      const chart = (window as any).echarts.getInstanceByDom(document.getElementById(chartId));
      const o = chart.getOption();
      const axis = [...(o.xAxis ?? []), ...(o.yAxis ?? [])].find((a: any) => a.type === "category");
      return {
        categories: axis?.data as string[],
        series: o.series.map((s: any) => ({ name: s.name, data: s.data.map((d: any) => (typeof d === "object" && d !== null ? d.value : d)) })),
      };
    }, id);
  const headline = (key: string) => page.getAttribute(`#headline [data-key="${key}"]`, "data-value");

  beforeAll(async () => {
    wh = await Warehouse.open(":memory:");
    const rows = syntheticRows(2500, { days: 5 });
    await wh.upsert([...rows, ...hostileRows(rows[0]!)]);
    // two collector health records, a minute apart, ending now
    lakeDir = mkdtempSync(path.join(tmpdir(), "dash-browser-"));
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    keepAliveAt = at(15_000);
    mkdirSync(path.join(lakeDir, healthPrefix(at(0))), { recursive: true });
    writeFileSync(
      path.join(lakeDir, healthPrefix(at(0)), "health-1.ndjson.gz"),
      gzipSync(encodeNdjson([
        { at: at(60_000), received: 1000, delivered: 990, reconnects: 1 },
        // the collector's own field names
        { type: "collector-health", at: at(0), received: 1130, delivered: 1110, resent: 4, spooled: 12, dead_lettered: 2, reconnects: 2, gaps_filled: 1, last_keep_alive_at: keepAliveAt, posts_read_month: 2000, spend_usd_month: 3.2, budget_remaining: 8000 },
      ])),
    );
    dash = await startDashboard({ warehouse: wh, lakeDir, port: 0, pollMs: 250, token: "" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(dash.url);
    await waitRender(0);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    wh?.close();
    if (lakeDir) rmSync(lakeDir, { recursive: true, force: true });
  });

  it("fetches the chart answers, then the list answers, once each on load (the preloaded responses are reused)", () => {
    expect(requests.filter((u) => u.includes("/api/answers")).map((u) => new URL(u).search)).toEqual(["?part=charts", "?part=lists"]);
  });

  it("shows the headline figures the SQL gives", async () => {
    const [o] = await wh.ask("overview");
    for (const key of ["posts", "positive", "neutral", "negative", "unknown_location", "avg_score"]) expect(Number(await headline(key)), key).toBe(o![key]);
    const text = await page.textContent("#headline");
    expect(text).toContain(((Number(o!.positive) / Number(o!.posts)) * 100).toFixed(1));
  });

  it("draws every chart with the data of its question", async () => {
    expect(await page.evaluate(() => (window as any).__dashboard.granularity)).toBe("day");
    const daily = await wh.ask("sentimentDaily");
    const counts = await chartData("chart-sentiment-counts");
    expect(counts.categories).toEqual(daily.map((r) => r.day));
    for (const s of counts.series) expect(s.data, s.name).toEqual(daily.map((r) => r[s.name]));
    const shares = await chartData("chart-sentiment-shares");
    expect(shares.series.find((s) => s.name === "positive")!.data).toEqual(daily.map((r) => Math.round((Number(r.positive) / Number(r.posts)) * 10000) / 100));

    const countries = (await wh.ask("countries")).slice(0, 20);
    const c = await chartData("chart-countries");
    expect(c.categories).toEqual(countries.map((r) => r.country));
    expect(c.series[0]!.data).toEqual(countries.map((r) => r.posts));

    for (const [id, key, prefix] of [["chart-cashtags", "topCashtags", "$"], ["chart-hashtags", "topHashtags", "#"], ["chart-protocols", "topProtocols", ""]] as const) {
      const rows = await wh.ask(key);
      expect(rows.length, key).toBeGreaterThan(0);
      const t = await chartData(id);
      expect(t.categories).toEqual(rows.map((r) => `${prefix}${r.tag}`));
      for (const s of t.series) expect(s.data, `${key}.${s.name}`).toEqual(rows.map((r) => r[s.name]));
    }
  });

  it("lists influencers, unresolved locations and sample posts as the SQL ranks them", async () => {
    for (const [id, key, metric] of [["inf-posts", "influencersByPosts", "posts"], ["inf-followers", "influencersByFollowers", "followers"], ["inf-engagement", "influencersByEngagement", "engagement"]] as const) {
      const rows = (await wh.ask(key)).slice(0, 15);
      const shown = await page.$$eval(`#${id} li`, (lis) => lis.map((li) => [li.getAttribute("data-author-id"), li.getAttribute("data-value")]));
      expect(shown).toEqual(rows.map((r) => [r.author_id, String(r[metric])]));
    }
    const unresolved = (await wh.ask("unresolvedLocations")).slice(0, 15);
    const cells = await page.$$eval("#unresolved tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(cells.map((c) => c[0])).toEqual(unresolved.map((r) => r.location));
    const samples = await wh.ask("samplePosts");
    for (const label of ["positive", "neutral", "negative"]) {
      const ids = await page.$$eval(`#samples ul[data-label="${label}"] li`, (lis) => lis.map((li) => li.getAttribute("data-id")));
      expect(ids, label).toEqual(samples.filter((p) => p.sentiment_label === label).map((p) => p.id));
    }
  });

  it("shows collection health from the collector's records", async () => {
    const value = (key: string) => page.getAttribute(`#health [data-key="${key}"]`, "data-value");
    expect(Number(await value("postsPerMinute"))).toBe(120);
    expect(Number(await value("reconnects"))).toBe(2);
    expect(Number(await value("spooled"))).toBe(12);
    expect(Number(await value("deadLettered"))).toBe(2);
    expect(await page.textContent('#health [data-key="spend"]')).toContain("$3.20");
    expect(await page.textContent('#health [data-key="spend"]')).toContain("of $16.00 this month, 8,000 posts left");
    const keepAlive = await page.textContent('#health [data-key="lastKeepAliveAt"]');
    expect(keepAlive).toMatch(/\d+ s ago/);
    expect(keepAlive).toContain(keepAliveAt.slice(0, 16).replace("T", " "));
  });

  it("keeps hostile text inert and shows it literally", async () => {
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.$$('img[src="x"]')).toHaveLength(0);
    expect(await page.$$eval("script", (s) => s.map((x) => x.getAttribute("src")))).toEqual(["/vendor/echarts.min.js", "/app.js"]);
    const texts = await page.$$eval("#samples .text", (ps) => ps.map((p) => p.textContent));
    expect(texts).toContain(XSS_TEXT);
    expect(await page.$$eval("#inf-followers .who", (b) => b.map((x) => x.textContent))).toContain(`@${XSS_USERNAME}`);
    expect(await page.$$eval("#samples .meta span", (spans) => spans.map((x) => x.textContent))).toContain(`from ${XSS_LOCATION}`);
    // the hostile hashtag is painted on the canvas as text
    expect((await chartData("chart-hashtags")).categories).toContain("#<img src=x onerror=alert(2)>");
  });

  it("shows an author's posts in view when the author is clicked", async () => {
    const [top] = await wh.ask("influencersByPosts");
    await page.click(`#inf-posts li[data-author-id="${top!.author_id}"] button`);
    await page.waitForSelector("#author-posts li[data-id]");
    const ids = await page.$$eval("#author-posts li", (lis) => lis.map((li) => li.getAttribute("data-id")));
    const expected = await askWhere("latestPosts", `author_id = '${top!.author_id}'`);
    expect(ids).toEqual(expected.map((p) => p.id));
    expect(await page.textContent("#author-title")).toContain(`@${top!.username}`);
  });

  it("changes the figures to the filtered answers when a rule tag and a date range are picked", async () => {
    let n = await renders();
    await page.selectOption("#f-tag", "defi-tokens");
    await waitRender(n);
    const tagOnly = "list_contains(rule_tags, 'defi-tokens')";
    const [t] = await askWhere("overview", tagOnly);
    expect(Number(await headline("posts"))).toBe(t!.posts);
    expect(Number(await headline("negative"))).toBe(t!.negative);

    n = await renders();
    await page.fill("#f-from", "2026-11-18");
    await page.fill("#f-to", "2026-11-18");
    await page.dispatchEvent("#f-to", "change");
    await page.waitForFunction((want) => document.querySelector('#headline [data-key="posts"]')?.getAttribute("data-value") === want,
      String((await askWhere("overview", `${tagOnly} AND dt = DATE '2026-11-18'`))[0]!.posts), { timeout: 15_000 });
    await waitRender(n);
    const where = `${tagOnly} AND dt = DATE '2026-11-18'`;
    const [o] = await askWhere("overview", where);
    expect(Number(await headline("positive"))).toBe(o!.positive);
    // one day: the trend switches to hours
    expect(await page.evaluate(() => (window as any).__dashboard.granularity)).toBe("hour");
    const hourly = await askWhere("sentimentHourly", where);
    const chart = await chartData("chart-sentiment-counts");
    expect(chart.series.find((s) => s.name === "negative")!.data).toEqual(hourly.map((r) => r.negative));
    const countries = (await askWhere("countries", where)).slice(0, 20);
    expect((await chartData("chart-countries")).series[0]!.data).toEqual(countries.map((r: Row) => r.posts));
    expect(new URL(page.url()).searchParams.get("tag")).toBe("defi-tokens");

    n = await renders();
    await page.click("#f-reset");
    await waitRender(n);
    expect(Number(await headline("posts"))).toBe(await wh.count());
  });

  it("updates while open, without a reload, when rows arrive", async () => {
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const before = await wh.count();
    await wh.upsert(syntheticRows(40, { seed: 99, idOffset: 50_000_000n, collectedAt: new Date("2026-11-21T00:00:00Z") }));
    await page.waitForFunction((want) => document.querySelector('#headline [data-key="posts"]')?.getAttribute("data-value") === want, String(before + 40), { timeout: 15_000 });
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await page.getAttribute("#live", "data-state")).toBe("live");
  });

  it("loads nothing from anywhere but the dashboard and logs no errors", async () => {
    const origin = new URL(dash.url).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:"))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("writes a full-page screenshot to test-artifacts/dashboard.png", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png"), fullPage: true });
    expect(existsSync(path.join(ARTIFACTS, "dashboard.png"))).toBe(true);
  });
}, 60_000);
