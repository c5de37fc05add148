/**
 * Athena views are Glue tables of type VIRTUAL_VIEW whose `viewOriginalText` carries the view as
 * base64 JSON between `/* Presto View: ` and ` *\/` (what `CREATE VIEW` in Athena writes). Creating
 * them as Glue tables makes every view exist as soon as `pulumi up` finishes, with no query run.
 */
import { trinoType, type ViewColumn } from "./view-columns.ts";

export interface PrestoViewDefinition {
  originalSql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: string }[];
  owner: string;
  runAsInvoker: boolean;
  properties: Record<string, string>;
}

export const PRESTO_VIEW_PREFIX = "/* Presto View: ";
export const PRESTO_VIEW_SUFFIX = " */";

export function prestoViewText(sql: string, database: string, columns: readonly ViewColumn[]): string {
  const def: PrestoViewDefinition = {
    originalSql: sql,
    catalog: "awsdatacatalog",
    schema: database,
    columns: columns.map(([name, type]) => ({ name, type: trinoType(type) })),
    owner: "trino",
    runAsInvoker: false,
    properties: {},
  };
  return `${PRESTO_VIEW_PREFIX}${Buffer.from(JSON.stringify(def), "utf8").toString("base64")}${PRESTO_VIEW_SUFFIX}`;
}

/** Inverse of `prestoViewText`, for tests and inspection. */
export function decodePrestoView(text: string): PrestoViewDefinition {
  if (!text.startsWith(PRESTO_VIEW_PREFIX) || !text.endsWith(PRESTO_VIEW_SUFFIX)) {
    throw new SyntaxError(`decodePrestoView: not a Presto view text: ${text.slice(0, 40)}…`);
  }
  const b64 = text.slice(PRESTO_VIEW_PREFIX.length, -PRESTO_VIEW_SUFFIX.length);
  return JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as PrestoViewDefinition;
}
