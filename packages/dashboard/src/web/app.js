// @ts-check
// The dashboard page: fetches the answers for the current filter, draws them, and redraws when
// the server says the table changed (Server-Sent Events). No framework, no HTML from data.
import { el, replace, fmt, pct, compact, when, ago, kpi, empty } from "./dom.js";
import { LABELS, countriesOption, sentimentCountsOption, sentimentSharesOption, tagsOption } from "./charts.js";

/** @type {any} */
const echarts = /** @type {any} */ (window).echarts;
/** Exposed for tests, benchmarks and the curious: render count, timing, last answers. */
const status = { renders: 0, firstRenderMs: /** @type {number | null} */ (null), chartsDrawnMs: /** @type {number | null} */ (null), granularity: "", answers: /** @type {any} */ (null), health: /** @type {any} */ (null), errors: 0 };
/** @type {any} */ (window).__dashboard = status;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const form = { from: /** @type {HTMLInputElement} */ ($("f-from")), to: /** @type {HTMLInputElement} */ ($("f-to")), tag: /** @type {HTMLSelectElement} */ ($("f-tag")), grain: /** @type {HTMLSelectElement} */ ($("f-grain")) };

// ---- filter state <-> URL ----------------------------------------------------------------
function readUrl() {
  const p = new URLSearchParams(location.search);
  form.from.value = p.get("from") ?? "";
  form.to.value = p.get("to") ?? "";
  form.grain.value = p.get("grain") ?? "auto";
  const tag = p.get("tag") ?? "";
  if (tag) form.tag.append(el("option", { text: tag, attrs: { value: tag } }));
  form.tag.value = tag;
  if (p.has("token")) p.delete("token"); // the server has set a cookie; keep the token out of history
  history.replaceState(null, "", p.toString() ? `?${p}` : location.pathname);
}
function filterParams() {
  const p = new URLSearchParams();
  if (form.from.value) p.set("from", form.from.value);
  if (form.to.value) p.set("to", form.to.value);
  if (form.tag.value) p.set("tag", form.tag.value);
  return p;
}
function writeUrl() {
  const p = filterParams();
  if (form.grain.value !== "auto") p.set("grain", form.grain.value);
  history.replaceState(null, "", p.toString() ? `?${p}` : location.pathname);
}

/** @param {string} path @param {URLSearchParams} params */
async function getJson(path, params) {
  const res = await fetch(`${path}?${params}`, { credentials: "same-origin" });
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

// ---- charts ----------------------------------------------------------------------------------
/** @type {Map<string, any>} */
const charts = new Map();
/** Sets a chart's option and resolves once it is drawn. @param {string} id @param {any} option */
function draw(id, option) {
  let chart = charts.get(id);
  if (!chart) {
    chart = echarts.init($(id), null, { renderer: "canvas" });
    charts.set(id, chart);
  }
  return new Promise((resolve) => {
    const done = () => { chart.off("finished", done); clearTimeout(timer); resolve(undefined); };
    const timer = setTimeout(done, 3000);
    chart.on("finished", done);
    chart.setOption(option, { notMerge: true });
  });
}
addEventListener("resize", () => charts.forEach((c) => c.resize()));

// ---- rendering -------------------------------------------------------------------------------
/** @param {any} o overview row */
function renderHeadline(o) {
  const posts = Number(o.posts ?? 0);
  const share = (/** @type {unknown} */ n) => (posts ? Number(n) / posts : NaN);
  const days = o.first_post_at ? (Date.parse(o.last_post_at) - Date.parse(o.first_post_at)) / 86400000 : 0;
  replace($("headline"), [
    kpi("posts", "Posts", fmt(posts), `by ${fmt(o.authors)} authors`, "", posts),
    ...LABELS.map((l) => kpi(l, l, pct(share(o[l])), `${fmt(o[l])} posts`, l, o[l])),
    kpi("avg_score", "Mean score", o.avg_score === null || o.avg_score === undefined ? "–" : Number(o.avg_score).toFixed(3), "from −1 to +1", "", o.avg_score),
    kpi("unknown_location", "Location unknown", pct(share(o.unknown_location)), `${fmt(o.unknown_location)} posts`, "", o.unknown_location),
    kpi("span", "Time span", posts ? `${days < 2 ? `${Math.max(1, Math.round(days * 24))} h` : `${days.toFixed(1)} days`}` : "–", posts ? `${when(o.first_post_at)} → ${when(o.last_post_at)}` : "nothing collected yet"),
  ]);
}

/** @param {any[]} rows @param {string} grain */
function renderTrendHint(rows, grain) {
  const net = (/** @type {any} */ r) => (Number(r.posts) ? ((Number(r.positive) - Number(r.negative)) / Number(r.posts)) * 100 : 0);
  if (rows.length < 2) return ($("trend-hint").textContent = "");
  const a = net(rows[0]), b = net(rows[rows.length - 1]);
  const sign = (/** @type {number} */ x) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)}`;
  $("trend-hint").textContent = `Net sentiment (positive − negative, points of share) went from ${sign(a)} in the first ${grain} to ${sign(b)} in the last: ${b > a + 1 ? "improving" : b < a - 1 ? "worsening" : "about flat"}.`;
}

/** @param {string} id @param {any[]} rows @param {"posts" | "followers" | "engagement"} metric */
function renderLeaders(id, rows, metric) {
  const list = $(id);
  if (!rows.length) return replace(list, [empty("no authors in this view")]);
  replace(list, rows.slice(0, 15).map((r) => {
    const total = Number(r.posts) || 1;
    const mix = el("div", { class: "mix", attrs: { title: `${fmt(r.positive)} positive, ${fmt(r.neutral)} neutral, ${fmt(r.negative)} negative` } },
      [["p", r.positive], ["u", r.neutral], ["n", r.negative]].map(([c, n]) => {
        const s = el("span", { class: String(c) });
        s.style.width = `${(Number(n) / total) * 100}%`;
        return s;
      }));
    const name = r.username ? `@${r.username}` : `user ${r.author_id}`;
    const value = r[metric];
    return el("li", { attrs: { "data-author-id": String(r.author_id), "data-value": String(value ?? "") } }, [
      el("button", { class: "who", text: name, attrs: { type: "button", title: `${name}: ${fmt(r.posts)} posts, ${fmt(r.followers)} followers, engagement ${fmt(r.engagement)}` }, on: { click: () => showAuthor(String(r.author_id), name) } }),
      el("span", { class: "metric", text: metric === "posts" ? fmt(value) : compact(value), attrs: { title: fmt(value) } }),
      mix,
    ]);
  }));
}

/** @param {any} p a post row @param {boolean} [withLabel] */
function postItem(p, withLabel = false) {
  return el("li", { attrs: { "data-id": String(p.id) } }, [
    el("p", { class: "text", text: p.text }),
    el("div", { class: "meta" }, [
      withLabel ? el("span", { class: `label ${p.sentiment_label}`, text: p.sentiment_label }) : null,
      el("span", { text: p.author_username ? `@${p.author_username}` : `user ${p.author_id}` }),
      el("span", { text: when(p.created_at) }),
      el("span", { text: `engagement ${fmt(p.engagement)}` }),
      el("span", { text: `score ${Number(p.sentiment_score).toFixed(2)}` }),
      p.author_location ? el("span", { text: `from ${p.author_location}` }) : null,
    ]),
  ]);
}

/** @param {string} authorId @param {string} name */
async function showAuthor(authorId, name) {
  const params = filterParams();
  params.set("author", authorId);
  const panel = $("author-panel");
  panel.hidden = false;
  panel.dataset.authorId = authorId;
  $("author-title").textContent = `Posts by ${name} in this view`;
  replace($("author-posts"), [empty("loading…")]);
  try {
    const { posts } = await getJson("/api/posts", params);
    $("author-title").textContent = `Posts by ${name} in this view (latest ${posts.length})`;
    replace($("author-posts"), posts.length ? posts.map((/** @type {any} */ p) => postItem(p, true)) : [empty("no posts in this view")]);
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  } catch (e) {
    replace($("author-posts"), [empty(`could not load posts: ${e instanceof Error ? e.message : String(e)}`)]);
  }
}
$("author-close").addEventListener("click", () => { $("author-panel").hidden = true; });

/** Headline, filter menu, trend and the six charts. @param {any} data the /api/answers?part=charts body */
async function renderCharts(data) {
  const a = data.answers;
  const o = a.overview[0] ?? {};
  renderHeadline(o);
  // rule tags for the filter menu (values set as properties, never markup)
  const current = form.tag.value;
  replace(form.tag, [el("option", { text: "all rules", attrs: { value: "" } }), ...data.ruleTags.map((/** @type {any} */ t) => el("option", { text: `${t.tag} (${fmt(t.posts)})`, attrs: { value: String(t.tag) } }))]);
  if (current && ![...form.tag.options].some((op) => op.value === current)) form.tag.append(el("option", { text: current, attrs: { value: current } }));
  form.tag.value = current;

  const spanHours = o.first_post_at ? (Date.parse(o.last_post_at) - Date.parse(o.first_post_at)) / 3600000 : 0;
  const grain = form.grain.value === "hour" || (form.grain.value === "auto" && spanHours <= 72) ? "hour" : "day";
  status.granularity = grain;
  document.querySelectorAll(".grain-word").forEach((n) => (n.textContent = grain));
  const series = grain === "hour" ? a.sentimentHourly : a.sentimentDaily;
  renderTrendHint(series, grain);

  const unknown = a.countries.find((/** @type {any} */ c) => c.country === "unknown");
  $("unknown-hint").textContent = `Author location unknown or not resolvable for ${pct(unknown ? Number(unknown.share) : 0)} of posts.`;
  await Promise.all([
    draw("chart-sentiment-counts", sentimentCountsOption(series, grain)),
    draw("chart-sentiment-shares", sentimentSharesOption(series, grain)),
    draw("chart-countries", countriesOption(a.countries)),
    draw("chart-cashtags", tagsOption(a.topCashtags, "$")),
    draw("chart-hashtags", tagsOption(a.topHashtags, "#")),
    draw("chart-protocols", tagsOption(a.topProtocols, "")),
  ]);
}

/** Influencers, unresolved locations and sample posts. @param {any} data the /api/answers?part=lists body */
function renderLists(data) {
  const a = data.answers;
  renderLeaders("inf-posts", a.influencersByPosts, "posts");
  renderLeaders("inf-followers", a.influencersByFollowers, "followers");
  renderLeaders("inf-engagement", a.influencersByEngagement, "engagement");
  const tbody = /** @type {HTMLElement} */ ($("unresolved").querySelector("tbody"));
  replace(tbody, a.unresolvedLocations.length
    ? a.unresolvedLocations.slice(0, 15).map((/** @type {any} */ r) => el("tr", {}, [el("td", { text: r.location }), el("td", { class: "num", text: fmt(r.posts) })]))
    : [el("tr", {}, [el("td", { text: "none", attrs: { colspan: "2" } })])]);

  for (const label of LABELS) {
    const list = /** @type {HTMLElement} */ (document.querySelector(`#samples ul[data-label="${label}"]`));
    const rows = a.samplePosts.filter((/** @type {any} */ p) => p.sentiment_label === label);
    replace(list, rows.length ? rows.map((/** @type {any} */ p) => postItem(p)) : [empty(`no ${label} posts in this view`)]);
  }
}

/** @param {any} h the /api/health body */
function renderHealth(h) {
  status.health = h;
  if (!h.available) {
    $("health-hint").textContent = "";
    return replace($("health"), [empty("No health records yet: they appear once the collector has run for a minute.")]);
  }
  $("health-hint").textContent = `Latest collector record ${ago(h.at)} (${when(h.at)}).`;
  const spend = kpi("spend", "Spend vs budget", h.spendUsd === null ? "–" : `$${Number(h.spendUsd).toFixed(2)}`, h.budgetUsd === null ? "no budget set" : `of $${Number(h.budgetUsd).toFixed(2)} this month${h.budgetPostsRemaining === null ? "" : `, ${fmt(h.budgetPostsRemaining)} posts left`}`, "", h.spendUsd);
  if (h.spendUsd !== null && h.budgetUsd) {
    const ratio = h.spendUsd / h.budgetUsd;
    const bar = el("span");
    bar.style.width = `${Math.min(100, ratio * 100)}%`;
    spend.append(el("div", { class: `meter${ratio >= 1 ? " over" : ""}` }, [bar]));
  }
  replace($("health"), [
    kpi("postsPerMinute", "Posts / min", h.postsPerMinute === null ? "–" : String(h.postsPerMinute), h.rateBasis === "uptime" ? "delivered, since start" : "delivered, last 10 min", "", h.postsPerMinute),
    kpi("lastKeepAliveAt", "Last keep-alive", ago(h.lastKeepAliveAt), h.lastKeepAliveAt ? when(h.lastKeepAliveAt) : "stream not connected"),
    kpi("reconnects", "Reconnects", fmt(h.reconnects), `${fmt(h.gapsFilled)} gaps filled`, "", h.reconnects),
    kpi("spooled", "Spool size", fmt(h.spooled), `${fmt(h.resent)} resent`, "", h.spooled),
    kpi("deadLettered", "Dead-lettered", fmt(h.deadLettered), `of ${fmt(h.received)} received`, h.deadLettered ? "negative" : "", h.deadLettered),
    spend,
  ]);
}

// ---- loading, coalesced: at most one load in flight and one queued ----------------------------
let loading = /** @type {Promise<void> | null} */ (null);
let again = false;
async function loadOnce() {
  const started = performance.now();
  const params = filterParams();
  const part = (/** @type {string} */ name) => { const p = new URLSearchParams(params); p.set("part", name); return p; };
  try {
    // Chart answers are asked first (the server answers in order); lists and health follow.
    const chartsP = getJson("/api/answers", part("charts"));
    const listsP = getJson("/api/answers", part("lists"));
    const healthP = getJson("/api/health", new URLSearchParams());
    listsP.catch(() => {});
    healthP.catch(() => {});
    const charts = await chartsP;
    performance.mark("dashboard:answers");
    await renderCharts(charts);
    if (status.chartsDrawnMs === null) {
      performance.mark("dashboard:charts");
      status.chartsDrawnMs = performance.now();
    }
    const lists = await listsP;
    renderLists(lists);
    renderHealth(await healthP);
    status.answers = { ...charts, answers: { ...charts.answers, ...lists.answers }, queryMs: charts.queryMs + lists.queryMs };
    $("error").hidden = true;
    status.renders += 1;
    if (status.firstRenderMs === null) {
      performance.mark("dashboard:drawn");
      status.firstRenderMs = performance.now();
    }
    document.body.dataset.renders = String(status.renders);
    const q = status.answers.queryMs;
    $("timing").textContent = `Answers ${q ? `computed in ${q} ms` : "from cache"}, drawn in ${Math.round(performance.now() - started)} ms.`;
  } catch (e) {
    status.errors += 1;
    $("error").hidden = false;
    $("error").textContent = `Could not load the answers: ${e instanceof Error ? e.message : String(e)}`;
  }
}
function load() {
  if (loading) { again = true; return loading; }
  loading = (async () => {
    do { again = false; await loadOnce(); } while (again);
    loading = null;
  })();
  return loading;
}

for (const input of [form.from, form.to, form.tag, form.grain]) input.addEventListener("change", () => { writeUrl(); $("author-panel").hidden = true; void load(); });
$("f-reset").addEventListener("click", () => { form.from.value = ""; form.to.value = ""; form.tag.value = ""; form.grain.value = "auto"; writeUrl(); void load(); });

// ---- live updates ----------------------------------------------------------------------------
function connect() {
  const live = $("live");
  const events = new EventSource("/api/events");
  const show = (/** @type {any} */ sig) => {
    live.dataset.state = "live";
    $("live-text").textContent = sig ? `live · ${fmt(sig.rows)} rows · last collected ${ago(sig.lastCollectedAt)}` : "live";
  };
  let wasOffline = false;
  events.addEventListener("hello", (e) => {
    show(JSON.parse(/** @type {MessageEvent} */ (e).data));
    if (wasOffline) void load(); // the server restarted or the network came back: rows may have changed meanwhile
    wasOffline = false;
  });
  events.addEventListener("changed", (e) => {
    show(JSON.parse(/** @type {MessageEvent} */ (e).data));
    void load();
  });
  events.addEventListener("error", () => { wasOffline = true; live.dataset.state = "offline"; $("live-text").textContent = "reconnecting…"; });
}
setInterval(() => getJson("/api/health", new URLSearchParams()).then(renderHealth).catch(() => {}), 15000);

performance.mark("dashboard:script");
readUrl();
connect();
void load();
