/**
 * Records that can never be delivered (oversize, rejected too often, not a post with a string id)
 * go here instead of disappearing: NDJSON files `dead-letter-YYYY-MM-DD.ndjson`, one line per
 * record with the reason and the record's full text, written with fsync before we move on.
 */
import { mkdir, open } from "node:fs/promises";
import path from "node:path";

export type DeadLetterReason = "oversize" | "rejected" | "invalid";

export interface DeadLetterEntry {
  reason: DeadLetterReason;
  /** The Firehose record exactly as it would have been sent. */
  record: Buffer;
  errorCode?: string;
  errorMessage?: string;
}

export interface DeadLetterLine {
  at: string;
  reason: DeadLetterReason;
  id: string | null;
  bytes: number;
  errorCode?: string;
  errorMessage?: string;
  /** The record's text (without its final newline). */
  record: string;
}

function idOf(text: string): string | null {
  try {
    const v = JSON.parse(text) as { id?: unknown };
    return typeof v?.id === "string" ? v.id : null;
  } catch {
    return null;
  }
}

export class DeadLetterFile {
  constructor(
    readonly dir: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** File the entries are written to today. */
  fileFor(now = this.clock()): string {
    return path.join(this.dir, `dead-letter-${new Date(now).toISOString().slice(0, 10)}.ndjson`);
  }

  async write(entries: readonly DeadLetterEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    const now = this.clock();
    let out = "";
    for (const e of entries) {
      const text = e.record.toString("utf8").replace(/\n$/, "");
      const line: DeadLetterLine = {
        at: new Date(now).toISOString(),
        reason: e.reason,
        id: idOf(text),
        bytes: e.record.length,
        ...(e.errorCode ? { errorCode: e.errorCode } : {}),
        ...(e.errorMessage ? { errorMessage: e.errorMessage } : {}),
        record: text,
      };
      out += JSON.stringify(line) + "\n";
    }
    const handle = await open(this.fileFor(now), "a");
    try {
      await handle.write(out);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}
