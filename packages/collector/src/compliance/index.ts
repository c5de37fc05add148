/**
 * Data lifecycle, collector side: X batch compliance jobs and stream deletion notices, applied
 * to every store through `DeletionTarget`s and recorded under `compliance/`.
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
