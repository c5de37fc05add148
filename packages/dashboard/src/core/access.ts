/**
 * Who may talk to the dashboard. On a loopback address it needs no token (but only answers
 * requests addressed to a loopback name, which stops DNS rebinding); anywhere else it refuses to
 * start without a token and then requires it on every request.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const TOKEN_ENV = "DASHBOARD_TOKEN";
export const TOKEN_COOKIE = "dashboard_token";

/** The dashboard was asked to start in a way that would expose it; says what to set. */
export class DashboardConfigError extends Error {
  override name = "DashboardConfigError";
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The token to require, or `undefined` for none; throws when a non-loopback bind has no token. */
export function requiredToken(host: string, token: string | undefined): string | undefined {
  const t = token?.trim() || undefined;
  if (!t && !isLoopbackHost(host))
    throw new DashboardConfigError(
      `dashboard host "${host}" is not a loopback address: set ${TOKEN_ENV} (or pass token) so every request must carry it`,
    );
  if (t && t.length < 16) throw new DashboardConfigError(`${TOKEN_ENV} is too short: use at least 16 characters`);
  return t;
}

/** The Host header names a loopback address (with any port). */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : hostHeader.split(":")[0]!;
  return isLoopbackHost(name);
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export function tokensEqual(given: string | undefined | null, expected: string): boolean {
  return typeof given === "string" && timingSafeEqual(digest(given), digest(expected));
}

export interface TokenSources {
  authorization?: string;
  cookie?: string;
  queryToken?: string | null;
}

/** Where the request carried the token: `Authorization: Bearer`, `?token=`, or the cookie the page got. */
export function presentedToken(s: TokenSources): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(s.authorization ?? "")?.[1]?.trim();
  if (bearer) return bearer;
  if (s.queryToken) return s.queryToken;
  for (const part of (s.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join("="));
  }
  return undefined;
}
