/**
 * Data lifecycle, collector side: X batch compliance jobs and stream deletion notices, applied
 * to every store through `DeletionTarget`s and recorded under `compliance/`; the AWS lake's
 * targets, record and tombstones (aws/).
 */
export * from "./compliance-plan.ts";
export * from "./compliance-client.ts";
export * from "./deletion-notice.ts";
export * from "./deletion-target.ts";
export * from "./deletion-log.ts";
export * from "./run-compliance-check.ts";
export * from "./apply-deletion-notices.ts";
export * from "./deletion-tombstones.ts";
export * from "./deletion-notice-applier.ts";
export { athenaDeletionTarget, athenaHeldPostIds, athenaRunner, AthenaQueryError, idList, type AthenaDeletionTargetOptions, type AthenaRunner } from "./aws/athena-deletion-target.ts";
export { s3DeletionLog, type S3DeletionLogRecord } from "./aws/s3-deletion-log.ts";
export { s3RawDeletionTarget, S3RewriteError, createdAtOfXId, type S3RawDeletionTargetOptions } from "./aws/s3-raw-deletion-target.ts";
export { awsLakeLifecycle, type AwsLakeSettings } from "./aws/aws-lake-lifecycle.ts";
export { s3DeletionTombstones, type S3DeletionTombstonesOptions } from "./aws/s3-deletion-tombstones.ts";
