/**
 * End-to-end: `npm start` on N generated posts (default 1M), as a user runs it, against the floor:
 * DuckDB alone loading the same posts from the gzipped NDJSON the run wrote under raw/.
 * Usage: npx tsx bench/end-to-end.ts [--count 1000000]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { LAKE_GLOBS } from "@defi-sentiment/shared";
import { machineLine, writeBenchmarkSection } from "./benchmarks-file.ts";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { count: { type: "string", default: "1000000" }, "no-write": { type: "boolean", default: false } } });
const count = Number(values.count);
const lake = mkdtempSync(path.join(os.tmpdir(), "bench-e2e-"));

/** Node's arguments in the root `start` script ("node <args>"), so the run is exactly `npm start`'s. */
function startArgs(): string[] {
  const script: string = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
  const [cmd, ...args] = script.split(/\s+/);
  if (cmd !== "node") throw new Error(`expected the start script to run node, got: ${script}`);
  return args;
}

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

try {
  const run = await runStart();
  // One load varies by a second or more (the page cache is still writing the run's files back), so the floor is the median of three.
  const floors: { ms: number; loaded: number }[] = [];
  for (let i = 0; i < 3; i++) floors.push(await floorOnce());
  const floorMs = floors.map((f) => f.ms).sort((a, b) => a - b)[1]!;
  const loaded = floors[0]!.loaded;
  const floorRange = `${(Math.min(...floors.map((f) => f.ms)) / 1000).toFixed(1)}–${(Math.max(...floors.map((f) => f.ms)) / 1000).toFixed(1)} s`;
  const ratio = run.ms / floorMs;
  const md = `## End to end: \`npm start\` vs the DuckDB floor

${machineLine()}

\`npm start -- --count ${count} --exit --no-dashboard\` (generator → collector with dedupe → local delivery stream with its fsync'd journal → scorer transformation in a worker → DuckDB upsert → report), timed as a whole process; then DuckDB alone loading the same ${loaded.toLocaleString("en-US")} posts from the gzipped NDJSON under \`raw/\` into a table, on 2 threads (the floor: median of 3 loads, ${floorRange}). \`npx tsx bench/end-to-end.ts --count ${count}\`.

| posts | \`npm start\` | posts/s | peak RSS | DuckDB floor | ratio to floor |
|---:|---:|---:|---:|---:|---:|
| ${count.toLocaleString("en-US")} | ${(run.ms / 1000).toFixed(1)} s | ${Math.round(count / (run.ms / 1000)).toLocaleString("en-US")} | ${Math.round(run.peakRss / 2 ** 20)} MiB | ${(floorMs / 1000).toFixed(1)} s | ${ratio.toFixed(1)}× |

Targets: 1M posts ≤ 2 minutes on 2 cores, and within 10× of the floor.
`;
  console.log(md);
  if (loaded !== count) throw new Error(`raw/ holds ${loaded} posts, expected ${count}`);
  if (!values["no-write"]) writeBenchmarkSection("end-to-end", md);
} finally {
  rmSync(lake, { recursive: true, force: true });
}
