/**
 * Writes one section of BENCHMARKS.md, between `<!-- bench:NAME -->` markers, so each
 * benchmark updates its own results and leaves the others alone.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCHMARKS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "BENCHMARKS.md");

/** One line naming the machine and date, for the top of each section. */
export function machineLine(now = new Date()): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `Measured ${now.toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`;
}

export function writeBenchmarkSection(name: string, markdown: string, file = BENCHMARKS_FILE): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nWritten by `npm run bench`; each section by its own benchmark.\n";
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
}
