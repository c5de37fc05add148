import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { QUESTIONS, SCORED_POST_COLUMN_TYPES, viewDdl, type QuestionKey } from "@defi-sentiment/shared";
import { VIEW_COLUMNS, type ViewColumnType } from "./view-columns.ts";

// node-sql-parser's trino build: Athena engine v3 is Trino. (Athena DDL is not parseable; views are.)
const require = createRequire(import.meta.url);
const { Parser } = require("node-sql-parser/build/trino") as { Parser: new () => { astify(sql: string, o: object): any } };
const parser = new Parser();
const astOf = (sql: string) => {
  const ast = parser.astify(sql, { database: "trino" });
  return Array.isArray(ast) ? ast[0] : ast;
};

type Ast = any;
const source = SCORED_POST_COLUMN_TYPES as Record<string, string>;

/** Type of a select expression, from the scored-post column types and a few function rules. */
function typeOf(e: Ast): ViewColumnType | "unknown" {
  switch (e.type) {
    case "column_ref": {
      const name = typeof e.column === "string" ? e.column : e.column.expr.value;
      if (name === "tag") return "string"; // UNNEST(<array<string>>) AS t(tag)
      return (source[name] as ViewColumnType | undefined) ?? "unknown";
    }
    case "single_quote_string":
      return "string";
    case "cast":
      return e.target[0].dataType.toLowerCase() === "double" ? "double" : "unknown";
    case "binary_expr":
      return e.operator === "/" ? typeOf(e.left) : "unknown";
    case "aggr_func": {
      const name = e.name.toLowerCase();
      if (name === "count") return "bigint";
      if (name === "avg") return "double";
      if (name === "sum" || name === "min" || name === "max") return typeOf(e.args.expr);
      return "unknown";
    }
    case "function": {
      const name = e.name.name[0].value.toLowerCase();
      const args = e.args?.value ?? [];
      if (name === "round" || name === "coalesce" || name === "max_by" || name === "min_by") return typeOf(args[0]);
      if (name === "upper" || name === "lower") return "string";
      if (name === "date_trunc") return "timestamp";
      return "unknown";
    }
    default:
      return "unknown";
  }
}

/** Output columns of a SELECT (through `SELECT *` over a subquery or a union of them). */
function outputColumns(select: Ast): [string, ViewColumnType | "unknown"][] {
  const cols = select.columns;
  if (cols.length === 1 && cols[0].expr.type === "column_ref" && cols[0].expr.column === "*") {
    return outputColumns(select.from[0].expr.ast);
  }
  return cols.map((c: Ast) => {
    const name = c.as ?? (typeof c.expr.column === "string" ? c.expr.column : c.expr.column.expr.value);
    return [name, typeOf(c.expr)];
  });
}

const keys = Object.keys(QUESTIONS) as QuestionKey[];

describe("question SQL on Athena (Trino dialect)", () => {
  it.each(keys)("%s parses, as a query and as its CREATE OR REPLACE VIEW", (k) => {
    expect(astOf(QUESTIONS[k].sql()).type).toBe("select");
    const ddl = astOf(viewDdl(QUESTIONS[k]));
    expect(ddl.type).toBe("create");
    expect(ddl.keyword).toBe("view");
  });

  it.each(keys)("%s: the view's declared columns match the SQL's output names, order and types", (k) => {
    expect(outputColumns(astOf(QUESTIONS[k].sql()))).toEqual(VIEW_COLUMNS[k].map(([n, t]) => [n, t]));
  });
});
