import { type DirectoryObject } from '@syncready/directory';
import { type Finding, type FindingAction, type IdFixErrorName } from '../finding';
import { type FindingSubject, allValues, subjectOf } from '../object-facts';
import { type ComposedRule, multiTenantRules } from './idfix-composed-rules';
import { IdFixDuplicateStore, type IdFixDuplicates } from './idfix-duplicate-store';
import { type BranchRule, type IdFixRuleContext, type LeafRule } from './idfix-leaf-rules';
import { isSkippedByIdFix } from './idfix-skip';

/** IdFix's result for one value: success, or the joined failures of its chain. */
interface ComposedResult {
  readonly original: string;
  readonly errors: readonly IdFixErrorName[];
  readonly proposedValue: string;
  readonly action: FindingAction;
}

const MESSAGES: Readonly<Record<IdFixErrorName, string>> = {
  length: 'too long',
  character: 'has invalid characters',
  blank: 'is blank',
  duplicate: 'is a duplicate',
  format: 'is not a valid address',
  topleveldomain: 'has an unknown top-level domain',
  domainpart: 'has an invalid domain part',
  localpart: 'has an invalid local part',
};

function isBranch(rule: LeafRule | BranchRule): rule is BranchRule {
  return 'branch' in rule;
}

/** Runs one chain: a failing rule's UPDATE becomes the next rule's input. */
function runChain(rules: readonly (LeafRule | BranchRule)[], original: string, context: IdFixRuleContext): ComposedResult | undefined {
  let value = original;
  const errors: IdFixErrorName[] = [];
  let last: { updated: string; action: FindingAction } | undefined;
  const queue = [...rules];
  for (let rule = queue.shift(); rule !== undefined; rule = queue.shift()) {
    if (isBranch(rule)) {
      queue.unshift(...rule.branch(value));
      continue;
    }
    const failure = rule.check(value, context);
    if (failure) {
      errors.push(...failure.errors);
      value = failure.updated;
      last = failure;
    }
  }
  return last && { original, errors, proposedValue: last.updated, action: last.action };
}

/** Runs one composed rule on an object: one result per checked value that failed. */
function runComposed(rule: ComposedRule, object: DirectoryObject, context: IdFixRuleContext): ComposedResult[] {
  const values = allValues(object, rule.attribute);
  if (values.length === 0) {
    // A missing attribute passes unless the chain has a blank rule; then only that rule runs.
    const blank = rule.rules.find((r): r is LeafRule => !isBranch(r) && r.fixBlank !== undefined);
    return blank?.fixBlank ? [{ original: '', errors: ['blank'], proposedValue: blank.fixBlank(context), action: 'edit' }] : [];
  }
  const checked = rule.everyValue ? values : values.slice(0, 1);
  const results: ComposedResult[] = [];
  for (const value of checked) {
    const result = runChain(rule.rules, value, context);
    if (result) results.push(result);
  }
  return results;
}

function finding(subject: FindingSubject, attribute: string, result: ComposedResult): Finding {
  const what = result.errors.map((e) => MESSAGES[e]).join(', ');
  return {
    ruleId: `idfix.${attribute}`,
    severity: 'error',
    ...subject,
    attribute,
    value: result.original,
    errors: result.errors,
    suggestedValue: result.proposedValue,
    action: result.action,
    message: `${attribute} ${what} (IdFix: ${result.errors.join(', ')}).`,
  };
}

/**
 * Checks one object with IdFix's rules, appending its findings to `out`; false when IdFix's skip
 * rules leave the object out. Duplicates are asked of `duplicates`, which decides what "earlier"
 * means: the objects added before (a full run) or the objects before this one in GUID order (a
 * live check).
 */
export function checkIdFixObject(object: DirectoryObject, rules: readonly ComposedRule[], duplicates: IdFixDuplicates, out: Finding[]): boolean {
  const subject = subjectOf(object);
  if (isSkippedByIdFix(object, subject.objectClass)) return false;
  for (const rule of rules) {
    const context: IdFixRuleContext = { object, objectType: subject.objectClass, commonName: subject.commonName, attribute: rule.attribute, duplicates };
    for (const result of runComposed(rule, object, context)) {
      if (result.errors.includes('duplicate') && result.action === 'edit') addFirstHolderRow(rule.attribute, result, subject, duplicates, out);
      out.push(finding(subject, rule.attribute, result));
    }
  }
  return true;
}

/**
 * IdFix also lists the first holder when the later holder's action is Edit: looked up by the
 * later holder's original value (when a fix changed the value before the duplicate test, the
 * lookup finds nothing and IdFix silently emits no row), with the later holder's object type.
 */
function addFirstHolderRow(attribute: string, result: ComposedResult, current: FindingSubject, duplicates: IdFixDuplicates, out: Finding[]): void {
  const first = duplicates.firstHolder(attribute, result.original);
  if (!first) return;
  const subject: FindingSubject = { dn: first.dn, objectGuid: first.objectGuid, commonName: first.commonName, objectClass: current.objectClass };
  out.push(finding(subject, attribute, { original: result.original, errors: ['duplicate'], proposedValue: result.proposedValue, action: 'edit' }));
}

/**
 * IdFix 2.6 multi-tenant mode. Everything is decided when an object is added, in the order
 * objects arrive, because IdFix's duplicate rule is order-dependent: the first holder of a
 * value is not flagged, later ones are.
 */
export class IdFixEngine {
  private readonly rules: readonly ComposedRule[];
  private readonly duplicates = new IdFixDuplicateStore();
  readonly findings: Finding[] = [];
  checked = 0;
  skipped = 0;

  constructor(ignoreUpn: boolean) {
    this.rules = multiTenantRules(ignoreUpn);
  }

  add(object: DirectoryObject): void {
    if (checkIdFixObject(object, this.rules, this.duplicates, this.findings)) this.checked += 1;
    else this.skipped += 1;
  }
}
