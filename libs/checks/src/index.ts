export type { DuplicateHolder, Finding, FindingAction, FindingSummary, IdFixErrorName, RuleSetName, Severity, TenantFacts } from './finding';
export { SEVERITIES } from './finding';
export type { CheckOptions, CheckResult, ReadinessCheck } from './readiness-checker';
export { checkDirectory, createReadinessCheck } from './readiness-check';
export { createLiveReadinessCheck, type LiveReadinessCheck } from './live-readiness-check';
export { ENTRA_RULE_IDS, IDFIX_RULE_IDS } from './rule-ids';
export { csvField, IDFIX_CSV_HEADER, idFixCsvRow, renderIdFixCsv } from './idfix-csv';
