/** The lifecycle APIs of lake and collector in one place. */
export * from "@defi-sentiment/lake";
export * from "@defi-sentiment/collector";
