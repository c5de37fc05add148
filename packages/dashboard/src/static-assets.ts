/**
 * The page's files, read once at start: our HTML/CSS/JS from `web/` and the echarts bundle from
 * node_modules (served locally: the page never fetches anything from elsewhere).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface StaticAsset {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
  immutable: boolean;
}

const WEB = new URL("./web/", import.meta.url);
const OWN = {
  "/index.html": "text/html; charset=utf-8",
  "/app.js": "text/javascript; charset=utf-8",
  "/charts.js": "text/javascript; charset=utf-8",
  "/dom.js": "text/javascript; charset=utf-8",
  "/app.css": "text/css; charset=utf-8",
  "/favicon.svg": "image/svg+xml",
} as const;

export const ECHARTS_PATH = "/vendor/echarts.min.js";

export function loadStaticAssets(): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [route, type] of Object.entries(OWN))
    assets.set(route, { body: readFileSync(fileURLToPath(new URL(`.${route}`, WEB))), type, immutable: false });
  const echarts = readFileSync(createRequire(import.meta.url).resolve("echarts/dist/echarts.min.js"));
  assets.set(ECHARTS_PATH, { body: echarts, gzipped: gzipSync(echarts, { level: 6 }), type: "text/javascript; charset=utf-8", immutable: true });
  return assets;
}
