/**
 * The lifecycle bundle the collector host runs is built from the real lifecycle commands
 * (packages/local), and runs on plain Node without the monorepo or DuckDB.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildLifecycleBundle } from "../src/lifecycle-bundle/build-lifecycle-bundle.ts";

let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-bundle-"));
  await buildLifecycleBundle(dir);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (file: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(dir, file), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 30_000 });

it("runs the compliance command's own argument checks (what `npm run compliance -- --aws` does)", () => {
  const r = run("compliance.mjs", ["--aws", "--bucket", "b", "--database", "d", "--workgroup", "w", "--since", "7d"], { X_BEARER_TOKEN: "t" });
  expect(r.stderr).toBe("compliance: --aws needs AWS_REGION\n");
  expect(r.status).toBe(2);
  const noToken = run("compliance.mjs", ["--aws"], { AWS_REGION: "eu-west-1" });
  expect(noToken.stderr).toMatch(/X_BEARER_TOKEN is not set/);
  expect(noToken.status).toBe(2);
});

it("runs the rescore command, taking bucket and stream from the host's environment file names", () => {
  const r = run("rescore.mjs", ["--aws"], { AWS_REGION: "eu-west-1", LAKE_BUCKET: "b" });
  expect(r.stderr).toMatch(/--aws needs --stream or RESCORE_STREAM/);
  expect(r.status).toBe(2);
});
