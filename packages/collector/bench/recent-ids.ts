/**
 * CPU and heap of the collector's dedupe window (`RecentIds`) as delivery drives it: `has` then
 * `add` for every id, in the generator's 19-digit form, parsed fresh per batch of 10k posts (flat
 * strings as JSON.parse makes them, kept alive only by the window; only the loop is timed), through the default 200k window. Compares the
 * typed-array table with the Set + ring it replaced (test/set-recent-ids.ts). Also times `toArray` (the
 * compaction of recent-ids.txt) and one forced full GC with the window alive (what every major GC
 * pays to mark it). Memory held is measured after a full GC: JS heap (marked by every major GC) and
 * typed-array backing stores (off-heap, never scanned). Prints medians of
 * `--reps`, old and new alternating in one process.
 *
 *   node --expose-gc --import tsx packages/collector/bench/recent-ids.ts [--ids 1000000] [--capacity 200000] [--reps 5]
 */
import { parseArgs } from "node:util";
import { RecentIds } from "../src/delivery/core/recent-ids.ts";
import { SetRecentIds } from "../test/set-recent-ids.ts";

type Window = Pick<RecentIds, "has" | "add" | "size" | "toArray">;

const { values } = parseArgs({
  options: {
    ids: { type: "string", default: "1000000" },
    capacity: { type: "string", default: "200000" },
    reps: { type: "string", default: "5" },
  },
});
const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, got ${v}`);
  return n;
};
const count = positive("ids", values.ids);
const capacity = positive("capacity", values.capacity);
const reps = positive("reps", values.reps);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn("run with node --expose-gc for the heap numbers");

const cpuMicros = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return u.user + u.system;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The synthetic generator's post id for n (packages/shared/src/synthetic/generator.ts). */
const idOf = (n: number): string => `1${String(n).padStart(18, "0")}`;
/** Posts per accept() call; only the has()+add() loop over each batch is timed. */
const BATCH = 10_000;

interface Rep {
  cpu: number;
  toArrayCpu: number;
  heap: number;
  buffers: number;
  /** CPU of one forced full GC with the window alive (and little else). */
  gcCpu: number;
}

/** Ids of posts [from, to) as JSON.parse makes them from a batch (flat strings, as in a real run). */
function batchOfIds(from: number, to: number): string[] {
  const ids: string[] = [];
  for (let i = from; i < to; i++) ids.push(idOf(i));
  return JSON.parse(JSON.stringify(ids)) as string[];
}

function once(make: () => Window): Rep {
  gc?.();
  const m0 = process.memoryUsage();
  const window = make();
  let fresh = 0;
  let cpu = 0;
  for (let from = 0; from < count; from += BATCH) {
    const ids = batchOfIds(from, Math.min(count, from + BATCH));
    const c0 = process.cpuUsage();
    for (const id of ids) if (!window.has(id) && window.add(id)) fresh++;
    cpu += cpuMicros(c0);
  }
  if (fresh !== count || window.size !== Math.min(count, capacity)) throw new Error(`expected ${count} fresh ids and size ${Math.min(count, capacity)}, got ${fresh} and ${window.size}`);
  gc?.();
  const cg = process.cpuUsage();
  gc?.();
  const gcCpu = cpuMicros(cg);
  const m1 = process.memoryUsage();
  const heap = m1.heapUsed - m0.heapUsed;
  const buffers = m1.arrayBuffers - m0.arrayBuffers;
  const c1 = process.cpuUsage();
  const ids = window.toArray();
  const toArrayCpu = cpuMicros(c1);
  if (ids.at(-1) !== idOf(count - 1)) throw new Error(`toArray ends with ${ids.at(-1)}, expected ${idOf(count - 1)}`);
  return { cpu, toArrayCpu, heap, buffers, gcCpu };
}

console.log(`${count} generator ids through has()+add(), window ${capacity}, ${reps} reps (${process.version})`);
const runs = { old: [] as Rep[], new: [] as Rep[] };
for (let r = 0; r < reps; r++) {
  const order = r % 2 === 0 ? (["old", "new"] as const) : (["new", "old"] as const);
  for (const which of order) runs[which].push(once(() => (which === "old" ? new SetRecentIds(capacity) : new RecentIds(capacity))));
}
for (const which of ["old", "new"] as const) {
  const cpu = median(runs[which].map((r) => r.cpu));
  console.log(
    `${which === "old" ? "Set + ring  " : "typed table "}: ${(cpu / 1e6).toFixed(3)} CPU-s = ${(cpu / count).toFixed(3)} µs/id; a full GC with it alive ${(median(runs[which].map((r) => r.gcCpu)) / 1e3).toFixed(1)} CPU-ms; ` +
      `held: JS heap ${(median(runs[which].map((r) => r.heap)) / 2 ** 20).toFixed(1)} MiB + typed arrays ${(median(runs[which].map((r) => r.buffers)) / 2 ** 20).toFixed(1)} MiB; ` +
      `toArray ${(median(runs[which].map((r) => r.toArrayCpu)) / 1e3).toFixed(1)} CPU-ms`,
  );
}
