/**
 * Runs a process and SIGKILLs it after `killAfterMs` (if it is still running), for the crash
 * drills. Every run is bounded: a process that outlives `hardLimitMs` is killed and reported.
 */
import { spawn } from "node:child_process";
import { Warehouse } from "@defi-sentiment/lake";
import { LOCAL_WAREHOUSE_FILE, SCORED_TABLE_NAME } from "@defi-sentiment/shared";
import path from "node:path";

export interface RunOutcome {
  /** True when our SIGKILL ended it; false when it exited on its own first. */
  killed: boolean;
  code: number | null;
  ms: number;
  stderr: string;
}

export function runAndMaybeKill(args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv; killAfterMs: number | null; hardLimitMs?: number }): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let killed = false;
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const kill = o.killAfterMs === null ? null : setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, o.killAfterMs);
    const hard = setTimeout(() => child.kill("SIGKILL"), o.hardLimitMs ?? 120_000);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (kill) clearTimeout(kill);
      clearTimeout(hard);
      if (signal === "SIGKILL" && !killed) return reject(new Error(`${args.join(" ")} outlived its ${o.hardLimitMs ?? 120_000} ms limit: ${stderr}`));
      resolve({ killed: signal === "SIGKILL", code, ms: Date.now() - started, stderr });
    });
  });
}

/** Rows, distinct ids, and how many of the generator's ids 1e18 + [0, count) are missing, in a lake's warehouse. */
export async function tableCheck(lakeDir: string, count: number): Promise<{ rows: number; distinct: number; missing: number; unexpected: number }> {
  const wh = await Warehouse.open(path.join(lakeDir, LOCAL_WAREHOUSE_FILE), { readOnly: true });
  try {
    const [row] = await wh.query<{ rows: number; distinct_ids: number; missing: number; unexpected: number }>(`
      WITH expected AS (SELECT CAST(1000000000000000000 + n AS VARCHAR) AS id FROM range(0, ${count}) t(n))
      SELECT (SELECT count(*) FROM ${SCORED_TABLE_NAME}) AS rows,
             (SELECT count(DISTINCT id) FROM ${SCORED_TABLE_NAME}) AS distinct_ids,
             (SELECT count(*) FROM expected e WHERE NOT EXISTS (SELECT 1 FROM ${SCORED_TABLE_NAME} p WHERE p.id = e.id)) AS missing,
             (SELECT count(*) FROM ${SCORED_TABLE_NAME} p WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.id = p.id)) AS unexpected`);
    return { rows: row!.rows, distinct: row!.distinct_ids, missing: row!.missing, unexpected: row!.unexpected };
  } finally {
    wh.close();
  }
}
