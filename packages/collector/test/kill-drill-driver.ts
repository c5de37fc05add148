/**
 * Child process for the kill -9 drill: accepts synthetic posts chunk by chunk into delivery
 * (sink = the parent's Firehose-protocol server), printing `acked <n>` after each accept resolves
 * (stdout to a pipe is synchronous on Linux, so a printed line means the accept had resolved), then
 * drains and prints `drained`. The parent SIGKILLs it at random points and restarts it.
 *
 * Usage: node --import tsx kill-drill-driver.ts '{"url":…,"spoolDir":…,"deadLetterDir":…,"start":0,"total":3000,"chunk":50}'
 */
import { openDelivery } from "../src/delivery/index.ts";
import { makePosts, sinkFor } from "./delivery-fixtures.ts";

interface DriverArgs {
  url: string;
  spoolDir: string;
  deadLetterDir: string;
  start: number;
  total: number;
  chunk: number;
}

const args = JSON.parse(process.argv[2] ?? "{}") as DriverArgs;
const posts = makePosts(args.total, 77);
const delivery = await openDelivery({ sink: sinkFor(args.url), spoolDir: args.spoolDir, deadLetterDir: args.deadLetterDir, maxBatchAgeMs: 20 });
process.stdout.write(`open spooled=${delivery.stats().spooled}\n`);
for (let i = args.start; i < args.total; i += args.chunk) {
  const end = Math.min(args.total, i + args.chunk);
  await delivery.accept(posts.slice(i, end));
  process.stdout.write(`acked ${end}\n`);
}
await delivery.drain();
process.stdout.write(`drained ${JSON.stringify(delivery.stats())}\n`);
await delivery.close();
