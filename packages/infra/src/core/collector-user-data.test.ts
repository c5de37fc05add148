import { describe, expect, it } from "vitest";
import { collectorUserData, type CollectorUserDataArgs } from "./collector-user-data.ts";

const args: CollectorUserDataArgs = {
  region: "eu-west-1",
  bucket: "lake-b1",
  bundleKey: "artifacts/collector/collector.zip",
  bundleVersion: "v-1",
  entry: "index.mjs",
  command: "run",
  streamName: "defi-sentiment-dev-posts",
  tokenParameterName: "/defi-sentiment-dev/x-bearer-token",
};

describe("collector user data", () => {
  it("installs Node 22, fetches the bundle and runs it as a restarting systemd service with its environment", () => {
    const ud = collectorUserData(args);
    expect(ud.startsWith("#!/bin/bash\n")).toBe(true);
    expect(ud).toContain("dnf install -y nodejs22 unzip");
    expect(ud).toContain("aws --region eu-west-1 s3 cp s3://lake-b1/artifacts/collector/collector.zip /tmp/collector.zip");
    expect(ud).toMatch(/FIREHOSE_STREAM_NAME=defi-sentiment-dev-posts\nAWS_REGION=eu-west-1\nX_BEARER_TOKEN_PARAMETER=\/defi-sentiment-dev\/x-bearer-token\nLAKE_BUCKET=lake-b1\n/);
    expect(ud).toContain("ExecStart=/usr/bin/node-22 /opt/collector/current/index.mjs run\n");
    expect(ud).toContain("Restart=always");
    expect(ud).toContain("User=collector");
    expect(ud).toContain("systemctl enable --now defi-sentiment-collector.service");
  });

  it("changes when the bundle version changes, so a new bundle means a fresh host", () => {
    expect(collectorUserData(args)).not.toBe(collectorUserData({ ...args, bundleVersion: "v-2" }));
  });

  it("refuses a value that would need shell quoting, naming the field", () => {
    expect(() => collectorUserData({ ...args, streamName: "posts; curl evil" })).toThrow(/FIREHOSE_STREAM_NAME has characters not allowed/);
    expect(() => collectorUserData({ ...args, entry: "$(id).mjs" })).toThrow(/entry has characters not allowed/);
    expect(() => collectorUserData({ ...args, command: "run && curl x|sh" })).toThrow(/command has characters not allowed/);
  });
});
