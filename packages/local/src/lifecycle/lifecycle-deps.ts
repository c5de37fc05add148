/**
 * The lifecycle APIs of lake and collector. Relative imports for now: `lake/src/index.ts` and
 * `collector/src/index.ts` do not re-export their lifecycle modules yet (owned by other
 * engineers). Once they add `export * from "./lifecycle/index.ts"` / `"./compliance/index.ts"`,
 * replace these two lines with `@defi-sentiment/lake` and `@defi-sentiment/collector`.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- until lake's index exports lifecycle (see above)
export * from "../../../lake/src/lifecycle/index.ts";
// eslint-disable-next-line @nx/enforce-module-boundaries -- until collector's index exports compliance (see above)
export * from "../../../collector/src/compliance/index.ts";
