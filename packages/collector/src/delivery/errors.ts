/** Errors raised by delivery; each says what failed and where (file, option, index). */

export class SpoolError extends Error {
  override name = "SpoolError";
  constructor(message: string, readonly path: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
  }
}

export class DeliveryClosedError extends Error {
  override name = "DeliveryClosedError";
  constructor(operation: string, readonly remainingRecords: number) {
    super(`delivery is closed: ${operation} cannot complete (${remainingRecords} records stay in the spool for the next start)`);
  }
}

export class DeliveryConfigError extends Error {
  override name = "DeliveryConfigError";
  constructor(message: string, readonly option: string) {
    super(`openDelivery option ${option}: ${message}`);
  }
}

export class FirehoseSinkConfigError extends Error {
  override name = "FirehoseSinkConfigError";
  constructor(message: string, readonly option: string) {
    super(`createFirehoseSink option ${option}: ${message}`);
  }
}

/** The service answered 200 but the body does not match the call (missing or misaligned RequestResponses). */
export class FirehoseResponseError extends Error {
  override name = "FirehoseResponseError";
  constructor(message: string, readonly deliveryStreamName: string) {
    super(`PutRecordBatch to ${deliveryStreamName}: ${message}`);
  }
}
