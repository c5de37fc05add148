/**
 * The plain ASCII words the sentiment tokenizer delimited in the text it read last: where each
 * starts and ends, and the string tables' hash state after its last letter. The entity scan of the
 * same text resumes from that state instead of reading those letters again.
 */
let text: string | undefined;
let count = 0;
export let runStarts = new Int32Array(64);
export let runEnds = new Int32Array(64);
/** loweredHashStep over the run's chars from LOWERED_HASH_SEED, before loweredHashEnd. */
export let runHashes = new Int32Array(64);

/** Forgets the runs of the previous text: the runs added next are `of`'s. */
export function beginRuns(of: string): void {
  text = of;
  count = 0;
}

/** A run of ASCII letters only (no apostrophe), at or after the previous run. */
export function addRun(start: number, end: number, hash: number): void {
  if (count === runStarts.length) {
    runStarts = grown(runStarts);
    runEnds = grown(runEnds);
    runHashes = grown(runHashes);
  }
  runStarts[count] = start;
  runEnds[count] = end;
  runHashes[count++] = hash;
}

/** How many runs are known for `of` (0 unless it is the text the tokenizer read last). */
export function runsOf(of: string): number {
  return of === text ? count : 0;
}

function grown(a: Int32Array) {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
