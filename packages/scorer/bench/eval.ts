/**
 * `npm run eval`: our scorer vs the npm peers on the labeled dev sets in <repo>/../shared/data,
 * and the location fixture; prints the tables and writes BENCHMARKS.md section "scorer-accuracy".
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { machineLine, writeBenchmarkSection } from "../../../bench/benchmarks-file.ts";
import { SCORER_VERSION, normaliseLocation, scoreText } from "../src/index.ts";
import { LOCATION_FIXTURE } from "../test/location-fixture.ts";
import { classMetrics, type Label, type Metrics } from "./metrics.ts";
import { PEERS, type Scorer } from "./peers.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dataDir = path.resolve(repo, "../shared/data/sentiment");

const pct = (x: number) => (Number.isNaN(x) ? "–" : (100 * x).toFixed(1));

function locationSection(): string {
  let answered = 0, right = 0, places = 0, placesResolved = 0, nonPlaces = 0, nonPlacesUnknown = 0;
  const misses: string[] = [];
  for (const [raw, want] of LOCATION_FIXTURE) {
    const got = normaliseLocation(raw);
    if (got) answered++;
    if (got && got === want) right++;
    if (want) {
      places++;
      if (got === want) placesResolved++;
    } else {
      nonPlaces++;
      if (!got) nonPlacesUnknown++;
    }
    if (got !== want) misses.push(`${JSON.stringify(raw)} → ${got ?? "null"} (want ${want ?? "null"})`);
  }
  return [
    `Location fixture (${LOCATION_FIXTURE.length} hand-written strings, packages/scorer/test/location-fixture.ts):`,
    "",
    "| precision (answered countries right) | recall (strings naming one country resolved) | non-places/ambiguous answered unknown |",
    "|---|---|---|",
    `| ${pct(right / answered)} % (${right}/${answered}) | ${pct(placesResolved / places)} % (${placesResolved}/${places}) | ${pct(nonPlacesUnknown / nonPlaces)} % (${nonPlacesUnknown}/${nonPlaces}) |`,
    "",
    misses.length ? `Misses: ${misses.join("; ")}` : "No misses.",
  ].join("\n");
}

function main(): void {
  const loc = locationSection();
  if (!existsSync(dataDir)) {
    console.log(`scorer eval: labeled data not found at ${dataDir} (expected <repo>/../shared/data/sentiment); skipping the sentiment table.\n`);
    console.log(loc);
    return;
  }
  const files = readdirSync(dataDir).filter((f) => f.endsWith("-dev.jsonl")).sort();
  const scorers: Record<string, Scorer> = { [`ours (${SCORER_VERSION})`]: scoreText, ...PEERS };
  const rows: string[] = [];
  for (const f of files) {
    const items = readFileSync(path.join(dataDir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { text: string; label: Label });
    const gold = items.map((x) => x.label);
    const classes = [...new Set(gold)].sort().join("/");
    for (const [name, fn] of Object.entries(scorers)) {
      const out = items.map((x) => fn(x.text));
      const m: Metrics = classMetrics(gold, out.map((o) => o.label), out.map((o) => o.score));
      rows.push(`| ${f.replace("-dev.jsonl", "")} (${classes}) | ${m.n} | ${name} | ${pct(m.macroRecall)} | ${pct(m.macroF1)} | ${pct(m.accuracy)} | ${m.auc.toFixed(3)} |`);
    }
  }
  const table = [
    "| data set (gold classes) | n | scorer | macro-recall % | macro-F1 % | accuracy % | ROC-AUC (pos vs neg, raw score) |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  const md = [
    machineLine(),
    "",
    "Dev splits in ../shared/data/sentiment (real labeled posts; not used to build any lexicon). Each scorer's own labels; macro over the gold classes present, so on 2-class sets a neutral prediction is a miss. Peers: vader compound ±0.05, sentiment and wink by sign.",
    "",
    table,
    "",
    loc,
  ].join("\n");
  console.log(md);
  // --no-write: print only (for trying changes without touching BENCHMARKS.md)
  if (!process.argv.includes("--no-write")) writeBenchmarkSection("scorer-accuracy", md);
}

main();
