/**
 * @module @defi-sentiment/collector
 * Reads DeFi posts from X API v2 (filtered stream with gap fill, recent search backfill), replays
 * files or generates synthetic posts, and delivers them at least once to a RecordSink (Firehose in
 * AWS, the local delivery stream on a laptop). `runCollector` is what `npm start` uses.
 */
export { runCollector, dataFiles, type CollectorRun, type RunCollectorOptions } from "./run-collector.ts";
export { parseCollectorConfig, redactConfig, CollectorConfigError, type CollectorConfig } from "./config.ts";
export { generatorSource, type GeneratorSourceOptions } from "./sources/generator.ts";
export { replaySource, replayFiles, newReplayStats, type ReplayStats, type ReplaySourceOptions } from "./sources/replay.ts";
export { searchBackfill, type SearchBackfillOptions, type SearchQuery } from "./sources/search-backfill.ts";
export { liveStreamSource, type LiveStreamOptions, type LiveStreamStats } from "./sources/live-stream.ts";
export { createXClient, XApiError, type XClient } from "./x/x-client.ts";
export { DEFAULT_DEFI_RULES, type StreamRule } from "./core/rules-plan.ts";
export { nextReconnectDelay } from "./core/reconnect-schedule.ts";
export { main, HELP } from "./main.ts";
export * from "./delivery/index.ts";
export * from "./compliance/index.ts";
export { replayRawFromS3, type ReplayRawFromS3Options, type ReplayRawResult } from "./rescore/replay-raw-from-s3.ts";
