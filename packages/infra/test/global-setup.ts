/**
 * Builds stand-in bundles with esbuild (≈50 ms) so the program's bundle check and FileArchive
 * paths point at real folders, without depending on the scorer/collector builds.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
export const TEST_BUNDLES = path.resolve(here, "../.test-bundles");

export default async function setup(): Promise<void> {
  const common = { bundle: true, platform: "node", format: "esm", target: "node22", logLevel: "silent" } as const;
  await build({ ...common, entryPoints: [path.join(here, "fixtures/scorer-handler.ts")], outfile: path.join(TEST_BUNDLES, "scorer/index.mjs") });
  await build({ ...common, entryPoints: [path.join(here, "fixtures/collector-main.ts")], outfile: path.join(TEST_BUNDLES, "collector/index.mjs") });
  await build({ ...common, entryPoints: [path.join(here, "fixtures/collector-main.ts")], outfile: path.join(TEST_BUNDLES, "lifecycle/compliance.mjs") });
}
