/**
 * Honours deletion notices that arrived on a stream: removes the posts (or an author's posts)
 * from every target and records it, like a compliance job does. Callers collect notices with
 * `deletionNoticeOf` and apply them in small batches (a stream should not wait per notice).
 */
import { randomUUID } from "node:crypto";
import type { DeletionNotice } from "./deletion-notice.ts";
import type { DeletionLog } from "./deletion-log.ts";
import { DeletionTargetError, type DeletionTarget } from "./deletion-target.ts";
import { deleteFromTargets } from "./run-compliance-check.ts";

export async function applyDeletionNotices(
  notices: readonly DeletionNotice[],
  o: { targets: DeletionTarget[]; log: DeletionLog; clock?: () => Date },
): Promise<{ ids: string[]; authorIds: string[] }> {
  const clock = o.clock ?? (() => new Date());
  const ids = [...new Set(notices.flatMap((n) => (n.kind === "post" ? [n.id] : [])))];
  const authorIds = [...new Set(notices.flatMap((n) => (n.kind === "author" ? [n.authorId] : [])))];
  if (ids.length === 0 && authorIds.length === 0) return { ids, authorIds };
  const reasons: Record<string, number> = {};
  for (const n of notices) reasons[n.reason] = (reasons[n.reason] ?? 0) + 1;
  const base = { source: "stream-notice" as const, run_id: randomUUID(), job_id: null, window: null, checked: 0, ids, author_ids: authorIds, reasons };
  await o.log({ ...base, phase: "planned", targets: [], errors: [], at: clock().toISOString() });
  const { counts, errors } = await deleteFromTargets(o.targets, ids, authorIds);
  await o.log({ ...base, phase: errors.length ? "failed" : "deleted", targets: counts, errors, at: clock().toISOString() });
  if (errors.length) throw new DeletionTargetError(errors, "stream deletion notices");
  return { ids, authorIds };
}
