/**
 * Data lifecycle, lake side: deleting posts everywhere the local lake holds them, listing the
 * ids held for a window, and re-scoring history from the raw objects. The AWS counterparts
 * (Athena/S3 deletion targets, S3 deletion record, raw replay) are compute adapters and live in
 * the collector (`@defi-sentiment/collector`, src/compliance/aws and src/rescore).
 */
export * from "./local-deletion-target.ts";
export * from "./held-post-ids.ts";
export * from "./rescore-lake.ts";
export { listLakeObjects, readObjectLines, rewriteObject } from "./lake-files.ts";
