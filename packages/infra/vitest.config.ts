import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "infra",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Building a whole stack under mocks imports @pulumi/aws (~3 s alone); on a busy shared
    // machine a beforeAll can take far longer than vitest's 10 s default.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
