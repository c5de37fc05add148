/** Raised for a bad option or a missing variable of a lifecycle command; names it. */
export class LifecycleConfigError extends Error {
  override name = "LifecycleConfigError";
}

/** The lake folder from `--lake`, else LAKE_DIR, else ./lake. */
export function lakeDirOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.LAKE_DIR ?? "lake";
}
