/**
 * The Lambda and collector ship as esbuild bundles built by their own packages. `pulumi up` must
 * never deploy a stale or missing bundle, so the program checks the folder before using it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A bundle folder or its entry file is missing: names both and the command that builds it. */
export class BundleMissingError extends Error {
  override readonly name = "BundleMissingError";
  constructor(
    readonly what: string,
    readonly missing: string,
    readonly buildCommand: string,
  ) {
    super(`${what} bundle not found: ${missing} does not exist. Build it first: ${buildCommand}`);
  }
}

/**
 * Returns the absolute bundle folder when it holds one of `entries`, else throws.
 *
 * @example
 * requireBundle("scorer", "packages/scorer/dist/lambda", ["index.mjs", "index.js"], "npm run build -w @defi-sentiment/scorer");
 */
export function requireBundle(what: string, dir: string, entries: string[], buildCommand: string): string {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new BundleMissingError(what, abs, buildCommand);
  if (!entries.some((e) => fs.existsSync(path.join(abs, e)))) {
    throw new BundleMissingError(what, path.join(abs, entries.join(" or ")), buildCommand);
  }
  return abs;
}
