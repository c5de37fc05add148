/**
 * The dedupe window as it was before the typed-array table: a ring plus a Set of strings. The
 * model `RecentIds` must agree with (core/recent-ids.test.ts) and its baseline in bench/recent-ids.ts.
 */
export class SetRecentIds {
  private readonly ring: (string | undefined)[];
  private readonly present = new Set<string>();
  private next = 0;
  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }
  has(id: string): boolean {
    return this.present.has(id);
  }
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
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const id = this.ring[(this.next + i) % this.capacity];
      if (id !== undefined) out.push(id);
    }
    return out;
  }
}
