/** What the schema compilers (fast-parse, json-writer) read of a zod definition. Internal: not exported from index. */
import type { $ZodCheck, $ZodType } from "zod/v4/core";

// zod's constructor names on every instance; the check types do not declare them
export const hasTrait = (x: $ZodType | $ZodCheck, trait: string): boolean => (x._zod as { traits?: Set<string> }).traits?.has(trait) === true;

// A schema that is itself a check (z.iso.datetime(), z.int()) runs as its own first check.
export const checksOf = (schema: $ZodType): $ZodCheck[] => [
  ...(hasTrait(schema, "$ZodCheck") ? [schema as unknown as $ZodCheck] : []),
  ...(schema._zod.def.checks ?? []),
];

// String checks that are only a regex test in zod; formats such as url or jwt run more code.
export const PATTERN_TRAITS = ["$ZodCheckRegex", "$ZodISODateTime", "$ZodISODate", "$ZodISOTime", "$ZodUUID", "$ZodGUID", "$ZodEmail", "$ZodCheckLowerCase", "$ZodCheckUpperCase"];
