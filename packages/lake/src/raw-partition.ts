/**
 * Which raw/ partition a record goes to: its post's own `created_at` hour, read from the bytes
 * without decoding the record (arrival time when unreadable), as Firehose's dynamic partitioning
 * would. Records come in time order, so most share the previous one's hour: a timestamp in
 * `JSON.stringify`'s form with the same date and hour is checked byte by byte and takes the
 * cached prefix; anything else takes the general path.
 */
import { dtOf, rawPrefix } from "@defi-sentiment/shared";

const CREATED_AT = /^"created_at"\s*:\s*"([^"]{10,40})"/;
const CREATED_AT_KEY = Buffer.from('"created_at"');
/** Bytes before the timestamp in the compact form: `"created_at":"`. */
const VALUE_AT = CREATED_AT_KEY.length + 2;
/** `YYYY-MM-DDTHH:MM:SS.mmmZ`: where the cached key ends (`YYYY-MM-DDTHH`), and the whole length. */
const KEY_BYTES = 13;
const ISO_BYTES = 24;
const PLAIN_HOUR = /^\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3])/;

/** A post's own `created_at`, found without decoding the whole record; null when unreadable. */
export function createdAtOf(data: Buffer): string | null {
  const at = data.indexOf(CREATED_AT_KEY);
  if (at === -1 || at > 64 * 1024) return null;
  // latin1 decodes bytes one to one (cheaper than UTF-8); a timestamp is ASCII, anything else fails below
  const m = CREATED_AT.exec(data.toString("latin1", at, at + 80));
  if (!m) return null;
  try {
    return dtOf(m[1]!) < "1970-01-02" ? null : m[1]!;
  } catch {
    return null;
  }
}

const isDigit = (b: number | undefined) => b !== undefined && b >= 48 && b <= 57;

/**
 * Whether `data[v…]` holds `:MM:SS.mmmZ"` after a cached key (minutes and seconds in range, as
 * the general path requires); the key's own bytes are compared by the caller.
 */
function restIsCanonical(data: Buffer, v: number): boolean {
  return (
    data[v + 13] === 58 /* : */ &&
    isDigit(data[v + 14]) && data[v + 14]! <= 53 /* 5 */ && isDigit(data[v + 15]) &&
    data[v + 16] === 58 &&
    isDigit(data[v + 17]) && data[v + 17]! <= 53 && isDigit(data[v + 18]) &&
    data[v + 19] === 46 /* . */ &&
    isDigit(data[v + 20]) && isDigit(data[v + 21]) && isDigit(data[v + 22]) &&
    data[v + 23] === 90 /* Z */ &&
    data[v + 24] === 34 /* " */
  );
}

/**
 * `rawPrefix(createdAtOf(record) ?? new Date(arrivedAt))` of the record `bytes[start … end)`,
 * remembering the last hour seen. Records are read in place (no view per record); `bytes` must
 * not change while one instance reads it.
 */
export class RawPartitions {
  private key = Buffer.alloc(KEY_BYTES);
  private prefix: string | null = null;
  /** The last search for the key: from `searchedFrom` in `searched`, first found at `found` (-1: none). */
  private searched: Buffer | null = null;
  private searchedFrom = 0;
  private found = -1;

  /** Compared here rather than by `Buffer.compare`: a native call costs more than 13 bytes. */
  private sameKey(data: Buffer, v: number): boolean {
    for (let k = 0; k < KEY_BYTES; k++) if (data[v + k] !== this.key[k]) return false;
    return true;
  }

  /**
   * Where the key first occurs in `bytes` at or after `start` (perhaps past the record). A search
   * that ran past records without the key answers for them too: records with no key cost one
   * pass over the bytes, not one to the end of the buffer each.
   */
  private keyFrom(bytes: Buffer, start: number): number {
    if (bytes === this.searched && start >= this.searchedFrom && (this.found === -1 || start <= this.found)) return this.found;
    this.searched = bytes;
    this.searchedFrom = start;
    return (this.found = bytes.indexOf(CREATED_AT_KEY, start));
  }

  of(bytes: Buffer, start: number, end: number, arrivedAt: number): string {
    const at = this.keyFrom(bytes, start);
    const v = at + VALUE_AT;
    // a key found past the record (or running over its end) fails `v + ISO_BYTES < end`
    const compact = at !== -1 && at - start <= 64 * 1024 && v + ISO_BYTES < end && bytes[at + CREATED_AT_KEY.length] === 58 && bytes[at + CREATED_AT_KEY.length + 1] === 34;
    if (compact && this.prefix !== null && this.sameKey(bytes, v) && restIsCanonical(bytes, v)) return this.prefix;
    const createdAt = createdAtOf(bytes.subarray(start, end));
    const prefix = rawPrefix(createdAt ?? new Date(arrivedAt));
    // only a plain UTC timestamp in the compact form becomes the cached hour: then every later one
    // with the same date and hour reads the same (a Date-only form such as T24:00 would not)
    if (compact && createdAt !== null && createdAt.length === ISO_BYTES && PLAIN_HOUR.test(createdAt) && restIsCanonical(bytes, v)) {
      bytes.copy(this.key, 0, v, v + KEY_BYTES);
      this.prefix = prefix;
    }
    return prefix;
  }
}
