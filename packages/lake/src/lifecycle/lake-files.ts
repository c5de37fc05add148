/**
 * Reading and rewriting the lake's gzipped NDJSON objects in place, as S3 would: a rewritten
 * object appears whole (temp file + fsync + rename) or not at all, and an emptied one is removed.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

/** Every `.ndjson.gz` object under `lakeDir/prefix`, as sorted paths relative to `lakeDir`. */
export function listLakeObjects(lakeDir: string, prefix: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const dir = path.join(lakeDir, rel);
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const r = path.posix.join(rel, entry);
      if (statSync(path.join(lakeDir, r)).isDirectory()) walk(r);
      else if (entry.endsWith(".ndjson.gz")) out.push(r);
    }
  };
  walk(prefix.replace(/\/+$/, ""));
  return out.sort();
}

/** The object's lines (without their newlines; blank lines dropped). */
export function readObjectLines(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString("utf8").split("\n").filter((l) => l.trim() !== "");
}

/**
 * Rewrites `file` keeping only lines for which `keep` is true; returns how many were removed.
 * Untouched when nothing is removed; removed when nothing is left.
 */
export function rewriteObject(file: string, keep: (line: string) => boolean): number {
  const lines = readObjectLines(file);
  const kept = lines.filter(keep);
  const removed = lines.length - kept.length;
  if (removed === 0) return 0;
  if (kept.length === 0) {
    rmSync(file);
    return removed;
  }
  const tmp = `${file}.rewrite.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, gzipSync(Buffer.from(kept.join("\n") + "\n", "utf8"), { level: 6 }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return removed;
}
