/**
 * Data lifecycle, lake side: deleting posts everywhere the local lake holds them, listing the
 * ids held for a window, and re-scoring history from the raw objects.
 */
export * from "./local-deletion-target.ts";
export * from "./held-post-ids.ts";
export * from "./rescore-lake.ts";
export { listLakeObjects, readObjectLines, rewriteObject } from "./lake-files.ts";
export { athenaDeletionTarget, athenaHeldPostIds, athenaRunner, AthenaQueryError, idList, type AthenaDeletionTargetOptions, type AthenaRunner } from "./aws/athena-deletion-target.ts";
export { s3DeletionLog, type S3DeletionLogRecord } from "./aws/s3-deletion-log.ts";
export { s3RawDeletionTarget, S3RewriteError, createdAtOfXId, type S3RawDeletionTargetOptions } from "./aws/s3-raw-deletion-target.ts";
export { replayRawFromS3, type ReplayRawFromS3Options, type ReplayRawResult } from "./aws/replay-raw-from-s3.ts";
export { awsLakeLifecycle, type AwsLakeSettings } from "./aws/aws-lake-lifecycle.ts";
