#!/usr/bin/env node
/** Entry point of the collector CLI (bundled to dist/collector/index.mjs for EC2). */
import { main } from "./main.ts";

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error;
    process.stderr.write(JSON.stringify({ at: new Date().toISOString(), level: "error", error: e?.name, msg: e?.message ?? String(err) }) + "\n");
    process.exit(e?.name?.endsWith("ConfigError") ? 2 : 1);
  },
);
