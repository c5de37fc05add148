/**
 * @module @defi-sentiment/dashboard
 * The local stand-in for QuickSight: a web page with the three answers that updates while the
 * collector runs, and the API behind it.
 *
 * @example
 * import { startDashboard } from "@defi-sentiment/dashboard";
 * const dash = await startDashboard({ warehouse, lakeDir: "lake" });
 * console.log(`dashboard at ${dash.url}`);
 */
export { startDashboard, type Dashboard, type DashboardOptions } from "./start-dashboard.ts";
export { DashboardConfigError, TOKEN_ENV, isLoopbackHost } from "./core/access.ts";
export { FilterParameterError, parseViewFilter, filteredSource, type ViewFilter } from "./core/view-filter.ts";
export { summarizeHealth, type HealthSummary } from "./core/health-summary.ts";
export { askFiltered, computeDashboardAnswers, DASHBOARD_QUESTIONS, type DashboardAnswers } from "./dashboard-answers.ts";
export { runReport, ReportCliError } from "./report-cli.ts";
