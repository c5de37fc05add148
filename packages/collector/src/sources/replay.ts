/**
 * Replays files as a source of Post batches. Each file may hold, in any mix, line by line:
 * filtered-stream lines (`{data:{…}, matching_rules}`), recent-search pages (`{data:[…]}`), Posts
 * (the lake's `raw/**\/*.ndjson.gz`), or be one pretty-printed JSON document (a search page or
 * a `{body: …}` capture). `.gz` files are gunzipped; directories are walked. A bad line is counted
 * and logged with file:line, and never loses its neighbours.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  decodeNdjson,
  parseJsonSafe,
  PostNormalisationError,
  PostSchema,
  postFromStreamLine,
  postsFromSearchPage,
  XSearchPageSchema,
  XStreamLineSchema,
  type Post,
} from "@defi-sentiment/shared";

export interface ReplayStats {
  files: number;
  lines: number;
  posts: number;
  badLines: number;
  errors: { where: string; reason: string }[];
}

export interface ReplaySourceOptions {
  paths: string[];
  batchSize?: number;
  clock?: () => number;
  signal?: AbortSignal;
  log?: (e: Record<string, unknown>) => void;
  stats?: ReplayStats;
}

export class ReplayFileError extends Error {
  override name = "ReplayFileError";
}

export function newReplayStats(): ReplayStats {
  return { files: 0, lines: 0, posts: 0, badLines: 0, errors: [] };
}

const REPLAYABLE = /\.(jsonl|ndjson|json)(\.gz)?$/;

/** Files under `paths` (directories walked, sorted), only JSON / JSONL / NDJSON, optionally gzipped. */
export function replayFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ReplayFileError(`replay: ${p}: no such file or directory`);
    }
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(join(p, name), false);
    else if (explicit || REPLAYABLE.test(p)) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** Turns one decoded JSON value into Posts, or explains why it cannot. */
export function postsFromValue(value: unknown, where: string, collectedAt: Date): { posts: Post[]; errors: string[] } {
  const o = value as Record<string, unknown> | null;
  if (o && typeof o === "object" && "body" in o && "_status" in o) return postsFromValue(o.body, where, collectedAt);
  if (o && typeof o === "object" && "source" in o && "collected_at" in o) {
    const p = PostSchema.safeParse(value);
    if (p.success) return { posts: [p.data], errors: [] };
    const issue = p.error.issues[0];
    return { posts: [], errors: [`not a valid Post: ${issue?.path.join(".")}: ${issue?.message}`] };
  }
  if (o && typeof o === "object" && Array.isArray(o.data)) {
    const page = XSearchPageSchema.safeParse(value);
    if (!page.success) return { posts: [], errors: [`not a valid search page: ${page.error.issues[0]?.path.join(".")}: ${page.error.issues[0]?.message}`] };
    const r = postsFromSearchPage(page.data, "replay", collectedAt);
    return { posts: r.posts, errors: r.errors.map((e) => e.message) };
  }
  if (o && typeof o === "object" && o.data && typeof o.data === "object") {
    const line = XStreamLineSchema.safeParse(value);
    if (!line.success) return { posts: [], errors: [`not a valid stream line: ${line.error.issues[0]?.path.join(".")}: ${line.error.issues[0]?.message}`] };
    try {
      return { posts: [postFromStreamLine(line.data, "replay", collectedAt)], errors: [] };
    } catch (err) {
      if (err instanceof PostNormalisationError) return { posts: [], errors: [err.message] };
      throw err;
    }
  }
  return { posts: [], errors: ["neither a Post, a stream line nor a search page"] };
}

export async function* replaySource(o: ReplaySourceOptions): AsyncGenerator<Post[]> {
  const clock = o.clock ?? Date.now;
  const log = o.log ?? (() => {});
  const stats = o.stats ?? newReplayStats();
  const size = o.batchSize ?? 500;
  const bad = (where: string, reason: string) => {
    stats.badLines++;
    if (stats.errors.length < 1000) stats.errors.push({ where, reason });
    log({ level: "warn", msg: "replay line skipped", where, reason });
  };
  let batch: Post[] = [];
  for (const file of replayFiles(o.paths)) {
    if (o.signal?.aborted) return;
    stats.files++;
    const buf = readFileSync(file);
    let text: string;
    try {
      text = (file.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
    } catch (err) {
      bad(file, `cannot gunzip: ${(err as Error).message}`);
      continue;
    }
    const now = new Date(clock());
    const trimmed = text.trimStart();
    // A whole-file JSON document (pretty-printed search page or capture)?
    let whole: unknown = undefined;
    if (trimmed.startsWith("{") && file.replace(/\.gz$/, "").endsWith(".json")) {
      try {
        whole = parseJsonSafe(text, file);
      } catch {
        whole = undefined;
      }
    }
    const values: { where: string; ok: boolean; value?: unknown; reason?: string }[] =
      whole !== undefined
        ? [{ where: file, ok: true, value: whole }]
        : [...decodeNdjson(text, file)].map((l) => (l.ok ? { where: `${file}:${l.line}`, ok: true, value: l.value } : { where: `${file}:${l.line}`, ok: false, reason: l.error.message }));
    for (const v of values) {
      stats.lines++;
      if (!v.ok) {
        bad(v.where, v.reason!);
        continue;
      }
      const r = postsFromValue(v.value, v.where, now);
      for (const e of r.errors) bad(v.where, e);
      stats.posts += r.posts.length;
      batch.push(...r.posts);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}
