/**
 * Runs the generated compliance wrapper with bash, against fake `node-22` and `aws` executables that
 * log their arguments and environment: what systemd would see on the host, minus AWS.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complianceWrapper } from "./collector-user-data.ts";
import { COMPLIANCE_SUCCESS_METRIC, lifecycleMetricNamespace } from "./lifecycle-metric.ts";
import { userDataArgs } from "../../test/fixtures/user-data-args.ts";

const NODE = "/usr/bin/node-22";
const args = userDataArgs;

let dir: string;
let script: string;

// Each fake appends one line per call: "<name> token=<X_BEARER_TOKEN or -> <args>".
const FAKE = (name: string, body: string) => `#!/bin/bash
echo "${name} token=\${X_BEARER_TOKEN:--} $*" >> "$FAKE_LOG"
${body}
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "compliance-wrapper-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "node-22"), FAKE("node", 'exit "${FAKE_NODE_EXIT:-0}"'), { mode: 0o755 });
  fs.writeFileSync(
    path.join(bin, "aws"),
    FAKE(
      "aws",
      `case "$*" in
  *"ssm get-parameter"*) [ "\${FAKE_SSM_EXIT:-0}" = 0 ] || exit "$FAKE_SSM_EXIT"; echo "tok-from-ssm" ;;
  *"cloudwatch put-metric-data"*) exit "\${FAKE_CW_EXIT:-0}" ;;
  *) echo "unexpected aws call: $*" >&2; exit 99 ;;
esac`,
    ),
    { mode: 0o755 },
  );
  const wrapper = complianceWrapper(args);
  // The production script names node by absolute path (once); aws comes from PATH.
  expect(wrapper.split(NODE)).toHaveLength(2);
  script = path.join(dir, "run-compliance.sh");
  fs.writeFileSync(script, wrapper.replace(NODE, path.join(bin, "node-22")), { mode: 0o755 });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string> = {}) {
  const log = path.join(dir, `log-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(log, "");
  const r = spawnSync("bash", [script], {
    encoding: "utf8",
    env: { PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`, FAKE_LOG: log, ...env },
  });
  return { status: r.status, stderr: r.stderr, calls: fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) };
}

const METRIC_CALL = `aws token=- --region eu-west-1 cloudwatch put-metric-data --namespace defi-sentiment-dev/lifecycle --metric-name ${COMPLIANCE_SUCCESS_METRIC} --value 1 --unit Count`;

describe("compliance wrapper (run with bash against fake node-22 and aws)", () => {
  it("on success: token from SSM for the check only, then exactly one success data point, exit 0", () => {
    const r = run();
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      "aws token=- --region eu-west-1 ssm get-parameter --with-decryption --name /defi-sentiment-dev/x-bearer-token --query Parameter.Value --output text",
      "node token=tok-from-ssm /opt/defi-sentiment-lifecycle/current/compliance.mjs --aws --bucket lake-b1 --database defi_sentiment_dev --workgroup defi-sentiment-dev --since 7d",
      METRIC_CALL,
    ]);
    expect(r.calls.filter((c) => c.includes("put-metric-data"))).toHaveLength(1);
  });

  it("on a failed check: keeps its exit status (the unit fails) and publishes nothing", () => {
    for (const code of ["1", "3"]) {
      const r = run({ FAKE_NODE_EXIT: code });
      expect(r.status, `check exit ${code}`).toBe(Number(code));
      expect(r.calls.some((c) => c.includes("cloudwatch"))).toBe(false);
      expect(r.calls.at(-1)).toMatch(/^node token=tok-from-ssm /);
    }
  });

  it("when the token cannot be read: fails before the check and publishes nothing", () => {
    const r = run({ FAKE_SSM_EXIT: "254" });
    expect(r.status).toBe(254);
    expect(r.calls).toEqual([expect.stringMatching(/^aws token=- --region eu-west-1 ssm get-parameter /)]);
  });

  it("when only the publish fails: the successful check still exits 0, and says the alarm will fire", () => {
    const r = run({ FAKE_CW_EXIT: "255" });
    expect(r.status).toBe(0);
    expect(r.calls.at(-1)).toBe(METRIC_CALL);
    expect(r.stderr).toContain(`compliance check succeeded, but its heartbeat (${COMPLIANCE_SUCCESS_METRIC}) was not published`);
  });
});

describe("lifecycleMetricNamespace", () => {
  it("is the stack's name prefix under /lifecycle, and refuses a prefix that is not a plain name", () => {
    expect(lifecycleMetricNamespace("defi-sentiment-prod")).toBe("defi-sentiment-prod/lifecycle");
    expect(() => lifecycleMetricNamespace("AWS")).toThrow(/not a plain lowercase name/);
  });
});
