// @ts-check
// ECharts options built from the API's answers. Canvas renderer and rich-text tooltips: labels
// and tooltips are painted, never parsed as HTML, so tags and names from posts stay inert.

export const COLORS = { positive: "#2e9d6a", neutral: "#9aa5b1", negative: "#d9534f" };
export const LABELS = /** @type {const} */ (["positive", "neutral", "negative"]);

const base = () => ({
  animation: false,
  textStyle: { fontFamily: "system-ui, sans-serif" },
  tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
  grid: { left: 8, right: 28, top: 34, bottom: 8, containLabel: true },
  legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { color: "#34405a" } },
});

/** @param {any[]} rows @param {"hour" | "day"} grain */
export function timeCategories(rows, grain) {
  return rows.map((r) => (grain === "hour" ? String(r.hour).slice(0, 13).replace("T", " ") + ":00" : String(r.day)));
}

/** Stacked counts per period. @param {any[]} rows @param {"hour" | "day"} grain */
export function sentimentCountsOption(rows, grain) {
  return {
    ...base(),
    xAxis: { type: "category", data: timeCategories(rows, grain), axisLabel: { color: "#66718a" } },
    yAxis: { type: "value", axisLabel: { color: "#66718a" }, splitLine: { lineStyle: { color: "#eef1f6" } } },
    dataZoom: rows.length > 48 ? [{ type: "inside" }] : [],
    series: LABELS.map((l) => ({
      name: l,
      type: "bar",
      stack: "posts",
      barMaxWidth: 38,
      itemStyle: { color: COLORS[l] },
      emphasis: { focus: "series" },
      data: rows.map((r) => Number(r[l])),
    })),
  };
}

/** Stacked shares (each period sums to 100 %). @param {any[]} rows @param {"hour" | "day"} grain */
export function sentimentSharesOption(rows, grain) {
  const share = (/** @type {any} */ r, /** @type {string} */ l) => (Number(r.posts) ? Math.round((Number(r[l]) / Number(r.posts)) * 10000) / 100 : 0);
  return {
    ...base(),
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: (/** @type {number} */ v) => `${v} %` },
    xAxis: { type: "category", boundaryGap: false, data: timeCategories(rows, grain), axisLabel: { color: "#66718a" } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value} %", color: "#66718a" }, splitLine: { lineStyle: { color: "#eef1f6" } } },
    series: LABELS.map((l) => ({
      name: l,
      type: "line",
      stack: "share",
      areaStyle: { opacity: 0.85 },
      symbol: "none",
      lineStyle: { width: 1 },
      itemStyle: { color: COLORS[l] },
      data: rows.map((r) => share(r, l)),
    })),
  };
}

/** Ranked horizontal bars, largest on top. @param {any[]} rows */
export function countriesOption(rows) {
  const top = rows.slice(0, 20);
  return {
    ...base(),
    legend: { show: false },
    grid: { left: 8, right: 56, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: "value", axisLabel: { color: "#66718a" }, splitLine: { lineStyle: { color: "#eef1f6" } } },
    yAxis: { type: "category", inverse: true, data: top.map((r) => String(r.country)), axisLabel: { color: "#34405a" } },
    series: [{
      name: "posts",
      type: "bar",
      barMaxWidth: 22,
      data: top.map((r) => ({ value: Number(r.posts), itemStyle: { color: r.country === "unknown" ? "#c3cad6" : "#3563e9" } })),
      label: { show: true, position: "right", color: "#66718a", formatter: (/** @type {any} */ p) => `${(Number(top[p.dataIndex].share) * 100).toFixed(1)} %` },
    }],
  };
}

/** Tags with their sentiment mix, most mentioned on top. @param {any[]} rows @param {string} prefix */
export function tagsOption(rows, prefix) {
  return {
    ...base(),
    grid: { left: 8, right: 16, top: 30, bottom: 4, containLabel: true },
    xAxis: { type: "value", axisLabel: { color: "#66718a" }, splitLine: { lineStyle: { color: "#eef1f6" } } },
    yAxis: { type: "category", inverse: true, data: rows.map((r) => `${prefix}${r.tag}`), axisLabel: { color: "#34405a", width: 110, overflow: "truncate" } },
    series: LABELS.map((l) => ({
      name: l,
      type: "bar",
      stack: "mentions",
      barMaxWidth: 18,
      itemStyle: { color: COLORS[l] },
      data: rows.map((r) => Number(r[l])),
    })),
  };
}
