/**
 * @module @defi-sentiment/lake
 * The laptop stand-ins for AWS: a delivery stream with Firehose semantics and a DuckDB warehouse
 * with the Athena views, over a lake folder laid out as in S3.
 */
export * from "./warehouse.ts";
export { ROLLUP_ANSWERS, ROLLUP_VERSION } from "./rollups.ts";
export * from "./local-delivery-stream.ts";
export * from "./report.ts";
export * from "./lifecycle/index.ts";
