/**
 * Posts/s of our full scorePost (sentiment + entities + country) vs the three npm peers
 * (sentiment only) on the same texts, one run; plus peak RSS. Writes "scorer-throughput".
 * Texts: the labeled dev texts when <repo>/../shared/data is present, else the synthetic generator.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateStreamLines, postFromStreamLine, type Post } from "@defi-sentiment/shared";
import { machineLine, writeBenchmarkSection } from "../../../bench/benchmarks-file.ts";
import { SCORER_VERSION, scorePost, scoreText } from "../src/index.ts";
import { PEERS } from "./peers.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dataDir = path.resolve(repo, "../shared/data/sentiment");
const ROUNDS = 5;

function corpus(): { source: string; posts: Post[] } {
  const synthetic = [...generateStreamLines(10_000, { seed: 7 })].map((l) => postFromStreamLine(l, "generator", new Date("2026-11-04T00:00:00Z")));
  if (!existsSync(dataDir)) return { source: "10,000 synthetic posts (shared generator)", posts: synthetic };
  const texts = readdirSync(dataDir)
    .filter((f) => f.endsWith("-dev.jsonl"))
    .flatMap((f) => readFileSync(path.join(dataDir, f), "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text));
  // real texts on synthetic posts, so locations and entities are exercised too
  const posts = texts.map((text, i) => ({ ...synthetic[i % synthetic.length]!, id: String(1e15 + i), text, cashtags: [], hashtags: [], mentions: [] }));
  return { source: `${posts.length.toLocaleString("en")} real dev texts (../shared/data/sentiment) on synthetic authors/locations`, posts };
}

type Candidate = { name: string; fn: (p: Post) => unknown };

/** Rounds interleave the scorers, so a busy machine slows them all alike; best round counts. */
function measureAll(candidates: Candidate[], posts: Post[]): { name: string; perSecond: number }[] {
  for (const c of candidates) for (let i = 0; i < Math.min(500, posts.length); i++) c.fn(posts[i]!); // warm-up
  const best = new Map<string, number>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of candidates) {
      const t0 = process.hrtime.bigint();
      for (const p of posts) c.fn(p);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      best.set(c.name, Math.max(best.get(c.name) ?? 0, posts.length / seconds));
    }
  }
  return candidates.map((c) => ({ name: c.name, perSecond: best.get(c.name)! }));
}

const { source, posts } = corpus();
let peakRss = process.memoryUsage().rss;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const scoredAt = new Date();
const results = measureAll(
  [
    { name: `ours ${SCORER_VERSION}: scorePost (sentiment + entities + country)`, fn: (p) => scorePost(p, scoredAt) },
    { name: `ours ${SCORER_VERSION}: scoreText only`, fn: (p) => scoreText(p.text) },
    ...Object.entries(PEERS).map(([name, fn]) => ({ name: `${name} (sentiment only)`, fn: (p: Post) => fn(p.text) })),
  ],
  posts,
);
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const md = [
  machineLine(),
  "",
  `Corpus: ${source}. Best of ${ROUNDS} interleaved passes after a warm-up, one process, single thread; load average at start ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (other work shares the machine, so compare rows, not absolute numbers). Peak RSS of the whole run: ${Math.round(peakRss / 2 ** 20)} MB.`,
  "",
  "| scorer | posts/s |",
  "|---|---|",
  ...results.map((r) => `| ${r.name} | ${Math.round(r.perSecond).toLocaleString("en")} |`),
].join("\n");
console.log(md);
writeBenchmarkSection("scorer-throughput", md);
