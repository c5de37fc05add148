/**
 * Records, per synthetic post, when the Firehose-protocol test server accepted it and how many
 * times. It takes the place of the server's `accepted` array (the server pushes each record it
 * accepts, at the moment of acceptance), keeps nothing but counters in preallocated arrays, so
 * memory stays flat, and leaves forwarding to the lake to the server's `persistPath` file.
 */
import { indexOfId } from "./x-feed.ts";

const ID_AT_START = /^\{"id":"(\d+)"/;

export class FirehoseTap extends Array<Buffer> {
  /** Copies of each post the server accepted (saturates at 255). */
  readonly copies: Uint8Array;
  /** Epoch ms of the first acceptance of each post (NaN: never). */
  readonly firstAckAt: Float64Array;
  distinct = 0;
  /** Acceptances beyond the first of a post (redeliveries; the table's upsert must absorb them). */
  repeats = 0;
  /** Records that are not one of the feed's posts (must stay 0). */
  foreign = 0;

  constructor(capacity: number) {
    super();
    this.copies = new Uint8Array(capacity);
    this.firstAckAt = new Float64Array(capacity).fill(Number.NaN);
  }

  static override get [Symbol.species]() {
    return Array;
  }

  override push(...records: Buffer[]): number {
    const now = Date.now();
    for (const r of records) {
      const m = ID_AT_START.exec(r.toString("latin1", 0, 40));
      const n = m ? indexOfId(m[1]!, this.copies.length) : -1;
      if (n < 0) {
        this.foreign++;
        continue;
      }
      if (this.copies[n] === 0) {
        this.distinct++;
        this.firstAckAt[n] = now;
      } else this.repeats++;
      if (this.copies[n]! < 255) this.copies[n]!++;
    }
    return 0;
  }

  acked(n: number): boolean {
    return this.copies[n]! > 0;
  }
}
