/**
 * The AWS lake's lifecycle pieces wired from plain settings: the Iceberg table and raw objects
 * as deletion targets, the deletion record in the bucket, the tombstones read back from it, and
 * the held ids from Athena. The SDK clients use the default credential chain unless credentials
 * are given (endpoint overrides: a VPC endpoint or a local server in tests). The SDKs load when
 * the lake is wired here, not when the collector is imported (see load-later.ts).
 */
import { loadLater } from "../../load-later.ts";
import { athenaDeletionTarget, athenaHeldPostIds } from "./athena-deletion-target.ts";
import { s3RawDeletionTarget } from "./s3-raw-deletion-target.ts";
import { s3DeletionLog } from "./s3-deletion-log.ts";
import { s3DeletionTombstones } from "./s3-deletion-tombstones.ts";

export interface AwsLakeSettings {
  region: string;
  bucket: string;
  keyPrefix?: string;
  database: string;
  workGroup: string;
  /** Endpoint overrides; S3 then uses path-style addressing. */
  s3Endpoint?: string;
  athenaEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function awsLakeLifecycle(o: AwsLakeSettings) {
  const credentials = o.credentials ? { credentials: o.credentials } : {};
  const athenaConfig = { region: o.region, ...credentials, ...(o.athenaEndpoint ? { endpoint: o.athenaEndpoint } : {}) };
  const s3Config = {
    region: o.region,
    ...credentials,
    ...(o.s3Endpoint ? { endpoint: o.s3Endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  } as const;
  const athena = loadLater(async () => new (await import("@aws-sdk/client-athena")).AthenaClient(athenaConfig));
  const s3 = loadLater(async () => new (await import("@aws-sdk/client-s3")).S3Client(s3Config));
  const prefix = o.keyPrefix ? { keyPrefix: o.keyPrefix } : {};
  return {
    targets: [athenaDeletionTarget({ athena, database: o.database, workGroup: o.workGroup }), s3RawDeletionTarget({ s3, bucket: o.bucket, ...prefix })],
    log: s3DeletionLog({ s3, bucket: o.bucket, ...prefix }),
    tombstones: s3DeletionTombstones({ s3, bucket: o.bucket, ...prefix }),
    heldPostIds: (window: { start: string; end: string }) => athenaHeldPostIds({ athena, database: o.database, workGroup: o.workGroup, window }),
    recordPrefix: `s3://${o.bucket}/${o.keyPrefix ? o.keyPrefix.replace(/\/*$/, "/") : ""}compliance/`,
    close() {
      // Once loaded; a client that failed to load has nothing to close.
      void athena.then((c) => c.destroy(), () => {});
      void s3.then((c) => c.destroy(), () => {});
    },
  };
}
