/**
 * `npm run build -w @defi-sentiment/infra`: fails, naming the folder and the command, unless the
 * scorer and collector bundles the program deploys exist. Nx runs the packages' builds first
 * (implicitDependencies + `build.dependsOn: ["^build"]`).
 */
import { BUILD_BUNDLES } from "./program.ts";
import { requireBundle, BundleMissingError } from "./bundle.ts";
import { DEFAULT_COLLECTOR_BUNDLE_DIR, DEFAULT_SCORER_BUNDLE_DIR } from "./config.ts";

try {
  const scorer = requireBundle("scorer", DEFAULT_SCORER_BUNDLE_DIR, ["index.mjs", "index.js"], BUILD_BUNDLES);
  const collector = requireBundle("collector", DEFAULT_COLLECTOR_BUNDLE_DIR, ["index.mjs"], BUILD_BUNDLES);
  process.stdout.write(`bundles ready: ${scorer}, ${collector}\n`);
} catch (e) {
  if (!(e instanceof BundleMissingError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
