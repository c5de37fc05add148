/**
 * End-to-end: `npm start` on N generated posts (default 1M), as a user runs it, against the floor:
 * DuckDB alone loading the same posts from the gzipped NDJSON the run wrote under raw/.
 * Usage: npx tsx bench/end-to-end.ts [--count 1000000] [--runs 3] [--no-write]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { LAKE_GLOBS } from "@defi-sentiment/shared";
import { machineLine, writeBenchmarkSection } from "./benchmarks-file.ts";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { count: { type: "string", default: "1000000" }, runs: { type: "string", default: "3" }, "no-write": { type: "boolean", default: false } },
});
const count = Number(values.count);
const runs = Number(values.runs);
if (!Number.isInteger(count) || count < 1) throw new RangeError(`--count must be a positive integer, got ${values.count}`);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be a positive integer, got ${values.runs}`);
let lake = "";

/** Node's arguments in the root `start` script ("node <args>"), so the run is exactly `npm start`'s. */
function startArgs(): string[] {
  const script: string = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
  const [cmd, ...args] = script.split(/\s+/);
  if (cmd !== "node") throw new Error(`expected the start script to run node, got: ${script}`);
  return args;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs `npm start`'s entry and samples the child's peak RSS from /proc. */
function runStart(): Promise<{ ms: number; peakRss: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...startArgs(), "--count", String(count), "--lake", lake, "--exit", "--no-dashboard"], {
      cwd: root,
      env: { ...process.env, X_BEARER_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let peakRss = 0;
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => process.stderr.write(d));
    const timer = setInterval(async () => {
      try {
        const { readFile } = await import("node:fs/promises");
        const status = await readFile(`/proc/${child.pid}/status`, "utf8");
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakRss = Math.max(peakRss, kb * 1024);
      } catch {
        /* process gone */
      }
    }, 200);
    child.on("exit", (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ ms: performance.now() - t0, peakRss, out });
      else reject(new Error(`npm start exited ${code}`));
    });
  });
}

/** DuckDB alone loading the raw posts into a fresh in-memory table: milliseconds and rows. */
async function floorOnce(): Promise<{ ms: number; loaded: number }> {
  const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false", threads: "2" });
  const conn = await instance.connect();
  try {
    const f0 = performance.now();
    await conn.run(`CREATE TABLE posts AS SELECT * FROM read_json('${path.join(lake, LAKE_GLOBS.raw)}', format = 'newline_delimited', hive_partitioning = true)`);
    const ms = performance.now() - f0;
    return { ms, loaded: Number((await conn.runAndReadAll("SELECT count(*) AS n FROM posts")).getRowObjectsJson()[0]!.n) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

// Several runs, each on a fresh lake after the previous one's files are written back: on a shared
// machine one run varies by several seconds, and one floor load by a second.
const results: { ms: number; peakRss: number; floorMs: number; floors: number[] }[] = [];
try {
  for (let r = 0; r < runs; r++) {
    spawnSync("sync");
    lake = mkdtempSync(path.join(os.tmpdir(), "bench-e2e-"));
    const run = await runStart();
    const floors: number[] = [];
    for (let i = 0; i < 3; i++) {
      const f = await floorOnce();
      if (f.loaded !== count) throw new Error(`raw/ holds ${f.loaded} posts, expected ${count}`);
      floors.push(f.ms);
    }
    results.push({ ms: run.ms, peakRss: run.peakRss, floorMs: median(floors), floors });
    console.error(`run ${r + 1}/${runs}: npm start ${secs(run.ms)}, floor ${secs(median(floors))} (${floors.map(secs).join(", ")})`);
    rmSync(lake, { recursive: true, force: true });
  }
  const startMs = median(results.map((r) => r.ms));
  const floorMs = median(results.flatMap((r) => r.floors));
  const rows = results
    .map((r, i) => `| run ${i + 1} | ${secs(r.ms)} | ${Math.round(count / (r.ms / 1000)).toLocaleString("en-US")} | ${Math.round(r.peakRss / 2 ** 20)} MiB | ${secs(r.floorMs)} | ${(r.ms / r.floorMs).toFixed(1)}× |`)
    .join("\n");
  const md = `## End to end: \`npm start\` vs the DuckDB floor

${machineLine()}

\`npm start -- --count ${count} --exit --no-dashboard\` (generator → collector with dedupe → local delivery stream with its fsync'd journal → scorer transformation in a worker → DuckDB upsert → report), timed as a whole process; then DuckDB alone loading the same ${count.toLocaleString("en-US")} posts from the gzipped NDJSON under \`raw/\` into a table on 2 threads, three times (the floor). ${runs} runs, each on a fresh lake. \`npx tsx bench/end-to-end.ts --count ${count} --runs ${runs}\`.

| ${count.toLocaleString("en-US")} posts | \`npm start\` | posts/s | peak RSS | DuckDB floor (median of 3) | ratio to floor |
|---|---:|---:|---:|---:|---:|
${rows}
| **median** | **${secs(startMs)}** | ${Math.round(count / (startMs / 1000)).toLocaleString("en-US")} | | **${secs(floorMs)}** (all ${results.length * 3} loads) | **${(startMs / floorMs).toFixed(1)}×** |

Targets: 1M posts ≤ 2 minutes on 2 cores, and within 10× of the floor.
`;
  console.log(md);
  if (!values["no-write"]) writeBenchmarkSection("end-to-end", md);
} finally {
  if (lake) rmSync(lake, { recursive: true, force: true });
}
