/**
 * Persists the dedupe window (`RecentIds`) as `recent-ids.txt` in the spool directory: ids are
 * appended after the posts they belong to are durable in the spool, and the file is rewritten
 * (tmp + rename) with just the window when it grows past twice the window.
 *
 * Ids are appended without fsync: after kill -9 the kernel still has them; after a power loss
 * the tail may be missing, and `DiskSpool` recovery re-adds the ids of the newest segment, so
 * at worst a re-read post is delivered twice (at-least-once; the lake upserts by id).
 */
import { appendFile, open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { RecentIds } from "./core/recent-ids.ts";

export const RECENT_IDS_FILE = "recent-ids.txt";

export class RecentIdsFile {
  private lines = 0;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly ids: RecentIds,
  ) {}

  static async open(spoolDir: string, capacity: number): Promise<RecentIdsFile> {
    const file = path.join(spoolDir, RECENT_IDS_FILE);
    const store = new RecentIdsFile(file, new RecentIds(capacity));
    let text = "";
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    for (const id of text.split("\n")) {
      if (!id) continue;
      store.ids.add(id);
      store.lines++;
    }
    return store;
  }

  /** Adds ids (already durable in the spool) to memory and to the file. */
  remember(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.ids.add(id);
    const run = this.chain.then(async () => {
      if (ids.length === 0) return;
      await appendFile(this.file, ids.join("\n") + "\n");
      this.lines += ids.length;
      if (this.lines > 2 * this.ids.capacity) await this.compact();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Adds ids to memory only (recovered from the spool itself). */
  recall(ids: Iterable<string>): void {
    for (const id of ids) this.ids.add(id);
  }

  private async compact(): Promise<void> {
    const ids = this.ids.toArray();
    const tmp = `${this.file}.tmp`;
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(ids.length ? ids.join("\n") + "\n" : "");
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
    this.lines = ids.length;
  }

  async flush(): Promise<void> {
    await this.chain;
  }
}
