/** One health record: what the collector did so far, as a log line and a lake record. */
export interface HealthRecord {
  type: "collector-health";
  at: string;
  host: string;
  source: string;
  uptime_s: number;
  received: number;
  delivered: number;
  duplicates: number;
  resent: number;
  spooled: number;
  dead_lettered: number;
  in_flight: number;
  sink_errors: number;
  last_delivered_at: string | null;
  reconnects: number;
  last_keep_alive_at: string | null;
  bad_lines: number;
  gaps_filled: number;
  gap_posts: number;
  posts_read_today: number;
  posts_read_month: number;
  spend_usd_month: number;
  budget_remaining: number;
  /** Posts dropped before delivery because the deletion record says they were deleted. */
  tombstoned: number;
  /** Deletion notices that arrived on the stream. */
  deletion_notices: number;
}
