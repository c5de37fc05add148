/**
 * Amazon Data Firehose contracts: the limits of PutRecordBatch and the data-transformation
 * Lambda's event and response. The local delivery stream speaks exactly these shapes, so the
 * scorer's handler runs unchanged in both places.
 */
import { z } from "zod";

/** PutRecordBatch limits (Firehose quotas). */
export const FIREHOSE_LIMITS = {
  maxRecordsPerBatch: 500,
  maxBatchBytes: 4 * 1024 * 1024,
  maxRecordBytes: 1000 * 1024,
  /** Lambda's synchronous response payload limit, which bounds a transformation response. */
  maxTransformResponseBytes: 6 * 1024 * 1024,
} as const;

export const FirehoseTransformationEventSchema = z.object({
  invocationId: z.string(),
  deliveryStreamArn: z.string(),
  region: z.string(),
  records: z.array(
    z.object({
      recordId: z.string(),
      approximateArrivalTimestamp: z.number(),
      data: z.string(),
    }),
  ),
});
export type FirehoseTransformationEvent = z.infer<typeof FirehoseTransformationEventSchema>;

export type FirehoseTransformationResult = "Ok" | "Dropped" | "ProcessingFailed";

/** Iceberg routing metadata a transformation may return per record. */
export interface FirehoseOtfMetadata {
  destinationDatabaseName: string;
  destinationTableName: string;
  operation: "insert" | "update" | "delete";
}

export interface FirehoseTransformationResultRecord {
  recordId: string;
  result: FirehoseTransformationResult;
  /** base64 of the transformed record (empty string for failed records). */
  data: string;
  metadata?: { otfMetadata?: FirehoseOtfMetadata; partitionKeys?: Record<string, string> };
}

export interface FirehoseTransformationResponse {
  records: FirehoseTransformationResultRecord[];
}

/**
 * An invocation with the records' bytes packed in one buffer instead of base64 strings, for a
 * transformation in another thread: two buffers cross instead of thousands of strings, and no
 * base64 is made on this side. The lake's `eventOfPacked` turns it into the exact Lambda event;
 * the scorer's `transformPacked` answers it without the base64 either way.
 */
export interface PackedInvocation {
  invocationId: string;
  deliveryStreamArn: string;
  region: string;
  recordIds: string[];
  arrivals: Float64Array;
  /** Record i is `data[ends[i - 1] ?? 0 … ends[i])`. */
  data: Uint8Array;
  ends: Uint32Array;
  /**
   * Memory the answer's data may be written into: an earlier answer's, which the caller is done
   * with (transferred along to a worker, so answers stop costing fresh memory on both threads),
   * or a SharedArrayBuffer both threads hold (this invocation's own, once its records are read).
   */
  reuse?: ArrayBufferLike;
}

/** A response packed the same way: each record's id and result, and an Ok record's data as bytes (empty otherwise). */
export interface PackedResponse {
  recordIds: string[];
  results: string[];
  /**
   * In memory of its own (never Node's shared pool's): the caller may pass it on as a later
   * invocation's `reuse`, or hand it back to the transformation's own pool once done with it.
   */
  data: Uint8Array;
  ends: Uint32Array;
  /** The invocation's `data` memory handed back (e.g. transferred back by a worker) for the next invocation to reuse. */
  spent?: ArrayBuffer;
}

/** Bytes to allocate for packed memory of `size`: rounded up to 256 KiB, so later packs of similar size fit. */
export function packedCapacity(size: number): number {
  return Math.ceil(Math.max(size, 1) / PACKED_ROUNDING) * PACKED_ROUNDING;
}
const PACKED_ROUNDING = 256 * 1024;

/**
 * `size` bytes of memory of its own (transferable), for a packed invocation or answer: in `reuse`
 * when that holds them, else new (`packedCapacity`).
 */
export function packedBuffer(size: number, reuse?: ArrayBufferLike): Buffer {
  if (reuse && reuse.byteLength >= size) return Buffer.from(reuse, 0, size);
  return Buffer.allocUnsafeSlow(packedCapacity(size)).subarray(0, size);
}

/** A per-record failure in a batch put, by index in the batch (as Firehose's RequestResponses). */
export interface PutRecordFailure {
  index: number;
  errorCode: string;
  errorMessage: string;
}

/**
 * Anything that accepts record batches with Firehose's PutRecordBatch semantics: all-or-some
 * accepted, failures reported per record, whole-call errors thrown. Implemented by the Firehose
 * adapter (AWS) and by the local delivery stream (laptop); the collector only sees this.
 */
export interface RecordSink {
  putRecordBatch(records: Uint8Array[]): Promise<{ failed: PutRecordFailure[] }>;
  /**
   * True when a call that resolved has made its accepted records durable on this machine (the
   * local delivery stream's fsync'd journal), so a re-readable source needs no spool before it.
   */
  readonly durable?: boolean;
}
