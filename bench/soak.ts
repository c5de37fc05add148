/**
 * The soak (packages/local/test/soak) as a benchmark: X server → collector → Firehose-protocol
 * server with injected faults → processor → lake, for `--seconds` (default 300) at `--rate`
 * posts/s (default 1000), with `--record-failure-rate` per-record failures (default 0.1).
 * Writes the summary into BENCHMARKS.md, section "soak".
 *
 * Run: npx tsx bench/soak.ts --seconds 300
 */
import { parseArgs } from "node:util";
import { formatSoakSummary, runSoak } from "../packages/local/test/soak/run-soak.ts";
import { machineLine, writeBenchmarkSection } from "./benchmarks-file.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "300" },
    rate: { type: "string", default: "1000" },
    "record-failure-rate": { type: "string", default: "0.1" },
    // print only: try other settings without replacing the recorded run
    "no-write": { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const recordFailureRate = Number(values["record-failure-rate"]);
for (const [name, v] of [["--seconds", seconds], ["--rate", rate], ["--record-failure-rate", recordFailureRate]] as const) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number >= 0, got ${JSON.stringify(v)}`);
}

const started = Date.now();
const result = await runSoak({ seconds, rate, recordFailureRate, log: (line) => process.stderr.write(`[soak] ${line}\n`) });
const summary = formatSoakSummary(result);
process.stdout.write(summary);
const pass =
  result.table.missing === 0 && result.table.rows === result.table.distinct && result.table.rows === result.created && result.processor.processingFailed === 0;
if (!values["no-write"]) writeBenchmarkSection(
  "soak",
  `## Soak: whole pipeline under faults (soak)

${machineLine()}

\`npx tsx bench/soak.ts --seconds ${seconds} --rate ${rate} --record-failure-rate ${recordFailureRate}\` (wall ${Math.round((Date.now() - started) / 1000)} s). X test server creating ${rate} posts/s for ${seconds} s (shared seeded generator, every post also on the recent-search timeline), collector (\`runCollector\`, live stream + gap fill, real Firehose SDK client) → Firehose-protocol test server (${(recordFailureRate * 100).toFixed(0)} % per-record failures, 10 ms latency, and the fault cycle below) → processor child (LocalDeliveryStream: scorer transformation → DuckDB upsert). Other engineers' jobs shared the 2 cores. What is injected and what passes: docs/soak.md. Result: **${pass ? "PASS (zero lost, zero duplicates in the table)" : "FAIL"}**.

${summary}`,
);
process.exit(pass ? 0 : 1);
