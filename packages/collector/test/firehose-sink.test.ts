import { afterEach, describe, expect, it } from "vitest";
import { createFirehoseSink, FirehoseSinkConfigError } from "../src/delivery/index.ts";
import { startFirehoseServer, type StartedFirehoseServer } from "./firehose-server.ts";
import { sinkFor } from "./delivery-fixtures.ts";

let server: StartedFirehoseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const records = (n: number, size = 16) => Array.from({ length: n }, (_, i) => Buffer.from(`{"id":"${i}"}`.padEnd(size - 1, " ") + "\n"));

describe("createFirehoseSink against the Firehose JSON 1.1 protocol", () => {
  it("sends PutRecordBatch to the named stream and reports no failures when all are accepted", async () => {
    server = await startFirehoseServer();
    const { failed } = await sinkFor(server.url).putRecordBatch(records(3));
    expect(failed).toEqual([]);
    expect(server.calls).toMatchObject([{ records: 3, bytes: 48, outcome: "ok", streamName: "defi-posts-test" }]);
    expect(server.accepted.map((b) => b.toString())).toEqual(records(3).map((b) => b.toString()));
  });

  it("maps each RequestResponses ErrorCode to a failure at that record's index", async () => {
    let n = 0;
    server = await startFirehoseServer({ faults: { recordFailureRate: 0.5 }, random: () => (n++ % 3 === 1 ? 0 : 1) });
    const { failed } = await sinkFor(server.url).putRecordBatch(records(7));
    expect(failed).toEqual([1, 4].map((index) => ({ index, errorCode: "ServiceUnavailableException", errorMessage: "Slow down." })));
    expect(server.calls[0]!.failedIndexes).toEqual([1, 4]);
  });

  it.each([
    ["unavailable-500", "ServiceUnavailableException"],
    ["throttling-400", "ThrottlingException"],
    ["limit-exceeded-400", "LimitExceededException"],
  ] as const)("throws the service's %s error by name so delivery can back off", async (kind, name) => {
    server = await startFirehoseServer({ faults: { outage: { calls: 1, kind } } });
    await expect(sinkFor(server.url).putRecordBatch(records(1))).rejects.toMatchObject({ name });
  });

  it("fails every call inside a scripted outage window and succeeds after it", async () => {
    server = await startFirehoseServer({ faults: { outageUntil: { until: Date.now() + 60_000, kind: "unavailable-500" } } });
    const sink = sinkFor(server.url);
    await expect(sink.putRecordBatch(records(2))).rejects.toMatchObject({ name: "ServiceUnavailableException" });
    await expect(sink.putRecordBatch(records(2))).rejects.toMatchObject({ name: "ServiceUnavailableException" });
    server.faults.outageUntil = { until: Date.now() - 1, kind: "unavailable-500" };
    expect(await sink.putRecordBatch(records(2))).toEqual({ failed: [] });
    expect(server.calls.map((c) => c.outcome)).toEqual(["unavailable-500", "unavailable-500", "ok"]);
  });

  it("is refused by the server above 500 records, so the limit tests mean something", async () => {
    server = await startFirehoseServer();
    await expect(sinkFor(server.url).putRecordBatch(records(501))).rejects.toMatchObject({ name: "InvalidArgumentException" });
    expect(server.calls[0]!.outcome).toBe("invalid");
  });

  it("gives up on a hung request after requestTimeoutMs instead of waiting minutes", async () => {
    server = await startFirehoseServer({ faults: { latencyMs: 3_000 } });
    const sink = createFirehoseSink({
      deliveryStreamName: "s",
      region: "us-east-1",
      endpoint: server.url,
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      requestTimeoutMs: 200,
      maxAttempts: 1,
    });
    const started = Date.now();
    await expect(sink.putRecordBatch(records(1))).rejects.toThrow(/timeout|timed out/i);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("requires region and credentials with an endpoint override, naming the option", () => {
    expect(() => createFirehoseSink({ deliveryStreamName: "s", endpoint: "http://127.0.0.1:1", region: "us-east-1" })).toThrow(FirehoseSinkConfigError);
    expect(() => createFirehoseSink({ deliveryStreamName: "s", endpoint: "http://127.0.0.1:1" })).toThrow(/option region/);
    expect(() => createFirehoseSink({ deliveryStreamName: "" })).toThrow(/option deliveryStreamName/);
  });
});
