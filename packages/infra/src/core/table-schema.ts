/**
 * The scored-posts table's catalog schema, derived from the shared column list: Glue (Hive) column
 * types via `glueType`, and the matching Iceberg schema and `dt` identity partition for Glue's
 * CreateIcebergTableInput. Nothing here names a column by hand except the shared partition key.
 */
import {
  SCORED_POST_COLUMNS,
  SCORED_POST_KEY,
  SCORED_POST_PARTITION,
  glueType,
  type ColumnType,
} from "@defi-sentiment/shared";

export interface GlueColumn {
  name: string;
  type: string;
}

export interface IcebergField {
  id: number;
  name: string;
  type: string;
  required: boolean;
}

/** Glue Data Catalog columns, in table order. */
export function glueColumns(): GlueColumn[] {
  return SCORED_POST_COLUMNS.map((c) => ({ name: c.name, type: glueType(c.type) }));
}

/** Iceberg type for a logical column type; lists are JSON, as Glue's IcebergStructField expects. */
export function icebergType(t: ColumnType, elementId: number): string {
  switch (t) {
    case "bigint":
      return "long";
    case "array<string>":
      return JSON.stringify({ type: "list", "element-id": elementId, element: "string", "element-required": false });
    default:
      return t;
  }
}

/** Iceberg fields: ids 1..n in table order, list element ids after them; the key is required. */
export function icebergFields(): IcebergField[] {
  let nextElementId = SCORED_POST_COLUMNS.length + 1;
  return SCORED_POST_COLUMNS.map((c, i) => ({
    id: i + 1,
    name: c.name,
    type: icebergType(c.type, c.type === "array<string>" ? nextElementId++ : 0),
    required: c.name === SCORED_POST_KEY,
  }));
}

export function fieldIdOf(name: string): number {
  const i = SCORED_POST_COLUMNS.findIndex((c) => c.name === name);
  if (i < 0) throw new RangeError(`fieldIdOf: ${name} is not a scored-post column`);
  return i + 1;
}

/** Identity partition on the shared partition column (`dt`); field ids start at 1000 by Iceberg convention. */
export function icebergPartitionSpec() {
  return {
    specId: 0,
    fields: [{ name: SCORED_POST_PARTITION, sourceId: fieldIdOf(SCORED_POST_PARTITION), transform: "identity", fieldId: 1000 }],
  };
}
