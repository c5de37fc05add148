/**
 * The AWS lake's lifecycle pieces wired from plain settings: the Iceberg table and raw objects
 * as deletion targets, the deletion record in the bucket, and the held ids from Athena. The
 * SDK clients use the default credential chain.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { S3Client } from "@aws-sdk/client-s3";
import { athenaDeletionTarget, athenaHeldPostIds } from "./athena-deletion-target.ts";
import { s3RawDeletionTarget } from "./s3-raw-deletion-target.ts";
import { s3DeletionLog } from "./s3-deletion-log.ts";

export interface AwsLakeSettings {
  region: string;
  bucket: string;
  keyPrefix?: string;
  database: string;
  workGroup: string;
}

export function awsLakeLifecycle(o: AwsLakeSettings) {
  const athena = new AthenaClient({ region: o.region });
  const s3 = new S3Client({ region: o.region });
  const prefix = o.keyPrefix ? { keyPrefix: o.keyPrefix } : {};
  return {
    targets: [athenaDeletionTarget({ athena, database: o.database, workGroup: o.workGroup }), s3RawDeletionTarget({ s3, bucket: o.bucket, ...prefix })],
    log: s3DeletionLog({ s3, bucket: o.bucket, ...prefix }),
    heldPostIds: (window: { start: string; end: string }) => athenaHeldPostIds({ athena, database: o.database, workGroup: o.workGroup, window }),
    recordPrefix: `s3://${o.bucket}/${o.keyPrefix ? o.keyPrefix.replace(/\/*$/, "/") : ""}compliance/`,
  };
}
