/**
 * How many spooled records go into the next PutRecordBatch call, as a pure function of their
 * sizes. A call carries at most `maxRecordsPerBatch` records and `maxBatchBytes` of data; a record
 * above `maxRecordBytes` can never be sent and belongs in the dead-letter file.
 */
import { FIREHOSE_LIMITS } from "@defi-sentiment/shared";

export interface BatchLimits {
  maxRecordsPerBatch: number;
  maxBatchBytes: number;
  maxRecordBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  maxRecordsPerBatch: FIREHOSE_LIMITS.maxRecordsPerBatch,
  maxBatchBytes: FIREHOSE_LIMITS.maxBatchBytes,
  maxRecordBytes: FIREHOSE_LIMITS.maxRecordBytes,
};

/** True when a record of this many bytes can never go to Firehose (it is dead-lettered instead). */
export function isOversizeRecord(bytes: number, limits: BatchLimits = DEFAULT_BATCH_LIMITS): boolean {
  return bytes > limits.maxRecordBytes;
}

/**
 * Whether one more record of `bytes` fits a batch that already holds `records` records and
 * `batchBytes` bytes. Never true for an oversize record.
 */
export function fitsBatch(records: number, batchBytes: number, bytes: number, limits: BatchLimits = DEFAULT_BATCH_LIMITS): boolean {
  if (isOversizeRecord(bytes, limits)) return false;
  return records + 1 <= limits.maxRecordsPerBatch && batchBytes + bytes <= limits.maxBatchBytes;
}

export type BatchStep = { kind: "batch"; indexes: number[]; bytes: number } | { kind: "oversize"; index: number; bytes: number };

/**
 * Splits records (by size, in order) into calls that respect every limit, keeping order; an
 * oversize record becomes its own `oversize` step in place. Used by the sender incrementally
 * (through `fitsBatch`) and by tests as the reference plan.
 */
export function planBatches(sizes: readonly number[], limits: BatchLimits = DEFAULT_BATCH_LIMITS): BatchStep[] {
  const steps: BatchStep[] = [];
  let current: { kind: "batch"; indexes: number[]; bytes: number } | null = null;
  sizes.forEach((bytes, index) => {
    if (isOversizeRecord(bytes, limits)) {
      if (current) steps.push(current);
      current = null;
      steps.push({ kind: "oversize", index, bytes });
      return;
    }
    if (current && !fitsBatch(current.indexes.length, current.bytes, bytes, limits)) {
      steps.push(current);
      current = null;
    }
    current ??= { kind: "batch", indexes: [], bytes: 0 };
    current.indexes.push(index);
    current.bytes += bytes;
  });
  if (current) steps.push(current);
  return steps;
}
