/**
 * `npm run build -w @defi-sentiment/infra`: fails, naming the folder and the command, unless the
 * scorer, collector and lifecycle bundles the program deploys exist. Nx runs the packages' builds first
 * (implicitDependencies + `build.dependsOn: ["^build"]`).
 */
import { BUILD_BUNDLES, BUILD_LIFECYCLE_BUNDLE } from "./program.ts";
import { requireBundle, BundleMissingError } from "./bundle.ts";
import { DEFAULT_COLLECTOR_BUNDLE_DIR, DEFAULT_LIFECYCLE_BUNDLE_DIR, DEFAULT_SCORER_BUNDLE_DIR } from "./config.ts";

try {
  const scorer = requireBundle("scorer", DEFAULT_SCORER_BUNDLE_DIR, ["index.mjs", "index.js"], BUILD_BUNDLES);
  const collector = requireBundle("collector", DEFAULT_COLLECTOR_BUNDLE_DIR, ["index.mjs"], BUILD_BUNDLES);
  const lifecycle = requireBundle("lifecycle", DEFAULT_LIFECYCLE_BUNDLE_DIR, ["compliance.mjs"], BUILD_LIFECYCLE_BUNDLE);
  process.stdout.write(`bundles ready: ${scorer}, ${collector}, ${lifecycle}\n`);
} catch (e) {
  if (!(e instanceof BundleMissingError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
