/**
 * `npm run bench`: runs every benchmark one after another (never in parallel: they share two
 * cores), each writing its own section of BENCHMARKS.md. `npm run bench -- <name…>` runs some.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const BENCHES: Record<string, string[]> = {
  "scorer-accuracy": ["packages/scorer/bench/eval.ts"],
  "scorer-throughput": ["packages/scorer/bench/throughput.ts"],
  "scorer-cold-start": ["packages/scorer/bench/cold-start.ts"],
  "collector-throughput": ["packages/collector/bench/throughput.ts"],
  "local-pipeline": ["packages/local/bench/pipeline.ts", "--count", "100000"],
  "end-to-end": ["bench/end-to-end.ts"],
  "query-scale": ["bench/query-scale.ts"],
  "dashboard-first-render": ["packages/dashboard/bench/first-render.ts"],
  soak: ["bench/soak.ts", "--seconds", "300"],
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const [name, [script, ...args]] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  if (!existsSync(path.join(root, script!))) {
    console.log(`--- ${name}: ${script} not present, skipped`);
    continue;
  }
  console.log(`--- ${name}: ${script} ${args.join(" ")}`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, ["--import", "tsx", script!, ...args], { cwd: root, stdio: "inherit" });
  console.log(`--- ${name}: ${res.status === 0 ? "ok" : `FAILED (exit ${res.status})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
