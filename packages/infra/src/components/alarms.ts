/**
 * Alarms on a KMS-encrypted SNS topic: Firehose throttling, failed deliveries, stale data, scorer
 * errors, the collector heartbeat (nothing arriving at the stream for N minutes) and the daily
 * compliance check's heartbeat (no successful run for a day and a bit). The rescore stream gets the
 * same delivery alarms. Thresholds come from the stack config.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPLIANCE_SUCCESS_METRIC } from "../core/lifecycle-metric.ts";
import type { InfraConfig } from "../config.ts";
import type { Tags } from "../core/tags.ts";

export interface AlarmsArgs {
  alarms: InfraConfig["alarms"];
  keyArn: pulumi.Input<string>;
  streamName: pulumi.Input<string>;
  /** The rescore stream: the main stream's delivery alarms, but no heartbeat (it is idle between replays). */
  rescoreStreamName: pulumi.Input<string>;
  functionName: pulumi.Input<string>;
  /** Where the compliance wrapper publishes its success heartbeat (`lifecycleMetricNamespace`). */
  lifecycleMetricNamespace: string;
  tags: Tags;
}

/** One alarm's shape, as plain data (see `alarmSpecs`). */
export interface AlarmSpec {
  id: string;
  description: string;
  /** `AWS/…`, or the stack's own lifecycle namespace for the compliance heartbeat. */
  namespace: string;
  metricName: string;
  statistic: "Sum" | "Minimum" | "Maximum" | "Average";
  comparisonOperator: "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "GreaterThanThreshold";
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  /** M of the N evaluation periods that must breach; CloudWatch's default is all of them. */
  datapointsToAlarm?: number;
  treatMissingData: "breaching" | "notBreaching";
  /** Absent for our own metric, published without dimensions (its namespace is per stack). */
  dimension?: "DeliveryStreamName" | "FunctionName";
  /** Which delivery stream a `DeliveryStreamName` alarm watches; default the collector's. */
  stream?: "main" | "rescore";
}

/** Alarms of the main stream that also apply to a replay: throttling, failed or stale delivery. */
export const RESCORE_ALARM_IDS = ["throttled", "iceberg-delivery-failed", "data-freshness"] as const;

export function rescoreAlarmSpecs(a: InfraConfig["alarms"]): AlarmSpec[] {
  return alarmSpecs(a)
    .filter((s) => (RESCORE_ALARM_IDS as readonly string[]).includes(s.id))
    .map((s) => ({ ...s, id: `rescore-${s.id}`, description: `rescore stream: ${s.description.replace("the collector's", "the rescore job's")}`, stream: "rescore" as const }));
}

/**
 * Hours without a successful compliance run before the alarm fires: the timer runs daily at 03:00
 * UTC with up to 15 min of jitter, so 26 h allows a run to end about 1¾ h later than the previous
 * day's before it counts as missed. X expects deletions within 24 h, so more slack would hide a miss.
 */
export const COMPLIANCE_HEARTBEAT_HOURS = 26;

/** The compliance check's heartbeat: fires when no success data point arrived for 26 hourly periods. */
export function complianceAlarmSpec(namespace: string): AlarmSpec {
  return {
    id: "compliance-heartbeat",
    description: `The daily X compliance check has not succeeded for ${COMPLIANCE_HEARTBEAT_HOURS} hours: deletions may be overdue (journalctl -u defi-sentiment-compliance on the collector host)`,
    namespace,
    metricName: COMPLIANCE_SUCCESS_METRIC,
    statistic: "Sum",
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    periodSeconds: 3600,
    evaluationPeriods: COMPLIANCE_HEARTBEAT_HOURS,
    datapointsToAlarm: COMPLIANCE_HEARTBEAT_HOURS,
    // No data point in an hour is the normal case between runs; only 26 empty hours in a row alarm.
    treatMissingData: "breaching",
  };
}

/**
 * CloudWatch's limit on an alarm's window (PutMetricAlarm `Period`): period × evaluation periods at
 * most 7 days, or 1 day for periods under an hour.
 */
export function evaluationWindowProblem(s: AlarmSpec): string | undefined {
  const max = s.periodSeconds >= 3600 ? 604_800 : 86_400;
  const window = s.periodSeconds * s.evaluationPeriods;
  if (window > max) return `${s.id}: ${s.periodSeconds} s × ${s.evaluationPeriods} periods = ${window} s exceeds CloudWatch's ${max} s`;
  if (s.datapointsToAlarm !== undefined && (s.datapointsToAlarm < 1 || s.datapointsToAlarm > s.evaluationPeriods)) {
    return `${s.id}: datapointsToAlarm ${s.datapointsToAlarm} is outside 1..${s.evaluationPeriods}`;
  }
  return undefined;
}

export function alarmSpecs(a: InfraConfig["alarms"]): AlarmSpec[] {
  const firehose = { namespace: "AWS/Firehose", dimension: "DeliveryStreamName" } as const;
  return [
    {
      ...firehose,
      id: "throttled",
      description: "Firehose is throttling the collector's PutRecordBatch calls",
      metricName: "ThrottledRecords",
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: a.throttledRecordsThreshold,
      periodSeconds: 300,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
    {
      ...firehose,
      id: "iceberg-delivery-failed",
      description: "Records are failing to reach the Iceberg table",
      metricName: "DeliveryToIceberg.Success",
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      periodSeconds: 300,
      evaluationPeriods: 2,
      treatMissingData: "notBreaching",
    },
    {
      ...firehose,
      id: "backup-delivery-failed",
      description: "Raw backups are failing to reach S3",
      metricName: "BackupToS3.Success",
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      periodSeconds: 300,
      evaluationPeriods: 2,
      treatMissingData: "notBreaching",
    },
    {
      ...firehose,
      id: "data-freshness",
      description: "The oldest record in Firehose has waited too long for delivery to Iceberg",
      metricName: "DeliveryToIceberg.DataFreshness",
      statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: a.dataFreshnessSeconds,
      periodSeconds: 300,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
    {
      ...firehose,
      id: "collector-heartbeat",
      description: `No records reached the stream for ${a.heartbeatMinutes} minutes: the collector is down or stuck`,
      metricName: "IncomingRecords",
      statistic: "Sum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      periodSeconds: 60,
      evaluationPeriods: a.heartbeatMinutes,
      treatMissingData: "breaching",
    },
    {
      namespace: "AWS/Lambda",
      dimension: "FunctionName",
      id: "scorer-errors",
      description: "The scorer Lambda is failing invocations (Firehose will retry, then write errors/)",
      metricName: "Errors",
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: a.lambdaErrorsThreshold,
      periodSeconds: 300,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
  ];
}

export class Alarms extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("defi-sentiment:alarms:Alarms", name, {}, opts);
    const parent = { parent: this };

    this.topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: args.keyArn, tags: args.tags }, parent);
    if (args.alarms.email !== undefined) {
      new aws.sns.TopicSubscription(`${name}-email`, { topic: this.topic.arn, protocol: "email", endpoint: args.alarms.email }, parent);
    }

    for (const s of [...alarmSpecs(args.alarms), ...rescoreAlarmSpecs(args.alarms), complianceAlarmSpec(args.lifecycleMetricNamespace)]) {
      const problem = evaluationWindowProblem(s);
      if (problem !== undefined) throw new RangeError(`Alarms: ${problem}`);
      const dimensionValue = s.dimension === "FunctionName" ? args.functionName : s.stream === "rescore" ? args.rescoreStreamName : args.streamName;
      this.alarms[s.id] = new aws.cloudwatch.MetricAlarm(
        `${name}-${s.id}`,
        {
          alarmDescription: s.description,
          namespace: s.namespace,
          metricName: s.metricName,
          ...(s.dimension === undefined ? {} : { dimensions: { [s.dimension]: dimensionValue } }),
          statistic: s.statistic,
          comparisonOperator: s.comparisonOperator,
          threshold: s.threshold,
          period: s.periodSeconds,
          evaluationPeriods: s.evaluationPeriods,
          ...(s.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: s.datapointsToAlarm }),
          treatMissingData: s.treatMissingData,
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
          tags: args.tags,
        },
        parent,
      );
    }
    this.registerOutputs({ topicArn: this.topic.arn });
  }
}
