#!/usr/bin/env node
// Runs the TypeScript CLI with no build step: tsx (a root devDependency) compiles it on load.
import { register } from "tsx/esm/api";

register();
const { main } = await import(new URL("../src/cli.ts", import.meta.url).href);
await main();
