/**
 * The X batch-compliance adapter: create a job, upload the id file, read the job's status,
 * download the results. Plain `fetch` with the bearer token, and the same base-URL override as
 * the X client (`https://api.x.com` in production, a local server in tests).
 */
import { X_API_BASE } from "../x/x-client.ts";

export type ComplianceJobStatus = "created" | "in_progress" | "complete" | "failed" | "expired";

export interface ComplianceJob {
  id: string;
  name: string | null;
  status: ComplianceJobStatus;
  upload_url: string;
  download_url: string;
  upload_expires_at: string | null;
  download_expires_at: string | null;
  error: string | null;
}

/** What `runComplianceCheck` needs from X; the HTTP client below is the real one. */
export interface ComplianceClient {
  createJob(name: string): Promise<ComplianceJob>;
  upload(job: ComplianceJob, body: string): Promise<void>;
  getJob(id: string): Promise<ComplianceJob>;
  download(job: ComplianceJob): Promise<string>;
}

/** A compliance call that failed; names the step and URL path, the HTTP status and X's detail. */
export class ComplianceApiError extends Error {
  override name = "ComplianceApiError";
  constructor(
    readonly step: string,
    readonly url: string,
    readonly status: number,
    detail: string,
    readonly rateLimitResetAt: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`X compliance ${step} (${url}): ${status ? `HTTP ${status}: ` : ""}${detail}`, options);
  }
}

export interface HttpComplianceClientOptions {
  bearerToken: string;
  /** `https://api.x.com` by default; a local server in tests. */
  baseUrl?: string;
  requestTimeoutMs?: number;
}

const STATUSES = new Set<ComplianceJobStatus>(["created", "in_progress", "complete", "failed", "expired"]);

function jobOf(body: unknown, url: string, step: string): ComplianceJob {
  const d = (body as { data?: Record<string, unknown> } | null)?.data;
  const s = (k: string) => (typeof d?.[k] === "string" ? (d[k] as string) : null);
  const status = s("status") as ComplianceJobStatus | null;
  const id = s("id");
  const upload = s("upload_url");
  const download = s("download_url");
  if (!d || !id || !upload || !download || !status || !STATUSES.has(status)) {
    throw new ComplianceApiError(step, url, 200, `unexpected job body ${JSON.stringify(body).slice(0, 200)}`);
  }
  return { id, name: s("name"), status, upload_url: upload, download_url: download, upload_expires_at: s("upload_expires_at"), download_expires_at: s("download_expires_at"), error: s("error") };
}

/** Redacts signed-URL query strings from error messages. */
const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
};

export function httpComplianceClient(options: HttpComplianceClientOptions): ComplianceClient {
  if (!options.bearerToken) throw new ComplianceApiError("setup", "-", 0, "no bearer token (set X_BEARER_TOKEN)");
  const base = (options.baseUrl ?? X_API_BASE).replace(/\/+$/, "");
  const timeout = options.requestTimeoutMs ?? 60_000;

  async function call(step: string, url: string, init: RequestInit, auth: boolean): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), ...(auth ? { authorization: `Bearer ${options.bearerToken}` } : {}) },
        signal: AbortSignal.timeout(timeout),
      });
    } catch (err) {
      throw new ComplianceApiError(step, pathOf(url), 0, (err as Error).message, null, { cause: err });
    }
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      const reset = Number(res.headers.get("x-rate-limit-reset"));
      let detail = text.slice(0, 300);
      try {
        const b = JSON.parse(text) as { detail?: string; title?: string; errors?: { message?: string }[] };
        detail = b.detail ?? b.title ?? b.errors?.[0]?.message ?? detail;
      } catch {
        /* not JSON: keep the text */
      }
      throw new ComplianceApiError(step, pathOf(url), res.status, detail || res.statusText, Number.isFinite(reset) && reset > 0 ? reset * 1000 : null);
    }
    return res;
  }

  return {
    async createJob(name) {
      const url = `${base}/2/compliance/jobs`;
      const res = await call("create job", url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "tweets", name, resumable: false }) }, true);
      return jobOf(await res.json(), url, "create job");
    },
    async upload(job, body) {
      // The upload URL is pre-signed (Google Cloud Storage in production): no bearer token.
      await call("upload ids", job.upload_url, { method: "PUT", headers: { "content-type": "text/plain" }, body }, false);
    },
    async getJob(id) {
      const url = `${base}/2/compliance/jobs/${encodeURIComponent(id)}`;
      const res = await call("job status", url, { method: "GET" }, true);
      return jobOf(await res.json(), url, "job status");
    },
    async download(job) {
      const res = await call("download results", job.download_url, { method: "GET" }, false);
      return res.text();
    },
  };
}
