/**
 * Where posts are held and must be removed from: the local lake (table + raw + errors files),
 * or in AWS the Iceberg table and the raw S3 prefix. Implementations live beside their store
 * (lake package, AWS adapters); the collector only sees this shape.
 */
export interface DeletionCounts {
  /** Rows removed from the table. */
  removedRows: number;
  /** Lines removed from raw and error files/objects. */
  removedRawRecords: number;
}

export interface DeletionTarget {
  name: string;
  /** Removes every copy of these posts; deleting an id not held is a no-op (idempotent). */
  deletePosts(ids: string[]): Promise<DeletionCounts>;
  /** Removes every post by these authors (stream user_delete/protect/suspend notices). */
  deleteAuthorPosts?(authorIds: string[]): Promise<DeletionCounts>;
}

/** Raised after a run in which a target failed; the deletion record still lists what happened. */
export class DeletionTargetError extends Error {
  override name = "DeletionTargetError";
  constructor(
    readonly failures: { target: string; error: string }[],
    where: string,
  ) {
    super(`${where}: deletion failed in ${failures.map((f) => `${f.target} (${f.error})`).join(", ")}; ids stay listed for the next run`);
  }
}
