// Worker entry: Node 20 does not apply `--import tsx` hooks inside worker threads, so register
// tsx here, then load the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./transform-worker.ts");
