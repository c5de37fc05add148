import { describe, expect, it } from "vitest";
import { dashboardDefinition, DASHBOARD_VIEWS, dataSetIdentifier } from "./dashboard-definition.ts";
import { VIEW_COLUMNS } from "./view-columns.ts";

const def = dashboardDefinition(Object.fromEntries(DASHBOARD_VIEWS.map((v) => [v, `arn:ds/${v}`])) as Record<(typeof DASHBOARD_VIEWS)[number], string>);

/** Every `{ dataSetIdentifier, columnName }` the definition references. */
function columnRefs(node: unknown, out: { dataSetIdentifier: string; columnName: string }[] = []) {
  if (Array.isArray(node)) node.forEach((n) => columnRefs(n, out));
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.dataSetIdentifier === "string" && typeof o.columnName === "string") out.push(o as never);
    Object.values(o).forEach((v) => columnRefs(v, out));
  }
  return out;
}

describe("dashboard definition", () => {
  it("references only columns the views really have", () => {
    const refs = columnRefs(def.sheets);
    expect(refs.length).toBeGreaterThan(20);
    for (const r of refs) {
      const view = DASHBOARD_VIEWS.find((v) => dataSetIdentifier(v) === r.dataSetIdentifier);
      expect(view, r.dataSetIdentifier).toBeDefined();
      expect(VIEW_COLUMNS[view!].map(([n]) => n), `${r.dataSetIdentifier}.${r.columnName}`).toContain(r.columnName);
    }
  });

  it("answers the three questions: sentiment share and trend, influencers three ways, countries with unknown", () => {
    const visualsOf = (sheet: string) => def.sheets.find((s) => s.sheetId === sheet)!.visuals;
    expect(visualsOf("sentiment").map((v) => Object.keys(v)[0])).toEqual(["barChartVisual", "lineChartVisual"]);
    expect(columnRefs(visualsOf("influencers")).map((r) => r.dataSetIdentifier)).toEqual(
      expect.arrayContaining(["influencers_by_posts", "influencers_by_followers", "influencers_by_engagement"]),
    );
    expect(columnRefs(visualsOf("countries")).map((r) => r.columnName)).toEqual(expect.arrayContaining(["country", "share"]));
  });

  it("gives every visual and field a unique id, as QuickSight requires", () => {
    const visualIds = def.sheets.flatMap((s) => s.visuals.map((v) => Object.values(v)[0]!.visualId));
    expect(new Set(visualIds).size).toBe(visualIds.length);
    const fieldIds = JSON.stringify(def).match(/"fieldId":"[^"]+"/g)!;
    const perVisual = def.sheets.flatMap((s) => s.visuals.map((v) => JSON.stringify(v).match(/"fieldId":"[^"]+"/g)!));
    for (const ids of perVisual) expect(new Set(ids).size).toBe(ids.length);
    expect(fieldIds.length).toBeGreaterThan(0);
  });

  it("declares one data set per view it reads", () => {
    expect(def.dataSetIdentifierDeclarations).toEqual(DASHBOARD_VIEWS.map((v) => ({ identifier: dataSetIdentifier(v), dataSetArn: `arn:ds/${v}` })));
  });
});
