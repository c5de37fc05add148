/**
 * Cloud-init user data for the collector host (Amazon Linux 2023, arm64): installs Node 22 from
 * the AL2023 repositories, fetches the collector bundle from S3 and runs it as a systemd service
 * that restarts on failure. It carries names only (stream, bucket, parameter), never the token:
 * the collector reads the SecureString parameter itself at start.
 */

export interface CollectorUserDataArgs {
  region: string;
  bucket: string;
  /** Object key of the zipped bundle. */
  bundleKey: string;
  /** S3 version id (or ETag) of the bundle: a new bundle changes the user data and so the host. */
  bundleVersion: string;
  /** File in the bundle that starts the collector, e.g. `index.mjs`. */
  entry: string;
  /** Collector subcommand and options, e.g. `run`. */
  command: string;
  streamName: string;
  tokenParameterName: string;
}

export const COLLECTOR_SPOOL_DIR = "/var/spool/defi-sentiment";
export const COLLECTOR_SERVICE = "defi-sentiment-collector";

/** The environment the collector process starts with (non-secret values only). */
export function collectorEnvironment(a: CollectorUserDataArgs): Record<string, string> {
  return {
    FIREHOSE_STREAM_NAME: a.streamName,
    AWS_REGION: a.region,
    X_BEARER_TOKEN_PARAMETER: a.tokenParameterName,
    LAKE_BUCKET: a.bucket,
    COLLECTOR_DATA_DIR: COLLECTOR_SPOOL_DIR,
    COLLECTOR_SINK: "firehose",
    NODE_ENV: "production",
  };
}

const safe = /^[A-Za-z0-9._\/:=+@-]+$/;

/** Rejects values that would need shell quoting: everything we embed is a plain AWS name. */
function plain(name: string, value: string): string {
  if (!safe.test(value)) throw new RangeError(`collectorUserData: ${name} has characters not allowed in user data: ${JSON.stringify(value)}`);
  return value;
}

export function collectorUserData(a: CollectorUserDataArgs): string {
  const env = Object.entries(collectorEnvironment(a))
    .map(([k, v]) => `${k}=${plain(k, v)}`)
    .join("\n");
  const src = `s3://${plain("bucket", a.bucket)}/${plain("bundleKey", a.bundleKey)}`;
  return `#!/bin/bash
# defi-sentiment collector bootstrap; bundle version ${plain("bundleVersion", a.bundleVersion)}
set -euo pipefail
dnf install -y nodejs22 unzip
id collector >/dev/null 2>&1 || useradd --system --home-dir /opt/collector --shell /sbin/nologin collector
install -d -o collector -g collector -m 0750 ${COLLECTOR_SPOOL_DIR}
install -d -m 0755 /opt/collector /etc/defi-sentiment
aws --region ${plain("region", a.region)} s3 cp ${src} /tmp/collector.zip
rm -rf /opt/collector/current && mkdir -p /opt/collector/current
unzip -q -o /tmp/collector.zip -d /opt/collector/current && rm -f /tmp/collector.zip
cat > /etc/defi-sentiment/collector.env <<'ENV'
${env}
ENV
cat > /etc/systemd/system/${COLLECTOR_SERVICE}.service <<'UNIT'
[Unit]
Description=defi-sentiment collector (X API v2 -> Firehose)
Wants=network-online.target
After=network-online.target

[Service]
User=collector
EnvironmentFile=/etc/defi-sentiment/collector.env
WorkingDirectory=/opt/collector/current
ExecStart=/usr/bin/node-22 /opt/collector/current/${plain("entry", a.entry)} ${a.command.split(" ").map((w) => plain("command", w)).join(" ")}
Restart=always
RestartSec=5
# 2 = bad configuration, 3 = X read budget exhausted: restarting would not help
RestartPreventExitStatus=2 3
TimeoutStopSec=60
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=${COLLECTOR_SPOOL_DIR}

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now ${COLLECTOR_SERVICE}.service
`;
}
