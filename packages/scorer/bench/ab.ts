/**
 * CPU A/B of scorePost: a copy of an older src/core (its path in OLD_CORE, e.g. under .tmp/, with
 * ../version.ts beside it) against the working tree, in one process. Posts are generator posts decoded
 * from JSON, as the pipeline sees them (flat strings). Short chunks alternate old and new, so both see
 * the same machine noise; prints medians of process CPU µs a post (user + system, GC included).
 *
 *   OLD_CORE=/work/main/.tmp/old/core node --import tsx packages/scorer/bench/ab.ts
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generateStreamLines, postFromStreamLine, type Post } from "@defi-sentiment/shared";
import { scorePost } from "../src/core/score-post.ts";

const oldCore = process.env.OLD_CORE;
if (!oldCore) throw new Error("ab.ts: set OLD_CORE to the folder of an older copy of packages/scorer/src/core");
const old = (await import(pathToFileURL(path.join(path.resolve(oldCore), "score-post.ts")).href)) as { scorePost: typeof scorePost };
const N = Number(process.env.N ?? 50_000);
const CHUNK = Number(process.env.CHUNK ?? 5_000);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const at = new Date("2026-11-25T12:00:00Z");
const posts = JSON.parse(JSON.stringify([...generateStreamLines(N, { seed: 7 })].map((l) => postFromStreamLine(l, "generator", at)))) as Post[];

function run(f: typeof scorePost, from: number): number {
  const c = process.cpuUsage();
  for (let i = from; i < from + CHUNK; i++) f(posts[i]!, at);
  const d = process.cpuUsage(c);
  return (d.user + d.system) / CHUNK;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (let i = 0; i < N; i += CHUNK) {
  run(old.scorePost, i); // warm-up
  run(scorePost, i);
}
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0, k = 0; i < N; i += CHUNK, k++) {
    if ((r + k) % 2) {
      b.push(run(scorePost, i));
      a.push(run(old.scorePost, i));
    } else {
      a.push(run(old.scorePost, i));
      b.push(run(scorePost, i));
    }
  }
}
const ratios = a.map((x, i) => b[i]! / x);
console.log(`old ${median(a).toFixed(2)} µs/post, new ${median(b).toFixed(2)} µs/post (medians of ${a.length} chunk pairs); new/old ${median(ratios).toFixed(3)}, new lower in ${ratios.filter((x) => x < 1).length}/${a.length}`);
