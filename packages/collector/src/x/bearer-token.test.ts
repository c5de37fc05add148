import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BearerTokenError, resolveBearerToken } from "./bearer-token.ts";

/** A local server speaking SSM's JSON 1.1 GetParameter, reached through AWS_ENDPOINT_URL_SSM. */
let server: http.Server;
let calls: { target: string | undefined; body: { Name: string; WithDecryption: boolean } }[];
const saved: Record<string, string | undefined> = {};
const ENV = ["AWS_ENDPOINT_URL_SSM", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

beforeEach(async () => {
  calls = [];
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { Name: string; WithDecryption: boolean };
      calls.push({ target: req.headers["x-amz-target"] as string | undefined, body: parsed });
      res.setHeader("content-type", "application/x-amz-json-1.1");
      if (parsed.Name !== "/defi/x-bearer") {
        res.statusCode = 400;
        return res.end(JSON.stringify({ __type: "ParameterNotFound", message: "" }));
      }
      res.end(JSON.stringify({ Parameter: { Name: parsed.Name, Type: "SecureString", Value: "token-from-ssm\n", Version: 1 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  for (const k of ENV) saved[k] = process.env[k];
  process.env.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
});
afterEach(async () => {
  for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
  await new Promise((r) => server.close(r));
});

describe("bearer token", () => {
  it("prefers X_BEARER_TOKEN and never calls SSM then", async () => {
    expect(await resolveBearerToken({ bearerToken: "env-token", bearerTokenParameter: "/defi/x-bearer" }, "us-east-1")).toBe("env-token");
    expect(calls).toHaveLength(0);
  });

  it("reads the SecureString named by X_BEARER_TOKEN_PARAMETER, decrypted", async () => {
    expect(await resolveBearerToken({ bearerToken: null, bearerTokenParameter: "/defi/x-bearer" }, "us-east-1")).toBe("token-from-ssm");
    expect(calls).toEqual([{ target: "AmazonSSM.GetParameter", body: { Name: "/defi/x-bearer", WithDecryption: true } }]);
  });

  it("names the parameter when SSM does not have it", async () => {
    const err = await resolveBearerToken({ bearerToken: null, bearerTokenParameter: "/defi/missing" }, "us-east-1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BearerTokenError);
    expect((err as Error).message).toMatch(/SSM parameter \/defi\/missing \(X_BEARER_TOKEN_PARAMETER\): ParameterNotFound/);
  });
});
