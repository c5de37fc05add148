import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, it } from "vitest";
import { BundleMissingError, requireBundle } from "../src/bundle.ts";

const build = "npm run build -w @defi-sentiment/scorer -w @defi-sentiment/collector";

it("refuses to deploy a missing bundle folder, naming it and the build command", () => {
  const missing = path.join(os.tmpdir(), `no-such-bundle-${process.pid}`);
  expect(() => requireBundle("scorer", missing, ["index.mjs"], build)).toThrow(BundleMissingError);
  expect(() => requireBundle("scorer", missing, ["index.mjs"], build)).toThrow(`scorer bundle not found: ${missing} does not exist. Build it first: ${build}`);
});

it("refuses a bundle folder without its entry file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
  try {
    expect(() => requireBundle("collector", dir, ["index.mjs"], build)).toThrow(`${path.join(dir, "index.mjs")} does not exist`);
    fs.writeFileSync(path.join(dir, "index.mjs"), "");
    expect(requireBundle("collector", dir, ["index.mjs"], build)).toBe(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
