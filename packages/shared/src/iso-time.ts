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

const CANONICAL = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `new Date(text).toISOString()`: a timestamp already in that form (as X writes them) is
 * returned as it is once its fields are checked; anything else goes through Date.
 */
export function canonicalIso(text: string): string {
  const m = CANONICAL.exec(text);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return text;
  }
  return new Date(text).toISOString();
}
