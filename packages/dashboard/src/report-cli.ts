/**
 * `npm run report`: the three answers as Markdown, from a lake folder's warehouse.
 *
 *   node --import tsx packages/dashboard/src/report-cli.ts [--lake <dir>] [--help]
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { LOCAL_WAREHOUSE_FILE } from "@defi-sentiment/shared";
import { Warehouse, collectAnswers, renderReport } from "@defi-sentiment/lake";

/** The report cannot be made; the message says what is missing and where. */
export class ReportCliError extends Error {
  override name = "ReportCliError";
}

const USAGE = "usage: npm run report -- [--lake <dir>]   (default: lake)";

export function parseReportArgs(argv: readonly string[]): { lakeDir: string; help: boolean } {
  let lakeDir = "lake";
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") help = true;
    else if (a === "--lake") {
      const v = argv[++i];
      if (!v) throw new ReportCliError(`--lake needs a directory\n${USAGE}`);
      lakeDir = v;
    } else if (a.startsWith("--lake=")) lakeDir = a.slice("--lake=".length);
    else throw new ReportCliError(`unknown argument "${a}"\n${USAGE}`);
  }
  return { lakeDir, help };
}

/** Opens `<lakeDir>/warehouse.duckdb` read-only and renders the Markdown report. */
export async function runReport(lakeDir: string): Promise<string> {
  const file = path.join(lakeDir, LOCAL_WAREHOUSE_FILE);
  if (!existsSync(lakeDir)) throw new ReportCliError(`no lake at ${path.resolve(lakeDir)}: run \`npm start\` to collect first, or pass --lake <dir>`);
  if (!existsSync(file)) throw new ReportCliError(`no warehouse at ${path.resolve(file)}: nothing has been scored into this lake yet (run \`npm start\`)`);
  let wh: Warehouse;
  try {
    wh = await Warehouse.open(file, { readOnly: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ReportCliError(
      /lock/i.test(why)
        ? `the warehouse ${file} is in use by a running collector (DuckDB allows one writer): read the report on the dashboard, or stop the collector first`
        : `cannot open the warehouse ${file}: ${why}`,
    );
  }
  try {
    return renderReport(await collectAnswers(wh));
  } finally {
    wh.close();
  }
}

async function main(): Promise<void> {
  try {
    const { lakeDir, help } = parseReportArgs(process.argv.slice(2));
    if (help) return void process.stdout.write(`${USAGE}\n`);
    process.stdout.write(await runReport(lakeDir));
  } catch (error) {
    process.stderr.write(`report: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
