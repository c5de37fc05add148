/**
 * A fixed string-keyed table, for the per-word lookups of scoring. `Map.get` with a freshly sliced
 * string first has V8 compute the string's hash out of line, which costs more than the rest of the
 * lookup; here the hash is a short inline loop over char codes, and a range of a text can be looked
 * up without slicing (or lowering) it. Same answers as a Map of the same entries.
 */
export class StringTable<V> {
  readonly #keys: (string | undefined)[];
  readonly #entries: ({ key: string; value: V } | undefined)[];
  readonly #mask: number;

  constructor(entries: Iterable<readonly [string, V]>) {
    const list = [...entries];
    let size = 16;
    while (size < list.length * 4) size *= 2; // mostly empty: few probes, and misses end fast
    this.#keys = new Array<string | undefined>(size).fill(undefined);
    this.#entries = new Array<{ key: string; value: V } | undefined>(size).fill(undefined);
    this.#mask = size - 1;
    for (const [key, value] of list) {
      let i = hashOf(key, 0, key.length, false) & this.#mask;
      while (this.#keys[i] !== undefined && this.#keys[i] !== key) i = (i + 1) & this.#mask;
      this.#keys[i] = key; // a repeated key keeps its last value, as Map.set does
      this.#entries[i] = { key, value };
    }
  }

  get(key: string): V | undefined {
    for (let i = hashOf(key, 0, key.length, false) & this.#mask; ; i = (i + 1) & this.#mask) {
      const k = this.#keys[i];
      if (k === undefined) return undefined;
      if (k === key) return this.#entries[i]!.value;
    }
  }

  /** `get(text.slice(start, end))` without the slice. */
  getIn(text: string, start: number, end: number): V | undefined {
    return this.#find(text, start, end, false)?.value;
  }

  /**
   * The entry whose key is `text.slice(start, end).toLowerCase()`, for a range of ASCII chars only
   * (there lowering is A-Z → a-z), found without slicing or lowering: its key is the lowered word.
   */
  entryOfLowered(text: string, start: number, end: number): { key: string; value: V } | undefined {
    return this.#find(text, start, end, true);
  }

  #find(text: string, start: number, end: number, lower: boolean): { key: string; value: V } | undefined {
    const length = end - start;
    for (let i = hashOf(text, start, end, lower) & this.#mask; ; i = (i + 1) & this.#mask) {
      const k = this.#keys[i];
      if (k === undefined) return undefined;
      if (k.length === length && sameChars(k, text, start, lower)) return this.#entries[i];
    }
  }
}

const lowerAscii = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** FNV-1a over the UTF-16 code units of text[start, end), A-Z read as a-z if `lower`. */
function hashOf(text: string, start: number, end: number, lower: boolean): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (lower ? lowerAscii(c) : c), 0x01000193);
  }
  return h & 0x3fffffff; // a small integer: never boxed as a heap number
}

function sameChars(key: string, text: string, start: number, lower: boolean): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = text.charCodeAt(start + i);
    if (key.charCodeAt(i) !== (lower ? lowerAscii(c) : c)) return false;
  }
  return true;
}
