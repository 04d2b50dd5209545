import { type DirectoryObject } from '@syncready/directory';
import { type FindingAction, type IdFixErrorName } from '../finding';
import { hasAttribute } from '../object-facts';
import { type IdFixDuplicates } from './idfix-duplicate-store';
import { type CharacterPattern, SMTP_MARKER } from './idfix-patterns';
import { checkRfc2822 } from './rfc2822-rule';

/** What a rule sees besides the value passed down the chain. */
export interface IdFixRuleContext {
  readonly object: DirectoryObject;
  /** Last objectClass value. */
  readonly objectType: string;
  readonly commonName: string;
  readonly attribute: string;
  readonly duplicates: IdFixDuplicates;
}

/** A failed rule: its error names, its UPDATE (fed to the next rule) and its proposed action. */
export interface RuleFailure {
  readonly errors: readonly IdFixErrorName[];
  readonly updated: string;
  readonly action: FindingAction;
}

/** One IdFix leaf rule; undefined = passed. */
export interface LeafRule {
  readonly check: (value: string, context: IdFixRuleContext) => RuleFailure | undefined;
  /** Present on blank rules: the fix for a missing value (IdFix runs only this rule then). */
  readonly fixBlank?: (context: IdFixRuleContext) => string;
}

/** A point in a chain where the remaining rules depend on the value's type (proxy/target). */
export interface BranchRule {
  readonly branch: (value: string) => readonly LeafRule[];
}

/** Plain truncation when longer than `max` UTF-16 units (as .NET's String.Length). */
export function maxLength(max: number | ((context: IdFixRuleContext) => number)): LeafRule {
  return {
    check(value, context) {
      const limit = typeof max === 'number' ? max : max(context);
      return value.length > limit ? { errors: ['length'], updated: value.slice(0, limit), action: 'edit' } : undefined;
    },
  };
}

/** Flags characters of a class; the fix strips them, and an empty result falls back to `cn`. */
export function characterRule(pattern: CharacterPattern): LeafRule {
  return {
    check(value, context) {
      if (!pattern.test.test(value)) return undefined;
      const stripped = value.replace(pattern.strip, '');
      return { errors: ['character'], updated: stripped === '' ? context.commonName : stripped, action: 'edit' };
    },
  };
}

/** Flags an empty or missing value; the fix comes from `fix`. */
export function blankRule(fix: (context: IdFixRuleContext) => string): LeafRule {
  return {
    check: (value, context) => (value === '' ? { errors: ['blank'], updated: fix(context), action: 'edit' } : undefined),
    fixBlank: fix,
  };
}

/** A second `:` after the type prefix: the fix drops every colon after the first. */
export const fixProxyTargetAddress: LeafRule = {
  check(value) {
    const colon = value.indexOf(':');
    if (colon <= 0) return undefined;
    const suffix = value.slice(colon + 1);
    if (!suffix.includes(':')) return undefined;
    return { errors: ['character'], updated: `${value.slice(0, colon)}:${suffix.replaceAll(':', '')}`, action: 'edit' };
  },
};

/** IdFix's RFC 2822 rule. */
export const rfc2822: LeafRule = {
  check(value) {
    const outcome = checkRfc2822(value);
    return outcome && { errors: outcome.errors, updated: outcome.updated, action: 'edit' };
  },
};

/**
 * IdFix's proposed action for a duplicate whose value no earlier rule changed. IdFix compares
 * the chain value with the attribute's first value (index 0), also for proxyAddresses, so a
 * duplicate proxy that is not the first value always gets `edit`.
 */
function duplicateAction(value: string, context: IdFixRuleContext): FindingAction {
  const original = context.object.attributes[context.attribute]?.[0];
  if (original !== value) return 'edit';
  const has = (attribute: string): boolean => hasAttribute(context.object, attribute);
  switch (context.attribute.toLowerCase()) {
    case 'proxyaddresses':
      if (!SMTP_MARKER.test(value)) return 'edit';
      if (!has('mailNickname')) return 'remove';
      return value.slice(0, 5).toLowerCase() === 'smtp:' ? 'complete' : 'edit';
    case 'userprincipalname':
    case 'mail':
    case 'samaccountname':
      return has('mailNickname') ? 'complete' : 'edit';
    case 'mailnickname':
      return has('homeMDB') ? 'complete' : 'edit';
    default:
      return 'edit';
  }
}

/** Flags a value an earlier object already had for the same attribute; UPDATE = the value. */
export const noDuplicates: LeafRule = {
  check(value, context) {
    const holder = { dn: context.object.distinguishedName, objectGuid: context.object.objectGuid, commonName: context.commonName };
    if (!context.duplicates.isDuplicate(context.attribute, value, holder)) return undefined;
    return { errors: ['duplicate'], updated: value, action: duplicateAction(value, context) };
  },
};

/** sAMAccountName duplicates are only looked for when the entry has no userPrincipalName. */
export const samAccountNameNoDuplicates: LeafRule = {
  check: (value, context) => (hasAttribute(context.object, 'userPrincipalName') ? undefined : noDuplicates.check(value, context)),
};
