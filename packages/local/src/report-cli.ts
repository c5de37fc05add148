/** `npm run report`: the three answers as Markdown, from the local lake's warehouse. */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { LOCAL_WAREHOUSE_FILE } from "@defi-sentiment/shared";
import { Warehouse, collectAnswers, renderReport } from "@defi-sentiment/lake";

const { values } = parseArgs({ options: { lake: { type: "string" }, top: { type: "string" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  process.stdout.write("Usage: npm run report [-- --lake <dir>] [--top <n>]\nPrints the three answers as Markdown from <dir>/warehouse.duckdb (default ./lake, env LAKE_DIR).\n");
  process.exit(0);
}
const lakeDir = path.resolve(values.lake ?? process.env.LAKE_DIR ?? "lake");
const file = path.join(lakeDir, LOCAL_WAREHOUSE_FILE);
if (!existsSync(file)) {
  process.stderr.write(`error: no warehouse at ${file}. Run \`npm start\` first (or pass --lake <dir>).\n`);
  process.exit(2);
}
const top = Number(values.top ?? 10);
if (!Number.isInteger(top) || top < 1) {
  process.stderr.write(`error: --top must be a positive whole number, got ${JSON.stringify(values.top)}\n`);
  process.exit(2);
}
const wh = await Warehouse.open(file, { readOnly: true });
try {
  process.stdout.write(renderReport(await collectAnswers(wh), top));
} finally {
  wh.close();
}
