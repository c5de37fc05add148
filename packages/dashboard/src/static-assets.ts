/**
 * The page's files, read once at start: our HTML/CSS/JS from `web/` and the echarts bundle from
 * node_modules (served locally: the page never fetches anything from elsewhere). The "common"
 * build has every chart and component the page uses and is a third smaller to parse.
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
  const echarts = readFileSync(createRequire(import.meta.url).resolve("echarts/dist/echarts.common.min.js"));
  assets.set(ECHARTS_PATH, { body: echarts, gzipped: gzipSync(echarts, { level: 6 }), type: "text/javascript; charset=utf-8", immutable: true });
  return assets;
}

/** The page, asking the browser to fetch `answerPaths` while the scripts load (the script's fetches then reuse them). */
export function pageWithPreload(page: StaticAsset, answerPaths: readonly string[]): Buffer {
  const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const links = answerPaths.map((p) => `<link rel="preload" href="${attr(p)}" as="fetch" crossorigin="anonymous">`).join("\n  ");
  return Buffer.from(page.body.toString("utf8").replace("<!--preload-->", links));
}
