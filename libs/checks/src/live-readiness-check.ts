import { type DirectoryObject } from '@syncready/directory';
import { LiveEntraEngine } from './entra/live-entra-engine';
import { sortFindings, summarize } from './finding-order';
import { GuidOrder } from './guid-order';
import { LiveIdFixEngine } from './idfix/live-idfix-engine';
import { type LiveRuleSetEngine } from './live-rule-set-engine';
import { type CheckOptions, type CheckResult } from './readiness-checker';

/**
 * A check run that stays open: objects are added, replaced and removed one at a time and the
 * result is there whenever asked for. See {@link createLiveReadinessCheck}.
 */
export interface LiveReadinessCheck {
  /** Adds the object, or replaces the one held with the same objectGuid. */
  upsert(object: DirectoryObject): void;
  /** Removes the object with this objectGuid; nothing happens when none is held. */
  remove(objectGuid: string): void;
  /** The findings and summary of the objects held now. */
  result(): CheckResult;
  /** How many objects are held. */
  readonly size: number;
}

/**
 * Starts a live check: the result is always identical (findings, order, summary) to
 * `checkDirectory(objects, options)` over the objects held, taken in ascending objectGuid order
 * (code-unit order of the GUID string): the order the store lists a generation in, so the
 * control plane's full run and this check agree. Order matters only to `idfix`, where the
 * "first" holder of a duplicate is the one with the lowest GUID; `entra` does not depend on it.
 *
 * A change re-runs the per-object rules on the changed object only and updates the duplicate
 * indexes in place (its old values out, its new ones in); duplicate findings are recomputed
 * for the keys touched (`entra`) or for the objects whose first-holder answers changed
 * (`idfix`). `result()` does that pending work, then sorts all findings, so it is linear in the
 * findings plus the sort, against a full run's rules over every object.
 */
export function createLiveReadinessCheck(options: CheckOptions = {}): LiveReadinessCheck {
  const ruleSet = options.ruleSet ?? 'entra';
  let engine: LiveRuleSetEngine;
  if (ruleSet === 'idfix') engine = new LiveIdFixEngine(options.ignoreUpn ?? false);
  else if (ruleSet === 'entra') engine = new LiveEntraEngine(options.forest, options.tenant);
  else throw new RangeError(`Unknown rule set "${String(ruleSet)}"; use "entra" or "idfix".`);
  const order = new GuidOrder();
  let size = 0;
  return {
    upsert(object) {
      if (!engine.has(object.objectGuid)) {
        order.insert(object.objectGuid);
        size += 1;
      }
      engine.upsert(object);
    },
    remove(objectGuid) {
      if (!engine.has(objectGuid)) return;
      order.delete(objectGuid);
      size -= 1;
      engine.remove(objectGuid);
    },
    result(): CheckResult {
      const findings = sortFindings(engine.findings(order.list()));
      return { findings, summary: summarize(findings, engine.checked, engine.skipped) };
    },
    get size() {
      return size;
    },
  };
}
