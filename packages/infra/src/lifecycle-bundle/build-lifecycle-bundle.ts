/**
 * `npm run build:lifecycle -w @defi-sentiment/infra`: bundles the lifecycle commands' own mains
 * (`complianceMain`, `rescoreMain` in packages/local) with esbuild into `dist/lifecycle/`, so the
 * collector host runs `node compliance.mjs --aws …` exactly as `npm run compliance -- --aws …`
 * runs in the repository, without the monorepo or DuckDB's native binding on the host.
 * The entries are esbuild stdin text, not imports: infra's own code depends only on shared.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../../..");

/** Entry file name → [module under packages/local/src/lifecycle, exported main]. */
export const LIFECYCLE_ENTRIES = {
  "compliance.mjs": ["compliance.ts", "complianceMain"],
  "rescore.mjs": ["rescore.ts", "rescoreMain"],
} as const;

const DUCKDB = "@duckdb/node-api";

/**
 * Stands in for DuckDB: the `--aws` paths never open the local warehouse, and the host has no
 * DuckDB native binding. Every export the real package has exists (so imports resolve however
 * the lake's code changes); calling one says why instead of a missing module.
 */
async function duckdbUnavailable(): Promise<Plugin> {
  const real = createRequire(path.join(repoRoot, "packages/lake/package.json")).resolve(DUCKDB);
  const names = Object.keys((await import(pathToFileURL(real).href)) as object).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const contents = [
    `const message = "DuckDB is not in the AWS lifecycle bundle: run the local (--lake) commands from the repository";`,
    "const unavailable = new Proxy(function () {}, { get: () => unavailable, apply() { throw new Error(message); }, construct() { throw new Error(message); } });",
    ...names.map((n) => `export const ${n} = unavailable;`),
  ].join("\n");
  return {
    name: "duckdb-unavailable",
    setup(b) {
      b.onResolve({ filter: /^@duckdb\/node-api$/ }, () => ({ path: DUCKDB, namespace: "duckdb-unavailable" }));
      b.onLoad({ filter: /.*/, namespace: "duckdb-unavailable" }, () => ({ contents, loader: "js" }));
    },
  };
}

export async function buildLifecycleBundle(outDir: string): Promise<string[]> {
  const written: string[] = [];
  const duckdb = await duckdbUnavailable();
  for (const [file, [module, main]] of Object.entries(LIFECYCLE_ENTRIES)) {
    const outfile = path.join(outDir, file);
    await build({
      stdin: {
        contents: `import { ${main} } from "./${module}";\nprocess.exitCode = await ${main}(process.argv.slice(2));\n`,
        resolveDir: path.join(repoRoot, "packages/local/src/lifecycle"),
        sourcefile: `${file}.entry.ts`,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      outfile,
      plugins: [duckdb],
      // CommonJS dependencies (the AWS SDK's) call require(); ESM output has none of its own.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: "warning",
    });
    written.push(outfile);
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? path.join(repoRoot, "packages/infra/dist/lifecycle");
  const files = await buildLifecycleBundle(out);
  process.stdout.write(`lifecycle bundle: ${files.join(", ")}\n`);
}
