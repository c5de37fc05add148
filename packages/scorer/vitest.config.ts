import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { name: "scorer", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
