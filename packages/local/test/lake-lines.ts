/** Test helper: every line of every gzipped NDJSON object under a lake prefix folder. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export function objectLines(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d)) {
      const f = path.join(d, e);
      if (statSync(f).isDirectory()) walk(f);
      else if (f.endsWith(".ndjson.gz")) out.push(...gunzipSync(readFileSync(f)).toString().split("\n").filter(Boolean));
    }
  };
  walk(dir);
  return out;
}
