/**
 * @module @defi-sentiment/local
 * `npm start`: the pipeline on one machine, wiring collector, local delivery stream, scorer,
 * warehouse and dashboard.
 */
export { openLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from "./local-pipeline.ts";
export { main, splitArgs, ConfigError } from "./main.ts";
