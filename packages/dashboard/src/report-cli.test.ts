import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Warehouse } from "@defi-sentiment/lake";
import { ReportCliError, parseReportArgs, runReport } from "./report-cli.ts";
import { syntheticRows } from "../test/synthetic-rows.ts";

const CLI = fileURLToPath(new URL("./report-cli.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "dash-report-"));
  mkdirSync(path.join(dir, "lake"));
  const wh = await Warehouse.open(path.join(dir, "lake", "warehouse.duckdb"));
  await wh.upsert(syntheticRows(200, { days: 2 }));
  wh.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("report CLI", () => {
  it("prints the three answers as Markdown from a lake folder", async () => {
    const md = await runReport(path.join(dir, "lake"));
    expect(md).toMatch(/^# DeFi sentiment report/);
    expect(md).toContain("200 posts");
    expect(md).toContain("## Who are the major influencers?");
    expect(md).toContain("## Where posts come from");
  });

  it("says clearly when the lake does not exist yet", async () => {
    await expect(runReport(path.join(dir, "nowhere"))).rejects.toThrow(ReportCliError);
    await expect(runReport(path.join(dir, "nowhere"))).rejects.toThrow(/no lake at .*nowhere.*npm start/);
  });

  it("says clearly when the lake has no warehouse yet", async () => {
    mkdirSync(path.join(dir, "empty-lake"), { recursive: true });
    await expect(runReport(path.join(dir, "empty-lake"))).rejects.toThrow(/no warehouse at .*warehouse\.duckdb/);
  });

  it("defaults to ./lake and rejects unknown arguments", () => {
    expect(parseReportArgs([])).toEqual({ lakeDir: "lake", help: false });
    expect(parseReportArgs(["--lake", "x"]).lakeDir).toBe("x");
    expect(parseReportArgs(["--lake=y"]).lakeDir).toBe("y");
    expect(() => parseReportArgs(["--lak", "x"])).toThrow(/unknown argument "--lak"/);
  });

  it("runs as a command and exits 1 with the message on stderr when there is no lake", async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ["--import", "tsx", CLI, "--lake", path.join(dir, "lake")], { cwd: REPO });
    expect(ok.stdout).toContain("# DeFi sentiment report");
    const failed = await run(process.execPath, ["--import", "tsx", CLI, "--lake", path.join(dir, "missing")], { cwd: REPO }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/^report: no lake at/);
  }, 60_000);
});
