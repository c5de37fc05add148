/**
 * CPU cost of validating a decoded post: PostSchema.parse vs parsePost, in µs of process CPU time
 * (user + system, so GC threads count) per post; median of REPS runs over the same posts.
 * Run: node --import tsx packages/shared/bench/parse-post.ts
 */
import { generateStreamLines, parsePost, postFromStreamLine, PostSchema, POST_SOURCES } from "../src/index.ts";

const N = Number(process.env.N ?? 100_000);
const REPS = Number(process.env.REPS ?? 7);
const now = new Date();
// decoded as the scorer sees them: fresh objects from JSON.parse
const decoded: unknown[] = [...generateStreamLines(N, { seed: 7 })].map((l, i) => JSON.parse(JSON.stringify(postFromStreamLine(l, POST_SOURCES[i % 4]!, now))));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function cpuPerPost(parse: (v: unknown) => unknown): number {
  let sink = 0;
  const start = process.cpuUsage();
  for (const d of decoded) sink += parse(d) === d ? 1 : 0;
  const used = process.cpuUsage(start);
  if (sink !== 0) throw new Error("parse returned its input");
  return (used.user + used.system) / N;
}

const results: Record<string, number[]> = { "PostSchema.parse": [], parsePost: [] };
for (let r = 0; r < REPS + 1; r++) {
  // interleaved so both see the same machine load; the first round warms up
  const zod = cpuPerPost((v) => PostSchema.parse(v));
  const fast = cpuPerPost(parsePost);
  if (r === 0) continue;
  results["PostSchema.parse"]!.push(zod);
  results.parsePost!.push(fast);
}
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(17)} median ${median(xs).toFixed(3)} µs/post CPU  (min ${Math.min(...xs).toFixed(3)}, max ${Math.max(...xs).toFixed(3)}, ${REPS} runs of ${N})`);
}
console.log(`speed-up ${(median(results["PostSchema.parse"]!) / median(results.parsePost!)).toFixed(2)}×`);
