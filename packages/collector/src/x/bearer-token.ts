/** The X bearer token: from X_BEARER_TOKEN, or in AWS from the SSM parameter X_BEARER_TOKEN_PARAMETER names. */
export class BearerTokenError extends Error {
  override name = "BearerTokenError";
}

export async function resolveBearerToken(x: { bearerToken: string | null; bearerTokenParameter: string | null }, region: string | null): Promise<string> {
  if (x.bearerToken) return x.bearerToken;
  if (!x.bearerTokenParameter) throw new BearerTokenError("X_BEARER_TOKEN is not set (nor X_BEARER_TOKEN_PARAMETER)");
  const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
  const ssm = new SSMClient(region ? { region } : {});
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: x.bearerTokenParameter, WithDecryption: true }));
    const value = out.Parameter?.Value?.trim();
    if (!value) throw new BearerTokenError(`SSM parameter ${x.bearerTokenParameter} (X_BEARER_TOKEN_PARAMETER) is empty`);
    return value;
  } catch (err) {
    if (err instanceof BearerTokenError) throw err;
    throw new BearerTokenError(`cannot read SSM parameter ${x.bearerTokenParameter} (X_BEARER_TOKEN_PARAMETER): ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
  } finally {
    ssm.destroy();
  }
}
