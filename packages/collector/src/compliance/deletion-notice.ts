/**
 * Deletion notices that can arrive on a stream, as pure data. Supported shapes (X docs,
 * "Compliance data objects"):
 *
 * - X API v2 compliance stream, post events:
 *   `{"data":{"delete":{"tweet":{"id","author_id"},"event_at"}}}` and the same with `drop`
 *   (remove from view) → delete the post;
 *   `{"data":{"withheld":{"tweet":{"id"},"withheld_in_countries":[…]}}}` → delete the post
 *   (we cannot suppress per country, so we do not keep it).
 * - X API v2 compliance stream, user events `user_delete`, `user_protect`, `user_suspend`
 *   (`{"data":{"user_protect":{"user":{"id"},"event_at"}}}`) → every post by that author.
 * - Legacy v1.1 / enterprise status deletes: `{"delete":{"status":{"id_str"|"id","user_id"},"timestamp_ms"}}`.
 *
 * Undo events (`undrop`, `user_undelete`, `user_unprotect`, `user_unsuspend`), `tweet_edit` and
 * `scrub_geo` (we hold no post geo) are recognised and ignored. Anything else is not a notice.
 */
import { quoteBigIntegers } from "@defi-sentiment/shared";

export type DeletionNotice =
  | { kind: "post"; id: string; reason: string; at: string | null }
  | { kind: "author"; authorId: string; reason: string; at: string | null };

const POST_EVENTS = { delete: "deleted", drop: "dropped", withheld: "withheld" } as const;
const USER_EVENTS = { user_delete: "deactivated", user_protect: "protected", user_suspend: "suspended" } as const;
const IGNORED = new Set(["undrop", "user_undelete", "user_unprotect", "user_unsuspend", "tweet_edit", "scrub_geo", "user_withheld"]);

const idOf = (v: unknown): string | null => {
  if (typeof v === "string" && /^\d{1,19}$/.test(v)) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
};
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * The deletion a stream message asks for, or `null` when it is not a deletion notice (an
 * ordinary post, a keep-alive, an undo event). Accepts the parsed value or its JSON text
 * (big ids kept exact).
 */
export function deletionNoticeOf(message: unknown): DeletionNotice | null {
  let value = message;
  if (typeof message === "string") {
    try {
      value = JSON.parse(quoteBigIntegers(message));
    } catch {
      return null;
    }
  }
  const root = obj(value);
  if (!root) return null;
  const legacy = obj(obj(root.delete)?.status);
  if (legacy) {
    const id = idOf(legacy.id_str) ?? idOf(legacy.id);
    const ms = Number(obj(root.delete)?.timestamp_ms);
    return id ? { kind: "post", id, reason: "deleted", at: Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null } : null;
  }
  const data = obj(root.data);
  if (!data) return null;
  for (const [event, reason] of Object.entries(POST_EVENTS)) {
    const e = obj(data[event]);
    const id = idOf(obj(e?.tweet)?.id);
    if (e && id) return { kind: "post", id, reason, at: str(e.event_at) };
  }
  for (const [event, reason] of Object.entries(USER_EVENTS)) {
    const e = obj(data[event]);
    const authorId = idOf(obj(e?.user)?.id);
    if (e && authorId) return { kind: "author", authorId, reason, at: str(e.event_at) };
  }
  return null;
}

/** True for compliance events we recognise and deliberately ignore (undo, edit, geo scrub). */
export function isIgnoredComplianceEvent(message: unknown): boolean {
  const data = obj(obj(message)?.data);
  return !!data && Object.keys(data).some((k) => IGNORED.has(k));
}
