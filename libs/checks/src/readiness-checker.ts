import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type Finding, type FindingSummary, type RuleSetName, type TenantFacts } from './finding';

/** Options of a check run. */
export interface CheckOptions {
  /** @default 'entra' */
  readonly ruleSet?: RuleSetName;
  /** Forest facts, for forest-level checks and registered UPN suffixes. */
  readonly forest?: ForestInfo;
  /** Tenant facts, when known: UPN suffixes and SMTP domains must then be verified. */
  readonly tenant?: TenantFacts;
  /** idfix: IdFix's "Consider Alternate Login ID (Ignore UPN errors)". @default false */
  readonly ignoreUpn?: boolean;
}

/** Findings in a stable order (DN, attribute, value, rule) and their counts. */
export interface CheckResult {
  readonly findings: readonly Finding[];
  readonly summary: FindingSummary;
}

/**
 * The engine's contract (see `createReadinessCheck`): objects go in one at a time, per-object
 * rules run at once and values go into hash indexes keyed on their normalized form, so a run
 * is linear in the number of values; duplicates and forest-level findings are produced by
 * `finish()`.
 */
export interface ReadinessCheck {
  add(object: DirectoryObject): void;
  finish(): CheckResult;
}
