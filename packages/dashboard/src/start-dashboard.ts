/**
 * The dashboard server: one static page (our HTML/CSS/JS plus the local echarts bundle) and a
 * JSON API over the warehouse, with Server-Sent Events announcing table changes.
 *
 * @example
 * const dash = await startDashboard({ lakeDir: "lake" });   // http://127.0.0.1:8787/
 * // … later
 * await dash.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import path from "node:path";
import { LOCAL_WAREHOUSE_FILE } from "@defi-sentiment/shared";
import { Warehouse } from "@defi-sentiment/lake";
import { ANSWER_PARTS, AnswerCache, askFiltered, type AnswerPart } from "./dashboard-answers.ts";
import { FilterParameterError, parseViewFilter, viewFilterKey } from "./core/view-filter.ts";
import { summarizeHealth, NO_HEALTH } from "./core/health-summary.ts";
import { readHealthRecords } from "./adapters/health-records.ts";
import {
  DashboardConfigError,
  TOKEN_COOKIE,
  TOKEN_ENV,
  isLoopbackHost,
  isLoopbackHostHeader,
  presentedToken,
  requiredToken,
  tokensEqual,
} from "./core/access.ts";
import { loadStaticAssets, pageWithPreload, type StaticAsset } from "./static-assets.ts";
import { watchTable, type TableSignature } from "./table-watcher.ts";

export interface DashboardOptions {
  /** A warehouse opened by the caller (the local app shares its own); the dashboard never closes it. */
  warehouse?: Warehouse;
  /** The lake folder: health records are read from it, and the warehouse opened from it when none is given. */
  lakeDir?: string;
  /** Default 127.0.0.1. Any non-loopback host requires a token. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Required on every request when set; default `process.env.DASHBOARD_TOKEN`. */
  token?: string;
  /** How often the table is checked for changes, default 2000 ms. */
  pollMs?: number;
  /** Where request errors are reported; default stderr. */
  log?: (line: string) => void;
}

export interface Dashboard {
  url: string;
  /** Drops every cached answer (the next request computes afresh) and tells open pages to reload. */
  refresh(): void;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
} as const;

/** Starts the dashboard; resolves once it listens. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? "127.0.0.1";
  const token = requiredToken(host, options.token ?? process.env[TOKEN_ENV]);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!options.warehouse && !options.lakeDir) throw new DashboardConfigError("startDashboard needs a warehouse or a lakeDir");

  let ownWarehouse: Warehouse | undefined;
  let wh = options.warehouse;
  if (!wh) {
    const file = path.join(options.lakeDir!, LOCAL_WAREHOUSE_FILE);
    if (!existsSync(file))
      throw new DashboardConfigError(`no warehouse at ${file}: collect something first (npm start) or pass --lake <dir>`);
    wh = ownWarehouse = await Warehouse.open(file, { readOnly: true });
  }
  const warehouse = wh;
  const assets = loadStaticAssets();
  const cache = new AnswerCache(warehouse);
  const clients = new Set<ServerResponse>();

  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of clients) res.write(frame);
  };
  // On a change, the answers pages look at are recomputed first and pages told after, at most
  // every 3× the time one page of answers takes, so a big table that changes every poll does not
  // keep DuckDB busy. With no page open nothing is recomputed until someone asks (they get the
  // previous answers at once, and the fresh ones through a "changed" event moments later).
  let lastNotice = 0;
  let noticeTimer: NodeJS.Timeout | undefined;
  let refreshing = false;
  let again = false;
  let stale = false;
  const notify = async () => {
    clearTimeout(noticeTimer);
    noticeTimer = undefined;
    if (clients.size === 0) return void (stale = true);
    if (refreshing) return void (again = true);
    refreshing = true;
    try {
      do {
        again = false;
        stale = false;
        lastNotice = Date.now();
        await cache.refresh();
        broadcast("changed", watcher.current());
      } while (again);
    } catch (error) {
      log(`dashboard: refreshing answers failed: ${String(error)}`);
    } finally {
      refreshing = false;
    }
  };
  const changed = (_sig?: TableSignature) => {
    if (noticeTimer) return;
    const wait = lastNotice + 3 * cache.lastComputeMs - Date.now();
    if (wait <= 0) void notify();
    else noticeTimer = setTimeout(() => void notify(), wait);
  };

  const watcher = await watchTable(warehouse, options.pollMs ?? 2000, changed, (e) => log(`dashboard: watching the table failed: ${String(e)}`));
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`dashboard: ${req.method} ${req.url}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error (see the dashboard log)" });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    if (!token && !isLoopbackHostHeader(req.headers.host)) return sendJson(res, 421, { error: "this dashboard only answers to a loopback host name" });
    if (token) {
      const given = presentedToken({ authorization: req.headers.authorization, cookie: req.headers.cookie, queryToken: url.searchParams.get("token") });
      if (!tokensEqual(given, token)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="dashboard"');
        return sendJson(res, 401, { error: `missing or wrong token: send "Authorization: Bearer <${TOKEN_ENV}>" or open /?token=<${TOKEN_ENV}>` });
      }
      // The page's own requests (scripts, EventSource) cannot carry a header: hand it a cookie.
      if (url.searchParams.has("token"))
        res.setHeader("Set-Cookie", `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return sendJson(res, 405, { error: `method ${req.method} not allowed` });
    }
    try {
      switch (url.pathname) {
        case "/api/answers": {
          const part = url.searchParams.get("part") ?? "all";
          if (!(ANSWER_PARTS as readonly string[]).includes(part))
            throw new FilterParameterError("part", part, `expected one of ${ANSWER_PARTS.join(", ")}`);
          const filter = parseViewFilter(url.searchParams);
          sendJson(res, 200, { ...(await cache.get(filter, part as AnswerPart)), table: watcher.current() });
          if (stale && clients.size > 0) void notify();
          return;
        }
        case "/api/posts": {
          const filter = parseViewFilter(url.searchParams);
          if (!filter.author) throw new FilterParameterError("author", "", "required");
          return sendJson(res, 200, { filter, posts: await askFiltered(warehouse, "latestPosts", filter) });
        }
        case "/api/health": {
          const records = options.lakeDir ? await readHealthRecords(warehouse, options.lakeDir) : [];
          return sendJson(res, 200, records.length ? summarizeHealth(records) : NO_HEALTH);
        }
        case "/api/events":
          return openEvents(res);
        case "/favicon.ico":
          res.writeHead(204).end();
          return;
      }
    } catch (error) {
      if (error instanceof FilterParameterError) return sendJson(res, 400, { error: error.message });
      throw error;
    }
    if (url.pathname === "/" || url.pathname === "/index.html") {
      const page = assets.get("/index.html")!;
      let preload: string[] = [];
      try {
        const key = viewFilterKey({ ...parseViewFilter(url.searchParams), author: undefined });
        preload = ["charts", "lists"].map((part) => `/api/answers?${key ? `${key}&` : ""}part=${part}`);
      } catch {
        // the page shows the filter error itself
      }
      return sendAsset(req, res, { ...page, body: pageWithPreload(page, preload) });
    }
    const asset = assets.get(url.pathname);
    if (!asset) return sendJson(res, 404, { error: `no such page: ${url.pathname}` });
    sendAsset(req, res, asset);
  }

  function openEvents(res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(watcher.current() ?? null)}\n\n`);
    clients.add(res);
    if (stale) void notify(); // answers went stale while nobody watched: refresh them for this page
    const ping = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    res.on("close", () => {
      clearInterval(ping);
      clients.delete(res);
    });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 8787, host, () => resolve());
    });
  } catch (error) {
    watcher.stop();
    ownWarehouse?.close();
    throw new DashboardConfigError(`dashboard cannot listen on ${host}:${options.port ?? 8787}: ${(error as Error).message}`, { cause: error });
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  // Warm the unfiltered answers so the first visit is served from memory.
  for (const part of ["charts", "lists"] as const) void cache.get({}, part).catch(() => {});

  return {
    url: `http://${shownHost}:${port}/`,
    refresh() {
      cache.clear();
      broadcast("changed", watcher.current());
    },
    async close() {
      watcher.stop();
      clearTimeout(noticeTimer);
      for (const res of clients) res.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      ownWarehouse?.close();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(text);
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset): void {
  const gzip = asset.gzipped && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? asset.gzipped! : asset.body;
  res.writeHead(200, {
    "Content-Type": asset.type,
    "Content-Length": body.length,
    "Cache-Control": asset.immutable ? "public, max-age=86400" : "no-cache",
    ...(gzip ? { "Content-Encoding": "gzip", Vary: "Accept-Encoding" } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

export { isLoopbackHost };
