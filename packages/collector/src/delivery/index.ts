/**
 * @module delivery
 * At-least-once delivery of posts to a RecordSink (Firehose or the local delivery stream)
 * through a durable disk spool. See packages/collector/docs/delivery.md.
 */
export { DEFAULT_MAX_BATCHES_IN_FLIGHT, openDelivery } from "./open-delivery.ts";
export type { Delivery, DeliveryOptions, DeliveryStats } from "./delivery-types.ts";
export { createFirehoseSink, type FirehoseSinkOptions } from "./firehose-sink.ts";
export { DeliveryClosedError, DeliveryConfigError, FirehoseResponseError, FirehoseSinkConfigError, SpoolError } from "./errors.ts";
export type { DeadLetterLine, DeadLetterReason } from "./dead-letter-file.ts";
export { DEFAULT_RESEND_POLICY, type ResendPolicy } from "./core/resend-policy.ts";
