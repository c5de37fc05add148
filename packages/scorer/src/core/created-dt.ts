import { dtOf } from "@defi-sentiment/shared";

/**
 * dtOf of a post's created_at. Posts arrive in time order, so most share the hour of the one before;
 * for a timestamp in X's own form ("2026-11-03T23:59:58.000Z") dtOf depends on its first 13 chars
 * only, so the last such hour's date is reused instead of dtOf's regex test and cache lookup.
 */
let lastHour = "";
let lastDt = "";

export function createdDt(at: string): string {
  if (lastHour !== "" && at.length === 24 && at.startsWith(lastHour) && isPlainTail(at)) return lastDt;
  const dt = dtOf(at);
  if (at.length === 24 && isPlainHead(at) && isPlainTail(at)) {
    lastHour = at.slice(0, 13);
    lastDt = dt;
  }
  return dt;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** "dddd-dd-ddTHH" with an hour 00-23. */
function isPlainHead(s: string): boolean {
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 12]) if (!isDigit(s.charCodeAt(i))) return false;
  const h = s.charCodeAt(11);
  return s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && (h === 48 || h === 49 || (h === 50 && s.charCodeAt(12) <= 51));
}
/** ":MM:SS.mmmZ" (chars 13-23) with minutes and seconds 00-59. */
function isPlainTail(s: string): boolean {
  return (
    s.charCodeAt(13) === 58 && s.charCodeAt(14) >= 48 && s.charCodeAt(14) <= 53 && isDigit(s.charCodeAt(15)) &&
    s.charCodeAt(16) === 58 && s.charCodeAt(17) >= 48 && s.charCodeAt(17) <= 53 && isDigit(s.charCodeAt(18)) &&
    s.charCodeAt(19) === 46 && isDigit(s.charCodeAt(20)) && isDigit(s.charCodeAt(21)) && isDigit(s.charCodeAt(22)) && s.charCodeAt(23) === 90
  );
}
