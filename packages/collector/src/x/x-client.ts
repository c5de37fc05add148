/**
 * The X API v2 adapter. REST calls (rules, recent search, counts) go through twitter-api-v2. The
 * filtered stream is read with node:http(s) directly: the library's stream parser uses
 * `JSON.parse` (rounding `matching_rules[].id` above 2^53) and decodes each chunk on its own
 * (splitting multi-byte characters), so we decode with setEncoding and parse with `parseJsonSafe`.
 */
import http from "node:http";
import https from "node:https";
import type { ApiResponseError, TwitterApi } from "twitter-api-v2";
import { X_REQUEST_FIELDS, XSearchPageSchema, type XSearchPage } from "@defi-sentiment/shared";
import type { StreamConnection } from "../core/stream-supervisor.ts";
import { parseRateLimitReset } from "../core/reconnect-schedule.ts";
import type { ExistingRule, StreamRule } from "../core/rules-plan.ts";
import { loadLater } from "../load-later.ts";

export const X_API_BASE = "https://api.x.com";

/** An X API call that failed; says which endpoint, the HTTP status and X's own detail. */
export class XApiError extends Error {
  override name = "XApiError";
  constructor(
    readonly endpoint: string,
    readonly status: number,
    detail: string,
    readonly rateLimitResetAt: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`X API ${endpoint}: HTTP ${status}: ${detail}`, options);
  }
}

export interface RuleProblem {
  value?: string;
  id?: string;
  title: string;
  details: string[];
}

export interface RulesUpdateResult {
  created: ExistingRule[];
  deleted: number;
  invalid: number;
  problems: RuleProblem[];
}

export interface SearchParams {
  query: string;
  startTime?: string;
  endTime?: string;
  sinceId?: string;
  nextToken?: string;
  maxResults?: number;
}

export interface CountsResult {
  total: number;
  days: { start: string; end: string; count: number }[];
}

export interface XClient {
  listRules(): Promise<ExistingRule[]>;
  addRules(rules: StreamRule[], dryRun: boolean): Promise<RulesUpdateResult>;
  deleteRules(ids: string[], dryRun: boolean): Promise<RulesUpdateResult>;
  searchRecent(params: SearchParams): Promise<XSearchPage>;
  countsRecent(query: string): Promise<CountsResult>;
  connectStream(signal: AbortSignal): Promise<StreamConnection>;
}

export interface XClientOptions {
  bearerToken: string;
  /** `https://api.x.com` in production; a local server in tests. */
  baseUrl?: string;
  requestTimeoutMs?: number;
}

const fieldsQuery = (): Record<string, string> =>
  Object.fromEntries(Object.entries(X_REQUEST_FIELDS).map(([k, v]) => [k, v.join(",")]));

function problemsOf(body: { errors?: unknown[] }): RuleProblem[] {
  return (body.errors ?? []).map((e) => {
    const o = e as { value?: string; id?: string; title?: string; details?: string[]; detail?: string };
    return { value: o.value, id: o.id, title: o.title ?? "error", details: o.details ?? (o.detail ? [o.detail] : []) };
  });
}

/** `ApiResponseError` is the class of the twitter-api-v2 module the call went through (loaded later). */
function wrap(endpoint: string, err: unknown, ApiResponseErrorClass: typeof ApiResponseError): never {
  if (err instanceof ApiResponseErrorClass) {
    const data = err.data as { title?: string; detail?: string } | undefined;
    const detail = data?.detail ?? data?.title ?? err.message;
    const reset = err.rateLimit?.reset ? err.rateLimit.reset * 1000 : parseRateLimitReset(err.headers?.["x-rate-limit-reset"]);
    throw new XApiError(endpoint, err.code, detail, reset, { cause: err });
  }
  const e = err as Error;
  throw new XApiError(endpoint, 0, `network error: ${e.message}`, null, { cause: err });
}

export function createXClient(options: XClientOptions): XClient {
  const base = (options.baseUrl ?? X_API_BASE).replace(/\/+$/, "");
  const isHttp = base.startsWith("http://");
  const httpAgent = isHttp ? new http.Agent({ keepAlive: true }) : null;
  const bearerToken = options.bearerToken;
  // twitter-api-v2 loads from here on, not when the collector is imported (see load-later.ts);
  // the filtered stream does not need it.
  const rest = loadLater(async () => {
    const lib = await import("twitter-api-v2");
    const api = new lib.TwitterApi(bearerToken, httpAgent ? { httpAgent } : {});
    // The same endpoints twitter-api-v2's streamRules/updateStreamRules call, through get/post so
    // every call carries a timeout (a hung request would otherwise stall the collector).
    const v2 = api.v2 as TwitterApi["v2"] & { setPrefix(p: string): void };
    v2.setPrefix(`${base}/2/`);
    return { v2, ApiResponseError: lib.ApiResponseError };
  });
  /** One REST call; its failure becomes an XApiError naming the endpoint. */
  const call = async <T>(endpoint: string, send: (v2: TwitterApi["v2"]) => Promise<T>): Promise<T> => {
    const { v2, ApiResponseError } = await rest;
    try {
      return await send(v2);
    } catch (err) {
      wrap(endpoint, err, ApiResponseError);
    }
  };

  const timeout = options.requestTimeoutMs ?? 30_000;
  const rulesUpdate = async (body: object, dryRun: boolean): Promise<RulesUpdateResult> => {
    type Res = { data?: { id: string; value: string; tag?: string }[]; errors?: unknown[]; meta?: { summary?: { deleted?: number; invalid?: number } } };
    const res = await call("POST /2/tweets/search/stream/rules", (v2) => v2.post<Res>("tweets/search/stream/rules", body as Record<string, unknown>, { query: dryRun ? { dry_run: true } : {}, timeout }));
    const problems = problemsOf(res);
    return {
      created: (res.data ?? []).map((r) => ({ id: String(r.id), value: r.value, tag: r.tag ?? "" })),
      deleted: res.meta?.summary?.deleted ?? 0,
      invalid: res.meta?.summary?.invalid ?? problems.length,
      problems,
    };
  };

  return {
    async listRules() {
      type Res = { data?: { id: string; value: string; tag?: string }[] };
      const res = await call("GET /2/tweets/search/stream/rules", (v2) => v2.get<Res>("tweets/search/stream/rules", {}, { timeout }));
      return (res.data ?? []).map((r) => ({ id: String(r.id), value: r.value, tag: r.tag ?? "" }));
    },
    addRules: (rules, dryRun) => rulesUpdate({ add: rules.map((r) => ({ value: r.value, tag: r.tag })) }, dryRun),
    deleteRules: (ids, dryRun) => rulesUpdate({ delete: { ids } }, dryRun),

    async searchRecent(p) {
      const query: Record<string, string> = { query: p.query, ...fieldsQuery(), max_results: String(p.maxResults ?? 100) };
      if (p.startTime) query.start_time = p.startTime;
      if (p.endTime) query.end_time = p.endTime;
      if (p.sinceId) query.since_id = p.sinceId;
      if (p.nextToken) query.next_token = p.nextToken;
      const body = await call("GET /2/tweets/search/recent", (v2) => v2.get<unknown>("tweets/search/recent", query, { timeout }));
      const page = XSearchPageSchema.safeParse(body);
      if (!page.success) {
        const issue = page.error.issues[0];
        throw new XApiError("GET /2/tweets/search/recent", 200, `unexpected page shape at ${issue?.path.join(".")}: ${issue?.message}`);
      }
      return page.data;
    },

    async countsRecent(query) {
      type Res = { data?: { start: string; end: string; tweet_count: number }[]; meta?: { total_tweet_count?: number } };
      const body = await call("GET /2/tweets/counts/recent", (v2) => v2.get<Res>("tweets/counts/recent", { query, granularity: "day" }, { timeout }));
      const days = (body.data ?? []).map((d) => ({ start: d.start, end: d.end, count: d.tweet_count }));
      return { total: body.meta?.total_tweet_count ?? days.reduce((s, d) => s + d.count, 0), days };
    },

    connectStream(signal) {
      const url = new URL(`${base}/2/tweets/search/stream`);
      for (const [k, v] of Object.entries(fieldsQuery())) url.searchParams.set(k, v);
      const request = isHttp ? http.request : https.request;
      return new Promise<StreamConnection>((resolve, reject) => {
        const req = request(url, { headers: { authorization: `Bearer ${options.bearerToken}`, "user-agent": "defi-sentiment-collector" }, signal });
        req.setTimeout(timeout, () => req.destroy(new Error(`no response from ${url.pathname} within ${timeout} ms`)));
        req.on("error", reject);
        req.on("response", (res) => {
          req.setTimeout(0);
          res.setEncoding("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks: chunkQueue(res), close: () => req.destroy() });
        });
        req.end();
      });
    },
  };
}

/**
 * Chunks in arrival order; everything received before a reset is still handed out (a Readable's
 * own async iterator drops its buffer when the socket dies), then the end or the error.
 */
function chunkQueue(res: http.IncomingMessage): AsyncIterator<string> {
  const queue: string[] = [];
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  res.on("data", (c: string) => {
    queue.push(c);
    notify();
  });
  res.on("end", () => {
    ended = true;
    notify();
  });
  res.on("error", (err) => {
    failure = err;
    notify();
  });
  res.on("close", () => {
    if (!res.complete && !failure) failure = new Error("connection closed before the response ended (reset)");
    ended = true;
    notify();
  });
  return {
    async next(): Promise<IteratorResult<string>> {
      for (;;) {
        if (queue.length) return { done: false, value: queue.shift()! };
        if (failure) throw failure;
        if (ended) return { done: true, value: undefined };
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}
