/**
 * `npm start` imports the collector; a local run (generator, replay) never talks to AWS or X, so
 * importing it must not load the AWS SDK or twitter-api-v2 (~300 ms of main-thread time). They
 * load when a Firehose sink or an X client is made, and then work against the real protocols.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startFirehoseServer } from "./firehose-server.ts";
import { startXServer } from "./x-server.ts";

const driver = fileURLToPath(new URL("./loaded-packages-driver.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "collector-lazy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const remote = (packages: string[]) => packages.filter((p) => p === "twitter-api-v2" || p.startsWith("@aws-sdk/") || p.startsWith("@smithy/"));

describe("loading the collector", () => {
  it("loads no AWS SDK, Smithy or twitter-api-v2 package until a Firehose sink or an X client is used", async () => {
    const firehose = await startFirehoseServer();
    const x = await startXServer();
    x.rules.set("1900000000000000001", { value: "uniswap", tag: "defi" });
    try {
      const child = spawn(process.execPath, ["--import", "tsx", driver, JSON.stringify({ firehose: firehose.url, x: x.base, dataDir: join(dir, "data") })], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code, err).toBe(0);
      const steps = Object.fromEntries(out.trim().split("\n").map((l) => JSON.parse(l) as { step: string; packages: string[] }).map((s) => [s.step, s.packages]));

      expect(remote(steps["import"]!)).toEqual([]);
      expect(remote(steps["generator run"]!)).toEqual([]);
      // The child's listing does see these packages once they are used.
      expect(steps["firehose put"]).toEqual(expect.arrayContaining(["@aws-sdk/client-firehose", "@smithy/node-http-handler"]));
      expect(steps["firehose put"]).not.toContain("twitter-api-v2");
      expect(firehose.accepted.map(String)).toEqual(['{"id":"1"}\n']);
      expect(steps["x rules 1"]).toContain("twitter-api-v2");
    } finally {
      await firehose.close();
      await x.close();
    }
  }, 60_000);
});
