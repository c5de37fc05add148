/**
 * Tombstones: the ids (and authors) the deletion record says we removed, so a post that comes
 * back through a backfill or a replay of an old response file is not stored again. Read from
 * the lake folder's `compliance/dt=*\/deletions.ndjson` (the AWS lake's record: aws/s3-deletion-
 * tombstones.ts); `planned` lines count too (the intent to delete is enough to refuse the post).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { LAKE_PREFIXES, decodeNdjson } from "@defi-sentiment/shared";

export interface DeletionTombstones {
  ids: Set<string>;
  authorIds: Set<string>;
  /** Lines of the record that could not be read, as `file:line`. */
  unreadable: string[];
}

export function readDeletionTombstones(lakeDir: string): DeletionTombstones {
  const out: DeletionTombstones = { ids: new Set(), authorIds: new Set(), unreadable: [] };
  const root = path.join(lakeDir, LAKE_PREFIXES.compliance);
  if (!existsSync(root)) return out;
  for (const day of readdirSync(root).filter((d) => d.startsWith("dt=")).sort()) {
    const dir = path.join(root, day);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ndjson")).sort()) {
      const rel = path.posix.join(LAKE_PREFIXES.compliance, day, file);
      addDeletionRecordText(out, readFileSync(path.join(dir, file), "utf8"), rel);
    }
  }
  return out;
}

/** Adds the ids and authors of one deletion-record file's lines (`where` names it for `unreadable`). */
export function addDeletionRecordText(out: DeletionTombstones, text: string, where: string): void {
  for (const line of decodeNdjson(text, where)) {
    if (!line.ok) {
      out.unreadable.push(`${where}:${line.line}`);
      continue;
    }
    const r = line.value as { phase?: string; ids?: unknown; author_ids?: unknown };
    if (r.phase !== "planned" && r.phase !== "deleted") continue;
    for (const id of Array.isArray(r.ids) ? r.ids : []) if (typeof id === "string") out.ids.add(id);
    for (const id of Array.isArray(r.author_ids) ? r.author_ids : []) if (typeof id === "string") out.authorIds.add(id);
  }
}

/** True when a post must not be stored again. */
export function isTombstoned(t: DeletionTombstones, post: { id: string; author_id: string }): boolean {
  return t.ids.has(post.id) || t.authorIds.has(post.author_id);
}
