/** Hand-written profile locations and the country they name (null = not a place, or ambiguous). */
export const LOCATION_FIXTURE: [string, string | null][] = [["London, UK", "GB"], ["Metaverse", null]];
