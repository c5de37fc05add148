// ESLint flat config: typescript-eslint plus Nx module boundaries with real constraints.
import tseslint from "typescript-eslint";
import nx from "@nx/eslint-plugin";

const sdks = ["@aws-sdk/*", "@smithy/*", "twitter-api-v2", "@duckdb/*", "@pulumi/*", "playwright-core", "echarts"];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".nx/**", "lake/**", "test-artifacts/**", "**/*.min.js", "**/public/vendor/**", "**/*.tmp.*", ".tmp/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "@nx": nx },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@nx/enforce-module-boundaries": [
        "error",
        {
          allow: [],
          depConstraints: [
            // shared is the contract: it depends on nothing of ours and no SDK.
            { sourceTag: "type:contract", onlyDependOnLibsWithTags: [], bannedExternalImports: sdks },
            { sourceTag: "type:compute", onlyDependOnLibsWithTags: ["type:contract"] },
            { sourceTag: "type:local", onlyDependOnLibsWithTags: ["type:contract"] },
            { sourceTag: "type:ui", onlyDependOnLibsWithTags: ["type:contract", "type:local"] },
            { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:contract", "type:compute", "type:local", "type:ui"] },
            { sourceTag: "type:infra", onlyDependOnLibsWithTags: ["type:contract"] },
          ],
        },
      ],
    },
  },
  {
    // Pure cores: no SDKs, no file system, no network, no clock of their own.
    files: ["packages/*/src/core/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...sdks, "node:fs", "node:fs/*", "node:http", "node:https", "node:net", "fs", "http", "https"] }],
    },
  },
  {
    // Benchmarks may reach the root bench helpers (BENCHMARKS.md writer) by path.
    files: ["**/bench/**/*.ts"],
    rules: { "@nx/enforce-module-boundaries": "off" },
  },
);
