/**
 * Which post a lake line is about: raw lines are Posts; error lines carry the original record
 * in base64 `raw_data`. Unreadable lines fall back to the first `"id":"…"` they contain, so a
 * truncated copy of a deleted post is still found. Shared because both deletion targets (the
 * local lake's and the S3 one) must find the same lines.
 */
import { parseJsonSafe } from "./codecs.ts";

export interface PostKeys {
  id: string | null;
  author_id: string | null;
}

const ID = /"id"\s*:\s*"?(\d{1,19})/;
const AUTHOR = /"author_id"\s*:\s*"?(\d{1,19})/;

function keysOfText(text: string): PostKeys {
  try {
    const v = parseJsonSafe(text) as Record<string, unknown> | null;
    if (v && typeof v === "object") {
      const id = typeof v.id === "string" || typeof v.id === "number" ? String(v.id) : null;
      const author = typeof v.author_id === "string" || typeof v.author_id === "number" ? String(v.author_id) : null;
      if (id) return { id, author_id: author };
    }
  } catch {
    /* fall through to the pattern */
  }
  return { id: ID.exec(text)?.[1] ?? null, author_id: AUTHOR.exec(text)?.[1] ?? null };
}

/** Keys of a raw line (a Post). */
export const keysOfRawLine = keysOfText;

/** Keys of the record an error line holds in `raw_data`. */
export function keysOfErrorLine(line: string): PostKeys {
  try {
    const rec = JSON.parse(line) as { raw_data?: unknown };
    if (typeof rec.raw_data === "string") return keysOfText(Buffer.from(rec.raw_data, "base64").toString("utf8"));
  } catch {
    /* not an error record */
  }
  return { id: null, author_id: null };
}
