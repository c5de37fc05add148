/**
 * The lifecycle APIs of lake and collector in one place. Lake's come from its package index.
 * The collector's are a relative import for now: `collector/src/index.ts` (owned by the
 * collector engineers) does not re-export `./compliance/index.ts` yet. Once it does, replace the
 * second line with `export * from "@defi-sentiment/collector"`-style named imports.
 */
export * from "@defi-sentiment/lake";
// eslint-disable-next-line @nx/enforce-module-boundaries -- until collector's index exports compliance (see above)
export * from "../../../collector/src/compliance/index.ts";
