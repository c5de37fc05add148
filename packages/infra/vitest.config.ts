import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "infra",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Files share a worker's module cache so @pulumi/aws (~3 s to import) loads once, not per file;
    // each stack build installs fresh mocks and empty config (test/pulumi-harness.ts).
    isolate: false,
    // Building a whole stack under mocks imports @pulumi/aws (~3 s alone); on a busy shared
    // machine a beforeAll can take far longer than vitest's 10 s default.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
