/**
 * A local server speaking the X API v2 wire format for the endpoints the collector uses: stream
 * rules (GET/POST, errors inside HTTP 200), the filtered stream (scripted per connection:
 * keep-alives, bare big-integer rule ids, truncated lines, resets, stalls, 429/503/401),
 * recent search (time window, since_id, pagination) and recent counts. Streams can also carry
 * compliance messages (deletion notices) in X's wire format. SYNTHETIC fixtures only.
 * node:http on 127.0.0.1, port 0.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { XStreamLine } from "@defi-sentiment/shared";

export type StreamStep =
  | { line: XStreamLine }
  /** A compliance message, one JSON line as X sends it (see the `*Notice` helpers below). */
  | { notice: string }
  | { keepAlive: true }
  | { raw: string }
  | { bytes: Uint8Array }
  | { destroy: true }
  | { end: true }
  | { stall: true }
  | { waitMs: number };

export type StreamReply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { steps: StreamStep[]; headers?: Record<string, string> };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
  at: number;
}

export interface XServer {
  base: string;
  requests: RecordedRequest[];
  /** Rules X holds now. */
  rules: Map<string, { value: string; tag: string }>;
  /** Posts that exist on X, searchable by recent search. */
  timeline: XStreamLine[];
  /** Replies for successive stream connections; after they run out, an idle stream with keep-alives. */
  streamReplies: StreamReply[];
  /** Every post id recent search has returned, in order (repeats mean a post was read twice). */
  searchedIds: string[];
  counts: { start: string; end: string; tweet_count: number }[];
  /** Answers the next N search requests with this reply instead (status 0: never answers). */
  searchFailures: { status: number; headers?: Record<string, string>; body?: unknown }[];
  streamConnections(): number;
  close(): Promise<void>;
}

/** A stream line with `matching_rules[].id` as bare JSON numbers, as X sends them. */
export function streamLineJson(line: XStreamLine): string {
  const { matching_rules, ...rest } = line;
  const json = JSON.stringify(rest);
  if (!matching_rules) return json;
  const rules = matching_rules.map((r) => `{"id":${String(r.id)},"tag":${JSON.stringify(r.tag ?? null)}}`).join(",");
  return `${json.slice(0, -1)},"matching_rules":[${rules}]}`;
}

let nextRuleId = 1_900_000_000_000_000_100n;

export async function startXServer(): Promise<XServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const state: Omit<XServer, "base" | "close" | "streamConnections"> = {
    requests: [],
    rules: new Map(),
    timeline: [],
    streamReplies: [],
    searchedIds: [],
    counts: [],
    searchFailures: [],
  };

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  async function stream(req: http.IncomingMessage, res: http.ServerResponse) {
    connections++;
    const reply = state.streamReplies.shift() ?? { steps: [] };
    if ("status" in reply) return json(res, reply.status, reply.body ?? { title: "Error" }, reply.headers);
    res.writeHead(200, { "content-type": "application/json", ...reply.headers });
    let closed = false;
    res.on("close", () => (closed = true));
    const steps = reply.steps.length ? reply.steps : [];
    for (const step of steps) {
      if (closed) return;
      if ("line" in step) res.write(streamLineJson(step.line) + "\r\n");
      else if ("notice" in step) res.write(step.notice + "\r\n");
      else if ("keepAlive" in step) res.write("\r\n");
      else if ("raw" in step) res.write(step.raw);
      else if ("bytes" in step) res.write(step.bytes);
      else if ("destroy" in step) return void res.write("", () => setTimeout(() => req.socket.destroy(), 10));
      else if ("end" in step) return void res.end();
      else if ("stall" in step) return; // keep the socket open, send nothing
      else if ("waitMs" in step) await new Promise((r) => setTimeout(r, step.waitMs));
    }
    // Out of script: an idle, healthy stream (keep-alives every 20 ms) until the client leaves.
    const timer = setInterval(() => (closed ? clearInterval(timer) : res.write("\r\n")), 20);
    res.on("close", () => clearInterval(timer));
  }

  function search(url: URL, res: http.ServerResponse) {
    const failure = state.searchFailures.shift();
    if (failure?.status === 0) return; // never answer (a hung request)
    if (failure) return json(res, failure.status, failure.body ?? { title: "Error" }, failure.headers);
    const q = url.searchParams;
    if (!q.get("query")) return json(res, 400, { title: "Invalid Request", detail: "query is required" });
    const start = q.get("start_time") ? Date.parse(q.get("start_time")!) : -Infinity;
    const end = q.get("end_time") ? Date.parse(q.get("end_time")!) : Infinity;
    const since = q.get("since_id") ? BigInt(q.get("since_id")!) : -1n;
    const max = Number(q.get("max_results") ?? 10);
    const matches = state.timeline
      .filter((l) => {
        const t = Date.parse(l.data.created_at!);
        return t >= start && t < end && BigInt(l.data.id) > since;
      })
      .sort((a, b) => (BigInt(b.data.id) > BigInt(a.data.id) ? 1 : -1));
    const offset = Number(q.get("next_token")?.replace("tok-", "") ?? 0);
    const page = matches.slice(offset, offset + max);
    state.searchedIds.push(...page.map((l) => l.data.id));
    const users = new Map(page.flatMap((l) => l.includes?.users ?? []).map((u) => [u.id, u]));
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) Object.assign(meta, { newest_id: page[0]!.data.id, oldest_id: page[page.length - 1]!.data.id });
    if (offset + max < matches.length) meta.next_token = `tok-${offset + max}`;
    json(res, 200, page.length ? { data: page.map((l) => l.data), includes: { users: [...users.values()] }, meta } : { meta }, {
      "x-rate-limit-limit": "450",
      "x-rate-limit-remaining": "449",
      "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 900),
    });
  }

  function rules(req: http.IncomingMessage, url: URL, body: string, res: http.ServerResponse) {
    const sent = new Date().toISOString();
    if (req.method === "GET") {
      const data = [...state.rules].map(([id, r]) => ({ id, value: r.value, tag: r.tag }));
      return json(res, 200, data.length ? { data, meta: { sent, result_count: data.length } } : { meta: { sent, result_count: 0 } });
    }
    const dryRun = url.searchParams.get("dry_run") === "true";
    const parsed = JSON.parse(body) as { add?: { value: string; tag?: string }[]; delete?: { ids: string[] } };
    if (parsed.delete) {
      const ids = parsed.delete.ids;
      const known = ids.filter((id) => state.rules.has(id));
      if (!dryRun) for (const id of known) state.rules.delete(id);
      const errors = ids
        .filter((id) => !known.includes(id))
        .map((id) => ({ value: id, id, title: "ResourceNotFound", details: ["rule not found"] }));
      return json(res, 200, { meta: { sent, summary: { deleted: known.length, not_deleted: errors.length } }, ...(errors.length ? { errors } : {}) });
    }
    const created: { id: string; value: string; tag?: string }[] = [];
    const errors: unknown[] = [];
    for (const r of parsed.add ?? []) {
      if (r.value.includes("INVALID") || r.value.length > 512) {
        errors.push({ value: r.value, details: [`Invalid rule: unknown operator (at position 1)`], title: "UnprocessableEntity", type: "https://api.twitter.com/2/problems/invalid-rules" });
        continue;
      }
      const id = String(nextRuleId++);
      created.push({ id, value: r.value, ...(r.tag ? { tag: r.tag } : {}) });
      if (!dryRun) state.rules.set(id, { value: r.value, tag: r.tag ?? "" });
    }
    const summary = { created: created.length, not_created: errors.length, valid: created.length, invalid: errors.length };
    json(res, created.length ? 201 : 200, { ...(created.length ? { data: created } : {}), meta: { sent, summary }, ...(errors.length ? { errors } : {}) });
  }

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      state.requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body, at: Date.now() });
      if (!req.headers.authorization?.startsWith("Bearer ")) return json(res, 401, { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
      switch (url.pathname) {
        case "/2/tweets/search/stream":
          return void stream(req, res);
        case "/2/tweets/search/stream/rules":
          return rules(req, url, body, res);
        case "/2/tweets/search/recent":
          return search(url, res);
        case "/2/tweets/counts/recent":
          return json(res, 200, { data: state.counts, meta: { total_tweet_count: state.counts.reduce((s, c) => s + c.tweet_count, 0) } });
        default:
          return json(res, 404, { title: "Not Found" });
      }
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    base: `http://127.0.0.1:${port}`,
    streamConnections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}

/** A synthetic post (not from real data) as X would send it; ids above 2^53 like real ones. */
export function xLine(n: number, createdAt: string, rules: { id: string; tag: string | null }[] = [{ id: "1900000000000000001", tag: "defi-protocols" }]): XStreamLine {
  const id = String(1_800_000_000_000_000_000n + BigInt(n));
  const author = String(1_700_000_000_000_000_000n + BigInt(n % 7));
  return {
    data: {
      id,
      text: `synthetic post ${n}: $AAVE yields look fine #DeFi`,
      author_id: author,
      created_at: createdAt,
      lang: "en",
      conversation_id: id,
      edit_history_tweet_ids: [id],
      public_metrics: { retweet_count: n % 3, reply_count: 0, like_count: n, quote_count: 0 },
      entities: { cashtags: [{ tag: "AAVE" }], hashtags: [{ tag: "DeFi" }] },
    },
    includes: { users: [{ id: author, username: `synth${n % 7}`, name: `Synth ${n % 7}`, location: "Lisbon, Portugal", public_metrics: { followers_count: 100 + n, following_count: 5, tweet_count: 50, listed_count: 1 } }] },
    matching_rules: rules as XStreamLine["matching_rules"],
  };
}

/**
 * X API v2 compliance events, as the compliance streams send them (X docs, "Compliance data
 * objects"): post events `delete` / `drop` / `withheld` / `undrop`, user events `user_delete` /
 * `user_protect` / `user_suspend` / `user_unprotect`, …
 */
export function postComplianceNotice(event: "delete" | "drop" | "withheld" | "undrop" | "tweet_edit" | "scrub_geo", tweet: { id: string; author_id: string }, eventAt: string): { notice: string } {
  const extra = event === "withheld" ? ',"withheld_in_countries":["DE"]' : "";
  return { notice: `{"data":{"${event}":{"tweet":{"id":"${tweet.id}","author_id":"${tweet.author_id}"},"event_at":"${eventAt}"${extra}}}}` };
}

export function userComplianceNotice(event: "user_delete" | "user_protect" | "user_suspend" | "user_unprotect" | "user_undelete", userId: string, eventAt: string): { notice: string } {
  return { notice: `{"data":{"${event}":{"user":{"id":"${userId}"},"event_at":"${eventAt}"}}}` };
}

/** A legacy v1.1 / enterprise status delete: numeric ids bare (above 2^53), `id_str` beside them. */
export function legacyDeleteNotice(id: string, userId: string, atMs: number): { notice: string } {
  return { notice: `{"delete":{"status":{"id":${id},"id_str":"${id}","user_id":${userId},"user_id_str":"${userId}"},"timestamp_ms":"${atMs}"}}` };
}
