/** Tags every resource carries, so cost and ownership are visible per project and stack. */
export type Tags = Record<string, string>;

export function projectTags(project: string, stack: string): Tags {
  return { project, stack, "managed-by": "pulumi" };
}
