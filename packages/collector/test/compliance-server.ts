/**
 * A local server speaking X's batch-compliance wire protocol: `POST /2/compliance/jobs`,
 * the pre-signed `PUT upload_url` (text/plain, one id per line), `GET /2/compliance/jobs/:id`
 * whose status moves created → in_progress (after the upload) → complete after a number of
 * polls, and `GET download_url` returning JSON lines for the uploaded ids X reports on.
 * SYNTHETIC only. node:http on 127.0.0.1, port 0.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ComplianceServerOptions {
  /** Posts X reports on, by id: the reason a result line carries. */
  gone?: Map<string, string>;
  /** Status polls after the upload before a job is complete (default 2). */
  pollsUntilComplete?: number;
  /** Scripted answers for the first create calls (e.g. one 429), then normal. */
  createReplies?: { status: number; headers?: Record<string, string>; body?: unknown }[];
  /** Make every job end `failed` instead of `complete`. */
  failJobs?: boolean;
  /** Raw extra lines appended to every results file (to test bad lines). */
  extraResultLines?: string[];
  bearerToken?: string;
}

export interface ServerJob {
  id: string;
  name: string;
  type: string;
  status: "created" | "in_progress" | "complete" | "failed";
  uploaded: string[] | null;
  polls: number;
}

export interface ComplianceServer {
  base: string;
  jobs: Map<string, ServerJob>;
  requests: { method: string; path: string; authorization: string | undefined; contentType: string | undefined }[];
  close(): Promise<void>;
}

export async function startComplianceServer(options: ComplianceServerOptions = {}): Promise<ComplianceServer> {
  const gone = options.gone ?? new Map<string, string>();
  const pollsUntilComplete = options.pollsUntilComplete ?? 2;
  const token = options.bearerToken ?? "test-token";
  const createReplies = [...(options.createReplies ?? [])];
  const jobs = new Map<string, ServerJob>();
  const requests: ComplianceServer["requests"] = [];
  let seq = 0;
  let base = "";

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const jobBody = (j: ServerJob) => ({
    data: {
      id: j.id,
      type: j.type,
      name: j.name,
      resumable: false,
      status: j.status,
      created_at: "2026-11-24T10:00:00.000Z",
      upload_url: `${base}/upload/${j.id}?X-Goog-Signature=abc`,
      upload_expires_at: "2026-11-24T10:15:00.000Z",
      download_url: `${base}/download/${j.id}?X-Goog-Signature=def`,
      download_expires_at: "2026-12-01T10:00:00.000Z",
    },
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", base);
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: url.pathname, authorization: req.headers.authorization, contentType: req.headers["content-type"] });
      const api = url.pathname.startsWith("/2/");
      if (api && req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });

      if (req.method === "POST" && url.pathname === "/2/compliance/jobs") {
        const scripted = createReplies.shift();
        if (scripted) return json(res, scripted.status, scripted.body ?? {}, scripted.headers);
        const b = JSON.parse(body || "{}") as { type?: string; name?: string };
        if (b.type !== "tweets" && b.type !== "users") return json(res, 400, { errors: [{ message: "type must be tweets or users" }], title: "Invalid Request" });
        const j: ServerJob = { id: String(1_800_000_000_000_000_000n + BigInt(++seq)), name: b.name ?? "", type: b.type, status: "created", uploaded: null, polls: 0 };
        jobs.set(j.id, j);
        return json(res, 200, jobBody(j));
      }
      const status = /^\/2\/compliance\/jobs\/(\d+)$/.exec(url.pathname);
      if (req.method === "GET" && status) {
        const j = jobs.get(status[1]!);
        if (!j) return json(res, 404, { errors: [{ message: "job not found" }] });
        if (j.uploaded) {
          j.polls++;
          j.status = j.polls >= pollsUntilComplete ? (options.failJobs ? "failed" : "complete") : "in_progress";
        }
        return json(res, 200, jobBody(j));
      }
      const upload = /^\/upload\/(\d+)$/.exec(url.pathname);
      if (req.method === "PUT" && upload) {
        const j = jobs.get(upload[1]!);
        if (!j || !url.searchParams.get("X-Goog-Signature")) return json(res, 403, { error: "bad signature" });
        j.uploaded = body.split("\n").map((s) => s.trim()).filter(Boolean);
        j.status = "in_progress";
        res.writeHead(200);
        return res.end();
      }
      const download = /^\/download\/(\d+)$/.exec(url.pathname);
      if (req.method === "GET" && download) {
        const j = jobs.get(download[1]!);
        if (!j || j.status !== "complete") return json(res, 404, { error: "not ready" });
        const lines = (j.uploaded ?? [])
          .filter((id) => gone.has(id))
          // Ids as JSON strings, as X sends them; created_at/redacted_at in X's format.
          .map((id) => JSON.stringify({ id, action: "delete", created_at: "2026-11-20T01:00:00.000Z", redacted_at: "2026-11-23T12:00:00.000Z", reason: gone.get(id) }));
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end([...lines, ...(options.extraResultLines ?? [])].join("\n") + "\n");
      }
      json(res, 404, { title: "Not Found", detail: `${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    jobs,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
