/**
 * The post ids seen most recently, bounded: a ring of the last `capacity` ids plus a Set for
 * O(1) lookups. Adding an id already present does not refresh it (a ring, not a strict LRU):
 * duplicates arrive close together, so the difference never matters and memory stays fixed.
 */
export class RecentIds {
  private readonly ring: (string | undefined)[];
  private readonly present = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedupeWindow must be a positive integer, got ${capacity}`);
    this.ring = new Array(capacity);
  }

  has(id: string): boolean {
    return this.present.has(id);
  }

  /** Remembers `id`, forgetting the oldest when full. Returns false if it was already there. */
  add(id: string): boolean {
    if (this.present.has(id)) return false;
    const old = this.ring[this.next];
    if (old !== undefined) this.present.delete(old);
    this.ring[this.next] = id;
    this.present.add(id);
    this.next = (this.next + 1) % this.capacity;
    return true;
  }

  get size(): number {
    return this.present.size;
  }

  /** Ids oldest first, as they should be written to re-create this state. */
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const id = this.ring[(this.next + i) % this.capacity];
      if (id !== undefined) out.push(id);
    }
    return out;
  }
}
