/**
 * Small JSON state (budget counters, search checkpoint) that must survive a crash: written to a
 * temporary file, fsynced, then renamed over the old one, so a reader sees the old or the new
 * state, never half of one.
 */
import { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export class StateFileError extends Error {
  override name = "StateFileError";
}

export function readJsonState<T>(path: string, fallback: T, check: (v: unknown) => v is T): T {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(`${path}: not valid JSON (${(err as Error).message}); fix or delete the file`, { cause: err });
  }
  if (!check(value)) throw new StateFileError(`${path}: unexpected content; fix or delete the file`);
  return value;
}

export function writeJsonState(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, JSON.stringify(value, null, 1) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
