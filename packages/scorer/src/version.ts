/** Bumped whenever scoring behaviour changes, so rows can be re-scored selectively. */
export const SCORER_VERSION = "2026.11.24";
