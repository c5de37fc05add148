/**
 * The AWS adapter: a RecordSink over Firehose PutRecordBatch. Explicit timeouts (a hung socket
 * must not stall delivery for the SDK's 300 s idle default), and per-record ErrorCodes mapped to
 * `PutRecordFailure`s by index, which the SDK never retries on its own.
 */
import type { FirehoseClientConfig } from "@aws-sdk/client-firehose";
import type { PutRecordFailure, RecordSink } from "@defi-sentiment/shared";
import { loadLater } from "../load-later.ts";
import { FirehoseResponseError, FirehoseSinkConfigError } from "./errors.ts";

export interface FirehoseSinkOptions {
  deliveryStreamName: string;
  region?: string;
  /** Endpoint override (a local Firehose-protocol server, a VPC endpoint). Requires region and credentials. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Whole-request timeout in ms (default 10_000); the TCP connect timeout is 3_000. */
  requestTimeoutMs?: number;
  /** SDK-level attempts per call (default 3); delivery's own resend policy runs on top. */
  maxAttempts?: number;
}

/**
 * @example
 * const sink = createFirehoseSink({ deliveryStreamName: "defi-posts", region: "eu-west-1" });
 * const { failed } = await sink.putRecordBatch([encodeFirehoseRecord(post)]);
 */
export function createFirehoseSink(options: FirehoseSinkOptions): RecordSink {
  if (!options.deliveryStreamName) throw new FirehoseSinkConfigError("is required", "deliveryStreamName");
  if (options.endpoint) {
    // With an override, never fall back to the default chain (which would probe instance metadata).
    if (!options.region) throw new FirehoseSinkConfigError("is required when endpoint is set", "region");
    if (!options.credentials) throw new FirehoseSinkConfigError("are required when endpoint is set", "credentials");
  }
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const config: FirehoseClientConfig = { maxAttempts: options.maxAttempts ?? 3 };
  if (options.region) config.region = options.region;
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  // The SDK loads from here on, not when the collector is imported (see load-later.ts).
  const sdk = loadLater(async () => {
    const [{ FirehoseClient, PutRecordBatchCommand }, { NodeHttpHandler }] = await Promise.all([import("@aws-sdk/client-firehose"), import("@smithy/node-http-handler")]);
    config.requestHandler = new NodeHttpHandler({ connectionTimeout: Math.min(3_000, requestTimeout), requestTimeout, throwOnRequestTimeout: true });
    return { client: new FirehoseClient(config), PutRecordBatchCommand };
  });
  const name = options.deliveryStreamName;

  return {
    async putRecordBatch(records: Uint8Array[]): Promise<{ failed: PutRecordFailure[] }> {
      if (records.length === 0) return { failed: [] };
      const { client, PutRecordBatchCommand } = await sdk;
      const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map((Data) => ({ Data })) }));
      const responses = out.RequestResponses ?? [];
      if ((out.FailedPutCount ?? 0) > 0 && responses.length !== records.length) {
        throw new FirehoseResponseError(`FailedPutCount is ${out.FailedPutCount} but RequestResponses has ${responses.length} entries for ${records.length} records`, name);
      }
      const failed: PutRecordFailure[] = [];
      responses.forEach((r, index) => {
        if (r.ErrorCode) failed.push({ index, errorCode: r.ErrorCode, errorMessage: r.ErrorMessage ?? "" });
      });
      if ((out.FailedPutCount ?? 0) > 0 && failed.length === 0) {
        throw new FirehoseResponseError(`FailedPutCount is ${out.FailedPutCount} but no RequestResponses entry carries an ErrorCode`, name);
      }
      return { failed };
    },
  };
}
