import { defineConfig } from "vitest/config";

export default defineConfig({
  // The core is pure and loads its lexicon and gazetteer once; sharing the module cache across
  // files keeps the suite well under a minute on 2 cores.
  test: { name: "scorer", include: ["src/**/*.test.ts", "test/**/*.test.ts"], isolate: false },
});
