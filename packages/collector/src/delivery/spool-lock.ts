/**
 * One writer per spool directory: a `spool.lock` file holding the owner's pid. A directory open
 * in this process, or locked by another live process, is refused; a lock left by a process that
 * no longer exists (kill -9) is taken over.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { SpoolError } from "./errors.ts";

const LOCK_FILE = "spool.lock";
/** Spool directories open in this process. */
const openHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One writer per spool: refuses a directory open here or in another live process (a stale lock from kill -9 is taken over). */
export async function lockSpool(dir: string): Promise<void> {
  const key = path.resolve(dir);
  if (openHere.has(key)) throw new SpoolError("spool is already open in this process", dir);
  const lock = path.join(dir, LOCK_FILE);
  try {
    const pid = Number((await readFile(lock, "utf8")).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new SpoolError(`spool is in use by process ${pid} (remove ${LOCK_FILE} if that process is not a collector)`, dir);
    }
  } catch (err) {
    if (err instanceof SpoolError) throw err;
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await writeFile(lock, String(process.pid));
  openHere.add(key);
}

export async function unlockSpool(dir: string): Promise<void> {
  openHere.delete(path.resolve(dir));
  await rm(path.join(dir, LOCK_FILE), { force: true });
}
