/**
 * Lambda bundle size and cold start: builds dist/lambda/index.mjs (the package's `build` script),
 * then, in fresh Node processes, times the import and the first invocation on a one-record event.
 * Writes BENCHMARKS.md section "scorer-cold-start".
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { machineLine, writeBenchmarkSection } from "../../../bench/benchmarks-file.ts";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(pkg, "dist/lambda/index.mjs");
const RUNS = 5;

execFileSync("npm", ["run", "build"], { cwd: pkg, stdio: "ignore" });
const bytes = statSync(bundle).size;
const gzipped = gzipSync(readFileSync(bundle)).length;

const probe = `
const t0 = performance.now();
const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const t1 = performance.now();
const post = { id: "1", text: "Aave looks bullish 🚀", created_at: "2026-11-03T10:00:00Z", lang: "en", conversation_id: null, edit_history_tweet_ids: ["1"], referenced_posts: [], author_id: "2", author_username: "a", author_name: "A", author_location: "Berlin", author_verified: null, author_followers_count: 1, author_following_count: 1, author_tweet_count: 1, author_listed_count: 1, like_count: 0, retweet_count: 0, reply_count: 0, quote_count: 0, bookmark_count: null, impression_count: null, hashtags: [], cashtags: [], mentions: [], urls: [], rule_ids: [], rule_tags: [], source: "stream", collected_at: "2026-11-03T10:00:01Z" };
const res = await handler({ invocationId: "i", deliveryStreamArn: "a", region: "r", records: [{ recordId: "r1", approximateArrivalTimestamp: 0, data: Buffer.from(JSON.stringify(post) + "\\n").toString("base64") }] });
const t2 = performance.now();
if (res.records[0].result !== "Ok") throw new Error("first invocation did not score the record");
process.stderr.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, rss: process.memoryUsage().rss }) + "\\n");
`;
const runs = Array.from({ length: RUNS }, () => {
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`cold-start probe failed: ${res.stderr}`);
  return JSON.parse(res.stderr.trim().split("\n").at(-1)!) as { importMs: number; firstMs: number; rss: number };
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const md = [
  machineLine(),
  "",
  `Bundle \`packages/scorer/dist/lambda/index.mjs\`: ${(bytes / 2 ** 20).toFixed(2)} MiB (${(gzipped / 2 ** 10).toFixed(0)} KiB gzipped; the city gazetteer JSON is most of it). ${RUNS} fresh Node processes, load average ${os.loadavg()[0].toFixed(1)} at the end:`,
  "",
  "| import (median / max) | first invocation, 1 record (median / max) | RSS after |",
  "|---|---|---|",
  `| ${median(runs.map((r) => r.importMs)).toFixed(0)} ms / ${Math.max(...runs.map((r) => r.importMs)).toFixed(0)} ms | ${median(runs.map((r) => r.firstMs)).toFixed(0)} ms / ${Math.max(...runs.map((r) => r.firstMs)).toFixed(0)} ms | ${Math.round(median(runs.map((r) => r.rss)) / 2 ** 20)} MB |`,
].join("\n");
console.log(md);
writeBenchmarkSection("scorer-cold-start", md);
