/**
 * CPU µs/post of the per-post text work, live code vs the frozen pre-fast-path copies in
 * test/frozen, in short interleaved rounds so both see the same machine load (ROUNDS, default 31).
 * `node --import tsx bench/text-work.ts` from packages/scorer.
 */
import { generateStreamLines, postFromStreamLine } from "@defi-sentiment/shared";
import { extractEntities } from "../src/core/extract-entities.ts";
import { scorePost } from "../src/core/score-post.ts";
import { scoreText } from "../src/core/score-text.ts";
import { extractEntities as frozenExtractEntities } from "../test/frozen/extract-entities.ts";
import { scorePost as frozenScorePost } from "../test/frozen/score-post.ts";
import { scoreText as frozenScoreText } from "../test/frozen/score-text.ts";

const N = 10_000;
const now = new Date();
const posts = [...generateStreamLines(N, { seed: 7 })].map((l) => postFromStreamLine(l, "generator", now));
const ROUNDS = Number(process.env.ROUNDS ?? 31);

const pairs: [string, () => void, () => void][] = [
  ["scoreText", () => { for (const p of posts) frozenScoreText(p.text); }, () => { for (const p of posts) scoreText(p.text); }],
  ["extractEntities", () => { for (const p of posts) frozenExtractEntities(p); }, () => { for (const p of posts) extractEntities(p); }],
  ["scorePost", () => { for (const p of posts) frozenScorePost(p, now); }, () => { for (const p of posts) scorePost(p, now); }],
];
const cpuOf = (f: () => void) => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / N;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, before, after] of pairs) {
  for (let w = 0; w < 3; w++) {
    before();
    after();
  }
  const b: number[] = [];
  const a: number[] = [];
  const ratio: number[] = [];
  // short rounds, alternating which goes first, so drifting machine load hits both alike
  for (let r = 0; r < ROUNDS; r++) {
    let x: number, y: number;
    if (r % 2) {
      x = cpuOf(before);
      y = cpuOf(after);
    } else {
      y = cpuOf(after);
      x = cpuOf(before);
    }
    b.push(x);
    a.push(y);
    ratio.push(y / x);
  }
  console.log(name.padEnd(16), "before", median(b).toFixed(2), "µs", "after", median(a).toFixed(2), "µs", "after/before (median of paired rounds)", median(ratio).toFixed(3));
}
