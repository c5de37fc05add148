/** `npm run rescore` and `npm run compliance`: the data lifecycle commands on a laptop. */
export { rescoreCommand, rescoreMain, formatRescoreSummary, RESCORE_HELP, type RescoreCommandOptions, type RescoreCommandResult } from "./rescore.ts";
export { complianceCommand, complianceAwsCommand, complianceMain, formatComplianceSummary, COMPLIANCE_HELP, type ComplianceCommandOptions } from "./compliance.ts";
export { LifecycleConfigError } from "./lifecycle-config-error.ts";
export { scheduleComplianceCheck, abortableSleep, type ComplianceSchedule, type ComplianceScheduleOptions, type ComplianceScheduleTimers } from "./compliance-schedule.ts";
