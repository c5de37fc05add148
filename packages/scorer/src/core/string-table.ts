/**
 * A fixed string-keyed table, for the per-word lookups of scoring. `Map.get` with a freshly sliced
 * string first has V8 compute the string's hash out of line, which costs more than the rest of the
 * lookup; here the hash is a short inline loop over char codes, and a range of a text can be looked
 * up without slicing (or lowering) it. Same answers as a Map of the same entries.
 */
export class StringTable<V> {
  /** Each slot's key hash + 1, 0 where empty: a probe reads this compact array and touches a key only when its hash matches. */
  readonly #hashes: Int32Array;
  readonly #entries: ({ key: string; value: V } | undefined)[];
  /** Each slot's key and value again, side by side: a hit reads them without going through the entry object. */
  readonly #keys: string[];
  readonly #values: (V | undefined)[];
  readonly #mask: number;
  /** Key lengths: a range of another length is no key (lowering never shortens a string). */
  readonly #minLength: number;
  readonly #maxLength: number;

  constructor(entries: Iterable<readonly [string, V]>) {
    const list = [...entries];
    let size = 16;
    while (size < list.length * 2) size *= 2; // at most half full: misses end after a probe or two
    this.#hashes = new Int32Array(size);
    this.#entries = new Array<{ key: string; value: V } | undefined>(size).fill(undefined);
    this.#keys = new Array<string>(size).fill("");
    this.#values = new Array<V | undefined>(size).fill(undefined);
    this.#mask = size - 1;
    this.#minLength = Math.min(...list.map(([key]) => key.length));
    this.#maxLength = Math.max(...list.map(([key]) => key.length));
    for (const [key, value] of list) {
      const hash = hashOf(key, 0, key.length);
      let i = hash & this.#mask;
      while (this.#hashes[i] !== 0 && this.#entries[i]!.key !== key) i = (i + 1) & this.#mask;
      this.#hashes[i] = hash + 1;
      this.#entries[i] = { key, value }; // a repeated key keeps its last value, as Map.set does
      this.#keys[i] = key;
      this.#values[i] = value;
    }
  }

  get(key: string): V | undefined {
    if (key.length < this.#minLength || key.length > this.#maxLength) return undefined;
    const hash = hashOf(key, 0, key.length);
    for (let i = hash & this.#mask; ; i = (i + 1) & this.#mask) {
      const slot = this.#hashes[i]!;
      if (slot === 0) return undefined;
      if (slot === hash + 1 && this.#keys[i] === key) return this.#values[i];
    }
  }

  /** `get(text.slice(start, end))` without the slice. */
  getIn(text: string, start: number, end: number): V | undefined {
    const slot = this.#slotOf(text, start, end, false, hashOf(text, start, end));
    return slot < 0 ? undefined : this.#values[slot];
  }

  /**
   * The entry whose key is `text.slice(start, end).toLowerCase()`, for a range of ASCII chars only
   * (there lowering is A-Z → a-z), found without slicing or lowering: its key is the lowered word.
   */
  entryOfLowered(text: string, start: number, end: number): { key: string; value: V } | undefined {
    return this.#find(text, start, end, true);
  }

  /** `get(text.slice(start, end).toLowerCase())`; a range of ASCII chars is neither sliced nor lowered. */
  getLowered(text: string, start: number, end: number): V | undefined {
    if (end - start > this.#maxLength) return undefined;
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) return this.get(text.slice(start, end).toLowerCase());
      h = loweredHashStep(h, c);
    }
    const slot = this.#slotOf(text, start, end, true, h & HASH_BITS);
    return slot < 0 ? undefined : this.#values[slot];
  }

  /** The slot of the key `text.slice(start, end).toLowerCase()` (ASCII range, hash as for entryOfLoweredHashed), or -1: read it with keyAt and valueAt. */
  slotOfLoweredHashed(text: string, start: number, end: number, hash: number): number {
    return this.#slotOf(text, start, end, true, hash);
  }

  keyAt(slot: number): string {
    return this.#keys[slot]!;
  }

  valueAt(slot: number): V {
    return this.#values[slot]!;
  }

  /** entryOfLowered of an ASCII range whose hash a caller's own scan has built (loweredHashStep, loweredHashEnd). */
  entryOfLoweredHashed(text: string, start: number, end: number, hash: number): { key: string; value: V } | undefined {
    return this.#findHashed(text, start, end, true, hash);
  }

  #find(text: string, start: number, end: number, lower: boolean): { key: string; value: V } | undefined {
    return this.#findHashed(text, start, end, lower, hashOf(text, start, end));
  }

  #findHashed(text: string, start: number, end: number, lower: boolean, hash: number): { key: string; value: V } | undefined {
    const slot = this.#slotOf(text, start, end, lower, hash);
    return slot < 0 ? undefined : this.#entries[slot];
  }

  #slotOf(text: string, start: number, end: number, lower: boolean, hash: number): number {
    const length = end - start;
    if (length < this.#minLength || length > this.#maxLength) return -1;
    for (let i = hash & this.#mask; ; i = (i + 1) & this.#mask) {
      const slot = this.#hashes[i]!;
      if (slot === 0) return -1;
      if (slot !== hash + 1) continue;
      const key = this.#keys[i]!;
      if (key.length === length && sameChars(key, text, start, lower)) return i;
    }
  }
}

const lowerAscii = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The table's hash of a lowered ASCII range, one char at a time: from LOWERED_HASH_SEED, then loweredHashEnd. */
export const LOWERED_HASH_SEED = FNV_OFFSET;
/**
 * Every char is hashed with bit 5 set, lowered or not: A-Z then hash as a-z with no case test, and a key
 * hashes as any range that lowers to it (lowerAscii changes no char's `| 32`). Only sameChars tells case.
 */
export const loweredHashStep = (h: number, c: number) => Math.imul(h ^ (c | 32), FNV_PRIME);
export const loweredHashEnd = (h: number) => h & HASH_BITS;
/** The lowered hash of text[start, end), for a range of ASCII chars. */
export const loweredHash = (text: string, start: number, end: number) => hashOf(text, start, end);
const HASH_BITS = 0x3fffffff; // a small integer: never boxed as a heap number

/** FNV-1a over the UTF-16 code units of text[start, end), each `| 32` (so the same whether or not it is lowered). */
function hashOf(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = loweredHashStep(h, text.charCodeAt(i));
  return h & HASH_BITS;
}

function sameChars(key: string, text: string, start: number, lower: boolean): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = text.charCodeAt(start + i);
    if (key.charCodeAt(i) !== (lower ? lowerAscii(c) : c)) return false;
  }
  return true;
}

/**
 * The lowered forms of ASCII words seen lately, one per slot of their lowered hash: a capitalised
 * word the tables do not know ("Breaking", a name) is lowered once while it recurs, not on every
 * post (`toLowerCase` copies through a runtime call). Bounded: a slot holds the last word hashed to it.
 */
export class LoweredWords {
  readonly #words = new Array<string | undefined>(4096).fill(undefined);

  /** `text.slice(start, end).toLowerCase()` of an ASCII range whose lowered hash is `hash`. */
  lowered(text: string, start: number, end: number, hash: number): string {
    const slot = hash & 4095;
    const seen = this.#words[slot];
    if (seen !== undefined && seen.length === end - start && sameChars(seen, text, start, true)) return seen;
    const word = text.slice(start, end).toLowerCase();
    this.#words[slot] = word;
    return word;
  }
}
