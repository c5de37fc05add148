/**
 * Polls the table's row count and latest `collected_at`; calls `onChange` when either moves.
 * Cheap at 1M rows (a few ms), so it runs every ~2 s while the dashboard is up.
 */
import { SCORED_POST_VERSION_COLUMN, SCORED_TABLE_NAME } from "@defi-sentiment/shared";
import type { Warehouse } from "@defi-sentiment/lake";

export interface TableSignature {
  rows: number;
  lastCollectedAt: string | null;
}

export async function tableSignature(wh: Warehouse): Promise<TableSignature> {
  const [row] = await wh.query<{ rows: number; last: string | null }>(
    `SELECT count(*) AS rows, max(${SCORED_POST_VERSION_COLUMN}) AS last FROM ${SCORED_TABLE_NAME}`,
  );
  return { rows: row?.rows ?? 0, lastCollectedAt: row?.last ?? null };
}

export interface TableWatcher {
  current(): TableSignature;
  stop(): void;
}

export async function watchTable(
  wh: Warehouse,
  intervalMs: number,
  onChange: (now: TableSignature, before: TableSignature) => void,
  onError: (error: unknown) => void = () => {},
): Promise<TableWatcher> {
  let current = await tableSignature(wh);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const next = await tableSignature(wh);
      if (stopped) return;
      if (next.rows !== current.rows || next.lastCollectedAt !== current.lastCollectedAt) {
        const before = current;
        current = next;
        onChange(next, before);
      }
    } catch (error) {
      if (!stopped) onError(error);
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    current: () => current,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
