import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startXServer, xLine, type XServer } from "./x-server.ts";

const CLI = resolve(import.meta.dirname, "../src/cli.ts");
const ROOT = resolve(import.meta.dirname, "../../..");

function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

let dir: string;
let server: XServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "cli-"));
  server = await startXServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("collector CLI", () => {
  it("prints help and exits 0", async () => {
    const cli = startCli(["--help"], {});
    expect(await cli.exited).toBe(0);
    expect(cli.out()).toMatch(/Commands:\n\s+run\s/);
  });

  it("exits 2 naming the variable when configuration is wrong", async () => {
    const cli = startCli(["run"], {});
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toMatch(/X_BEARER_TOKEN/);
  });

  it("on SIGTERM stops reading, delivers what it read, and exits 0 without logging the token", async () => {
    const now = Date.now();
    server.streamReplies.push({ steps: [1, 2, 3].map((n) => ({ line: xLine(n, new Date(now - 60_000 + n * 1000).toISOString()) })) });
    const cli = startCli(["run", "--sink", "stdout", "--data-dir", join(dir, "data")], { X_BEARER_TOKEN: "very-secret-token", X_API_BASE_URL: server.base });
    for (let i = 0; i < 150 && cli.out().split("\n").filter(Boolean).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    const posts = cli.out().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(posts.map((p) => p.id)).toEqual(["1800000000000000001", "1800000000000000002", "1800000000000000003"]);
    expect(cli.err()).toMatch(/"event":"stopped"/);
    expect(cli.err()).not.toContain("very-secret-token");
  }, 30_000);
});
