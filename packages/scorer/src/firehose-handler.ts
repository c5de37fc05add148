/**
 * The Lambda entry of the Firehose data transformation; also called in-process by the local
 * delivery stream. Config is read once at module scope.
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResponse } from "@defi-sentiment/shared";
import { transformRecords, type LogLine } from "./transform-records.ts";

const ICEBERG_DATABASE = process.env.ICEBERG_DATABASE;
const ICEBERG_TABLE = process.env.ICEBERG_TABLE;
const iceberg = ICEBERG_DATABASE && ICEBERG_TABLE ? { database: ICEBERG_DATABASE, table: ICEBERG_TABLE } : undefined;

const log = (line: LogLine) => console.log(JSON.stringify(line));

/** Firehose transformation handler: every recordId comes back exactly once, in order; never throws on bad records. */
export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse> {
  return transformRecords(event, { iceberg, log });
}
