/**
 * Child process for lazy-sdk.test.ts: imports the collector index as `npm start` does, runs the
 * generator into an in-memory sink, then uses a Firehose sink and an X client against the
 * parent's local servers, printing after each step which node_modules packages are loaded.
 *
 * Usage: node --import tsx loaded-packages-driver.ts '{"firehose":…,"x":…,"dataDir":…}'
 */
import { createRequire } from "node:module";

const args = JSON.parse(process.argv[2] ?? "{}") as { firehose: string; x: string; dataDir: string };
// Every package here (SDK, twitter-api-v2) is CommonJS, so each module of them lands in require.cache.
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache).map((f) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p) => p !== undefined))].sort();
const report = (step: string) => process.stdout.write(JSON.stringify({ step, packages: loaded() }) + "\n");

const collector = await import("../src/index.ts"); // what `@defi-sentiment/collector` resolves to
report("import");

const { arraySink } = await import("./array-sink.ts");
const { sink, records } = arraySink();
await collector.runCollector({ sink, dataDir: args.dataDir, env: {}, argv: ["--count", "50"], log: () => {} });
if (records.length !== 50) throw new Error(`generator delivered ${records.length} of 50 posts`);
report("generator run");

const firehose = collector.createFirehoseSink({ deliveryStreamName: "defi-posts-test", region: "us-east-1", endpoint: args.firehose, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const { failed } = await firehose.putRecordBatch([Buffer.from('{"id":"1"}\n')]);
if (failed.length) throw new Error(`firehose refused: ${JSON.stringify(failed)}`);
report("firehose put");

const rules = await collector.createXClient({ bearerToken: "t", baseUrl: args.x }).listRules();
report(`x rules ${rules.length}`);
