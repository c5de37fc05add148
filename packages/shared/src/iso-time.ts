/**
 * ISO-8601 UTC timestamps as `Date.prototype.toISOString` writes them, without a Date per call.
 * Every post carries two or three of them and `toISOString` costs more than a microsecond on
 * Node 20, a measurable share of collecting a million posts.
 */

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: four-digit years only; outside that, Date does it. */
const MAX_FAST_MS = 253_402_300_800_000;

let lastMs = Number.NaN;
let lastIso = "";

/** `new Date(ms).toISOString()`, byte for byte (and the same RangeError for an invalid time). */
export function isoOfMs(ms: number): string {
  if (ms === lastMs) return lastIso;
  if (!(ms >= 0 && ms < MAX_FAST_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  // civil-from-days (H. Hinnant), for days since 1970-01-01 ≥ 0
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  lastMs = ms;
  lastIso = `${PAD2[Math.floor(year / 100)]}${PAD2[year % 100]}-${PAD2[month]}-${PAD2[day]}T${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}.${PAD3[milli]}Z`;
  return lastIso;
}

/** `date.toISOString()`. */
export const isoOf = (date: Date): string => isoOfMs(date.getTime());

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at `i` of `s` (0–9), or -1: read by char code, as a regex match would cost a match array and substrings. */
function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Where the digits of `YYYY-MM-DDTHH:MM:SS.mmmZ` are. */
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

/** Whether `text` is `YYYY-MM-DDTHH:MM:SS.mmmZ` with a real date, hours 00–23 and minutes and seconds 00–59. */
export function isCanonicalIso(text: string): boolean {
  if (text.length !== 24) return false;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 /* T */) return false;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46 || text.charCodeAt(23) !== 90 /* Z */) return false;
  for (const i of DIGIT_POSITIONS) if (digitAt(text, i) < 0) return false;
  const hour = digitAt(text, 11) * 10 + digitAt(text, 12);
  if (hour > 23 || digitAt(text, 14) > 5 || digitAt(text, 17) > 5) return false;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * `new Date(text).toISOString()`: a timestamp already in that form (as X writes them) is
 * returned as it is once its fields are checked; anything else goes through Date.
 */
export function canonicalIso(text: string): string {
  return isCanonicalIso(text) ? text : new Date(text).toISOString();
}
