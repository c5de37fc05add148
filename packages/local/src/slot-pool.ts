import { packedCapacity } from "@defi-sentiment/shared";

/**
 * Slots of SharedArrayBuffer memory, reused: what crosses between the main thread and a scoring
 * worker, so that no new memory is made per invocation once the pool holds enough slots.
 */
export class SlotPool {
  /** By id; a dropped slot's id is never used again. */
  private readonly slots = new Map<number, SharedArrayBuffer>();
  private readonly ids = new Map<ArrayBufferLike, number>();
  private readonly free: number[] = [];
  private next = 0;

  /** `maxFree`: free slots kept for reuse; one given back beyond them is dropped. */
  constructor(private readonly maxFree = 64) {}

  /** A free slot of at least `bytes` (made when none is). */
  take(bytes: number): number {
    for (let k = this.free.length - 1; k >= 0; k--) {
      const id = this.free[k]!;
      if (this.slots.get(id)!.byteLength >= bytes) {
        this.free.splice(k, 1);
        return id;
      }
    }
    const memory = new SharedArrayBuffer(packedCapacity(bytes));
    const id = this.next++;
    this.slots.set(id, memory);
    this.ids.set(memory, id);
    return id;
  }

  memory(id: number): SharedArrayBuffer {
    const memory = this.slots.get(id);
    if (!memory) throw new RangeError(`no slot ${id}`);
    return memory;
  }

  /** Gives a slot back; returns false when it was dropped instead of kept (more than `maxFree` free). */
  give(id: number): boolean {
    const memory = this.slots.get(id);
    if (!memory || this.free.includes(id)) throw new Error(`slot ${id} is not taken`);
    if (this.free.length < this.maxFree) {
      this.free.push(id);
      return true;
    }
    this.slots.delete(id);
    this.ids.delete(memory);
    return false;
  }

  /** The slot `memory` is, if it is one. */
  idOf(memory: ArrayBufferLike): number | undefined {
    return this.ids.get(memory);
  }

  /** Slots held, taken or free. */
  get size(): number {
    return this.slots.size;
  }
}
