/**
 * Cloud-init user data for the collector host (Amazon Linux 2023, arm64): installs Node 22 from
 * the AL2023 repositories, fetches the collector bundle from S3 and runs it as a systemd service
 * that restarts on failure. It carries names only (stream, bucket, parameter), never the token:
 * the collector reads the SecureString parameter itself at start.
 *
 * The collector also applies X deletion notices from the stream to the AWS lake (it is given
 * the Glue database and Athena workgroup for that). It also installs the lifecycle bundle and a
 * systemd timer that runs the X compliance check
 * daily (`compliance.mjs --aws …`, the code behind `npm run compliance -- --aws`). The check reads
 * the token from the environment, so its wrapper fetches the same SecureString at each run; the
 * token is never written to disk or user data. After a successful run the wrapper publishes the
 * success heartbeat (core/lifecycle-metric.ts) that the compliance alarm watches.
 */
import { COMPLIANCE_SUCCESS_METRIC } from "./lifecycle-metric.ts";

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
  lifecycle: LifecycleUserDataArgs;
}

export interface LifecycleUserDataArgs {
  /** Object key of the zipped lifecycle bundle (`compliance.mjs`, `rescore.mjs`). */
  bundleKey: string;
  bundleVersion: string;
  databaseName: string;
  workgroupName: string;
  /** The rescore delivery stream, for operators running `rescore.mjs --aws` on the host. */
  rescoreStreamName: string;
  /** CloudWatch namespace of the compliance check's success heartbeat (`lifecycleMetricNamespace`). */
  metricNamespace: string;
}

export const COLLECTOR_SPOOL_DIR = "/var/spool/defi-sentiment";
export const COLLECTOR_SERVICE = "defi-sentiment-collector";
export const LIFECYCLE_DIR = "/opt/defi-sentiment-lifecycle";
export const COMPLIANCE_SERVICE = "defi-sentiment-compliance";
/** Daily, at a quiet hour (UTC); `Persistent=true` runs a missed one at boot. */
export const COMPLIANCE_SCHEDULE = "*-*-* 03:00:00 UTC";
export const COMPLIANCE_SINCE = "7d";

/**
 * The environment the collector process starts with (non-secret values only). LAKE_BUCKET with
 * ATHENA_DATABASE and ATHENA_WORKGROUP makes the collector apply stream deletion notices to the
 * Iceberg table and raw/, errors/ and record them under compliance/ (collector README).
 */
export function collectorEnvironment(a: CollectorUserDataArgs): Record<string, string> {
  return {
    FIREHOSE_STREAM_NAME: a.streamName,
    AWS_REGION: a.region,
    X_BEARER_TOKEN_PARAMETER: a.tokenParameterName,
    LAKE_BUCKET: a.bucket,
    ATHENA_DATABASE: a.lifecycle.databaseName,
    ATHENA_WORKGROUP: a.lifecycle.workgroupName,
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

/** The compliance check's command line, as `npm run compliance -- --aws …` takes it. */
export function complianceCommandLine(a: CollectorUserDataArgs): string {
  return [
    "/usr/bin/node-22",
    `${LIFECYCLE_DIR}/current/compliance.mjs`,
    "--aws",
    "--bucket",
    plain("bucket", a.bucket),
    "--database",
    plain("databaseName", a.lifecycle.databaseName),
    "--workgroup",
    plain("workgroupName", a.lifecycle.workgroupName),
    "--since",
    COMPLIANCE_SINCE,
  ].join(" ");
}

/** Non-secret settings of the lifecycle jobs (also what `rescore.mjs --aws` reads: LAKE_BUCKET, RESCORE_STREAM). */
export function lifecycleEnvironment(a: CollectorUserDataArgs): Record<string, string> {
  return {
    AWS_REGION: a.region,
    LAKE_BUCKET: a.bucket,
    ATHENA_DATABASE: a.lifecycle.databaseName,
    ATHENA_WORKGROUP: a.lifecycle.workgroupName,
    RESCORE_STREAM: a.lifecycle.rescoreStreamName,
    NODE_ENV: "production",
  };
}

/**
 * Wrapper run by the compliance service: token from SSM into the process environment only, then the
 * check; only when it exits 0 (`set -e` ends the script with the check's own status otherwise) one
 * success data point for the heartbeat alarm. A failed publish is reported but does not turn a
 * successful check into a failed unit: the missing data point raises the alarm anyway.
 */
export function complianceWrapper(a: CollectorUserDataArgs): string {
  const region = plain("region", a.region);
  return `#!/bin/bash
set -euo pipefail
X_BEARER_TOKEN="$(aws --region ${region} ssm get-parameter --with-decryption --name ${plain("tokenParameterName", a.tokenParameterName)} --query Parameter.Value --output text)"
export X_BEARER_TOKEN
${complianceCommandLine(a)}
unset X_BEARER_TOKEN
aws --region ${region} cloudwatch put-metric-data --namespace ${plain("metricNamespace", a.lifecycle.metricNamespace)} --metric-name ${COMPLIANCE_SUCCESS_METRIC} --value 1 --unit Count \\
  || echo "compliance check succeeded, but its heartbeat (${COMPLIANCE_SUCCESS_METRIC}) was not published, so the compliance alarm will fire" >&2
`;
}

/** The oneshot service and its daily timer. */
export function complianceUnits(): { service: string; timer: string } {
  const service = `[Unit]
Description=defi-sentiment X compliance check (deletions within 24 h)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
User=lifecycle
EnvironmentFile=/etc/defi-sentiment/lifecycle.env
WorkingDirectory=${LIFECYCLE_DIR}/work
ExecStart=${LIFECYCLE_DIR}/run-compliance.sh
# X compliance jobs are polled for up to a few hours; a stuck run must not block the next day.
TimeoutStartSec=20h
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=${LIFECYCLE_DIR}/work
`;
  const timer = `[Unit]
Description=Run the defi-sentiment X compliance check daily

[Timer]
OnCalendar=${COMPLIANCE_SCHEDULE}
Persistent=true
RandomizedDelaySec=15min

[Install]
WantedBy=timers.target
`;
  return { service, timer };
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
${lifecycleSection(a)}systemctl daemon-reload
systemctl enable --now ${COLLECTOR_SERVICE}.service
systemctl enable --now ${COMPLIANCE_SERVICE}.timer
`;
}

function lifecycleSection(a: CollectorUserDataArgs): string {
  const l = a.lifecycle;
  const { service, timer } = complianceUnits();
  const src = `s3://${plain("bucket", a.bucket)}/${plain("lifecycle.bundleKey", l.bundleKey)}`;
  const env = Object.entries(lifecycleEnvironment(a))
    .map(([k, v]) => `${k}=${plain(k, v)}`)
    .join("\n");
  return `# lifecycle bundle version ${plain("lifecycle.bundleVersion", l.bundleVersion)}
id lifecycle >/dev/null 2>&1 || useradd --system --home-dir ${LIFECYCLE_DIR} --shell /sbin/nologin lifecycle
install -d -m 0755 ${LIFECYCLE_DIR}
install -d -o lifecycle -g lifecycle -m 0750 ${LIFECYCLE_DIR}/work
aws --region ${plain("region", a.region)} s3 cp ${src} /tmp/lifecycle.zip
rm -rf ${LIFECYCLE_DIR}/current && mkdir -p ${LIFECYCLE_DIR}/current
unzip -q -o /tmp/lifecycle.zip -d ${LIFECYCLE_DIR}/current && rm -f /tmp/lifecycle.zip
cat > /etc/defi-sentiment/lifecycle.env <<'ENV'
${env}
ENV
cat > ${LIFECYCLE_DIR}/run-compliance.sh <<'SH'
${complianceWrapper(a)}SH
chmod 0755 ${LIFECYCLE_DIR}/run-compliance.sh
cat > /etc/systemd/system/${COMPLIANCE_SERVICE}.service <<'UNIT'
${service}UNIT
cat > /etc/systemd/system/${COMPLIANCE_SERVICE}.timer <<'UNIT'
${timer}UNIT
`;
}
