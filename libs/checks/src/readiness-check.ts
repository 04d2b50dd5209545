import { type DirectoryObject } from '@syncready/directory';
import { EntraEngine } from './entra/entra-engine';
import { type Finding } from './finding';
import { sortFindings, summarize } from './finding-order';
import { IdFixEngine } from './idfix/idfix-engine';
import { type CheckOptions, type CheckResult, type ReadinessCheck } from './readiness-checker';

/** What both rule sets' engines offer the runner. */
interface RuleSetEngine {
  add(object: DirectoryObject): void;
  readonly checked: number;
  readonly skipped: number;
}

/**
 * Starts a check run. Objects are checked as they are added (per-object rules at once, values
 * into hash indexes); `finish()` adds duplicate and forest-level findings and returns
 * everything sorted by DN, attribute, value and rule. Time and memory are linear in the
 * number of values.
 */
export function createReadinessCheck(options: CheckOptions = {}): ReadinessCheck {
  const ruleSet = options.ruleSet ?? 'entra';
  let collect: () => readonly Finding[];
  let engine: RuleSetEngine;
  if (ruleSet === 'idfix') {
    const idfix = new IdFixEngine(options.ignoreUpn ?? false);
    engine = idfix;
    collect = () => idfix.findings;
  } else if (ruleSet === 'entra') {
    const entra = new EntraEngine(options.forest, options.tenant);
    engine = entra;
    collect = () => entra.findings();
  } else {
    throw new RangeError(`Unknown rule set "${String(ruleSet)}"; use "entra" or "idfix".`);
  }
  return {
    add: (object) => engine.add(object),
    finish(): CheckResult {
      const findings = sortFindings(collect());
      return { findings, summary: summarize(findings, engine.checked, engine.skipped) };
    },
  };
}

/** Checks a whole set of objects in one call. */
export function checkDirectory(objects: Iterable<DirectoryObject>, options: CheckOptions = {}): CheckResult {
  const check = createReadinessCheck(options);
  for (const object of objects) check.add(object);
  return check.finish();
}
