import { generateStreamLines, postFromStreamLine, encodeFirehoseRecord, firehoseDataOf, PostSchema, decodeFirehoseData } from "@defi-sentiment/shared";
import { scoreText } from "../src/core/score-text.ts";
import { extractEntities } from "../src/core/extract-entities.ts";
import { normaliseLocation } from "../src/core/normalise-location.ts";
import { scorePost } from "../src/core/score-post.ts";
import { transformRecords } from "../src/transform-records.ts";
const N = 50000;
const now = new Date();
const posts = [...generateStreamLines(N, { seed: 7 })].map((l) => postFromStreamLine(l, "generator", now));
const recs = posts.map((p, i) => ({ recordId: String(i), approximateArrivalTimestamp: 0, data: encodeFirehoseRecord(p).toString("base64") }));
console.log("mean text len", posts.reduce((n, p) => n + p.text.length, 0) / N, "mean record b64", recs.reduce((n, r) => n + r.data.length, 0) / N);
// The machine is shared: report the median of a few runs, as wall and as process CPU time
// (user + system, which includes GC threads, so allocation shows up there too).
const RUNS = Number(process.env.MICRO_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function t(name: string, f: () => void) {
  f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c = process.cpuUsage();
    const s = performance.now();
    f();
    wall.push(performance.now() - s);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const ms = median(wall);
  console.log(name.padEnd(20), (N / ms * 1000).toFixed(0).padStart(8), "/s", (ms / N * 1000).toFixed(2).padStart(6), "µs wall", (median(cpu) / N * 1000).toFixed(2).padStart(6), "µs cpu");
}
t("scoreText", () => { for (const p of posts) scoreText(p.text); });
t("extractEntities", () => { for (const p of posts) extractEntities(p); });
t("normaliseLocation", () => { for (const p of posts) normaliseLocation(p.author_location); });
t("scorePost", () => { for (const p of posts) scorePost(p, now); });
t("decode", () => { for (const r of recs) decodeFirehoseData(r.data, "x"); });
const decoded = recs.map((r) => decodeFirehoseData(r.data, "x"));
t("PostSchema.parse", () => { for (const d of decoded) PostSchema.parse(d); });
const scored = posts.map((p) => scorePost(p, now));
t("encode", () => { for (const s of scored) encodeFirehoseRecord(s).toString("base64"); });
t("encode (as transform)", () => { for (const s of scored) firehoseDataOf(JSON.stringify(s)); });
t("transformRecords", () => { for (let i = 0; i < N; i += 500) transformRecords({ invocationId: "x", deliveryStreamArn: "a", region: "r", records: recs.slice(i, i + 500) } as never); });
