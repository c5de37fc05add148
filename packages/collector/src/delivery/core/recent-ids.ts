/**
 * The post ids seen most recently, bounded: a ring of the last `capacity` ids plus a hash set for
 * O(1) lookups. Adding an id already present does not refresh it (a ring, not a strict LRU):
 * duplicates arrive close together, so the difference never matters and memory stays fixed.
 *
 * X ids (decimal, no leading zero, at most 19 digits) are kept as two 32-bit words in typed
 * arrays rather than as strings: with the default 200k window, a Set of strings cost ~2.5 CPU-s
 * per 1M posts and gave every major GC 200k strings to mark (bench/recent-ids.ts compares the
 * two). Any other string goes to a small fallback Set, so the behaviour is the same for every id.
 *
 * @example
 * const seen = new RecentIds(3);
 * seen.add("1850000000000000001"); // true
 * seen.add("1850000000000000001"); // false: already there
 */
export class RecentIds {
  /** Open-addressing table (linear probing, backward-shift deletion): two words per slot, (0, 0) = empty. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** The ring, two words per position: (0, 0) = empty, FALLBACK in the second word = a string in `fallbackAt`. */
  private readonly ring: Int32Array;
  private next = 0;
  private numeric = 0;
  private readonly fallback = new Set<string>();
  private readonly fallbackAt = new Map<number, string>();
  /** The key of the id last given to `parse`. */
  private w0 = 0;
  private w1 = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedupeWindow must be a positive integer, got ${capacity}`);
    // ≥ 2× capacity keeps the load ≤ 1/2, so probe runs stay short.
    let slots = 8;
    while (slots < 2 * capacity) slots *= 2;
    this.table = new Int32Array(2 * slots);
    this.mask = slots - 1;
    this.ring = new Int32Array(2 * capacity);
  }

  has(id: string): boolean {
    if (this.parse(id)) return this.find(this.w0, this.w1) >= 0;
    return this.fallback.size > 0 && this.fallback.has(id);
  }

  /** Remembers `id`, forgetting the oldest when full. Returns false if it was already there. */
  add(id: string): boolean {
    const isNumeric = this.parse(id);
    const w0 = this.w0;
    const w1 = this.w1;
    if (isNumeric ? this.find(w0, w1) >= 0 : this.fallback.has(id)) return false;
    const at = this.next;
    const r = 2 * at;
    const old0 = this.ring[r]!;
    const old1 = this.ring[r + 1]!;
    if (old1 === FALLBACK) {
      this.fallback.delete(this.fallbackAt.get(at)!);
      this.fallbackAt.delete(at);
    } else if ((old0 | old1) !== 0) {
      this.remove(old0, old1);
    }
    if (isNumeric) {
      this.insert(w0, w1);
      this.ring[r] = w0;
      this.ring[r + 1] = w1;
    } else {
      this.fallback.add(id);
      this.fallbackAt.set(at, id);
      this.ring[r] = 0;
      this.ring[r + 1] = FALLBACK;
    }
    this.next = at + 1 === this.capacity ? 0 : at + 1;
    return true;
  }

  get size(): number {
    return this.numeric + this.fallback.size;
  }

  /** Ids oldest first, as they should be written to re-create this state. */
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const at = (this.next + i) % this.capacity;
      const w0 = this.ring[2 * at]!;
      const w1 = this.ring[2 * at + 1]!;
      if (w1 === FALLBACK) out.push(this.fallbackAt.get(at)!);
      else if ((w0 | w1) !== 0) out.push(idOf(w0, w1));
    }
    return out;
  }

  /**
   * If `id` matches /^[1-9]\d{0,18}$/, sets (w0, w1) to its key and returns true. The id is
   * hi·10⁹ + lo with lo the last 9 digits and hi < 10¹⁰ (exact in a double); lo < 2³⁰ and
   * hi < 2³⁴ pack into 64 bits: w0 = lo | (hi mod 4) << 30, w1 = ⌊hi / 4⌋ < 2.5·10⁹, both kept
   * as int32 (wrapped) so V8 never boxes them. With no leading zero, (hi, lo) gives back the
   * exact string, and (0, 0) ("0") never occurs.
   */
  private parse(id: string): boolean {
    const n = id.length;
    if (n === 0 || n > 19) return false;
    const first = id.charCodeAt(0) - 48;
    if (first < 1 || first > 9) return false;
    let hi = 0;
    let i = 0;
    for (; i < n - 9; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      hi = hi * 10 + d;
    }
    let lo = 0;
    for (; i < n; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      lo = lo * 10 + d;
    }
    const q = Math.floor(hi / 4);
    this.w0 = lo | ((hi - 4 * q) << 30);
    this.w1 = q | 0;
    return true;
  }

  /** The slot holding (w0, w1), or -1. */
  private find(w0: number, w1: number): number {
    const t = this.table;
    const mask = this.mask;
    let i = hashOf(w0, w1) & mask;
    for (;;) {
      const a = t[2 * i]!;
      const b = t[2 * i + 1]!;
      if (a === w0 && b === w1) return i;
      if ((a | b) === 0) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Puts a key known to be absent in the first empty slot of its probe run. */
  private insert(w0: number, w1: number): void {
    const t = this.table;
    const mask = this.mask;
    let i = hashOf(w0, w1) & mask;
    while ((t[2 * i]! | t[2 * i + 1]!) !== 0) i = (i + 1) & mask;
    t[2 * i] = w0;
    t[2 * i + 1] = w1;
    this.numeric++;
  }

  /**
   * Deletes a key known to be present, then shifts later entries of the run back into the gap
   * (no tombstones, so lookups never slow down however long the collector runs).
   */
  private remove(w0: number, w1: number): void {
    const t = this.table;
    const mask = this.mask;
    let gap = this.find(w0, w1);
    let j = gap;
    for (;;) {
      j = (j + 1) & mask;
      const a = t[2 * j]!;
      const b = t[2 * j + 1]!;
      if ((a | b) === 0) break;
      const home = hashOf(a, b) & mask;
      // The entry at j may fill the gap unless its home lies cyclically in (gap, j].
      if (gap <= j ? home <= gap || home > j : home <= gap && home > j) {
        t[2 * gap] = a;
        t[2 * gap + 1] = b;
        gap = j;
      }
    }
    t[2 * gap] = 0;
    t[2 * gap + 1] = 0;
    this.numeric--;
  }
}

/** Marks a ring position holding a non-numeric id: a numeric key's w1 is < 2.5·10⁹, never 0xffffffff. */
const FALLBACK = -1;

/** 32-bit mix of both words (murmur3 finaliser), so sequential ids spread over the table. */
function hashOf(w0: number, w1: number): number {
  let h = Math.imul(w0, 0xcc9e2d51) ^ w1;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const ZEROS = ["", "0", "00", "000", "0000", "00000", "000000", "0000000", "00000000"];

function idOf(w0: number, w1: number): string {
  const lo = w0 & 0x3fffffff;
  const hi = (w1 >>> 0) * 4 + (w0 >>> 30);
  if (hi === 0) return String(lo);
  const low = String(lo);
  return String(hi) + ZEROS[9 - low.length]! + low;
}
