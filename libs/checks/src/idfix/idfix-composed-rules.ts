import { type BranchRule, type LeafRule, blankRule, characterRule, fixProxyTargetAddress, maxLength, noDuplicates, rfc2822, samAccountNameNoDuplicates } from './idfix-leaf-rules';
import {
  INVALID_PROXY_OTHER,
  INVALID_PROXY_SMTP,
  INVALID_PROXY_X400_X500,
  INVALID_SAM,
  INVALID_TARGET_OTHER,
  INVALID_TARGET_SMTP,
  INVALID_UPN,
  LEADING_PERIODS,
  SMTP_MARKER,
  X400_TYPE,
  X500_TYPE,
} from './idfix-patterns';

/** One attribute and its chain of rules, as IdFix's multi-tenant collection binds them. */
export interface ComposedRule {
  readonly attribute: string;
  readonly rules: readonly (LeafRule | BranchRule)[];
  /** proxyAddresses: every value is checked; otherwise only the first. */
  readonly everyValue?: boolean;
}

const proxyTypeRules: BranchRule = {
  branch(value) {
    if (SMTP_MARKER.test(value)) return [characterRule(INVALID_PROXY_SMTP), rfc2822];
    if (X400_TYPE.test(value) || X500_TYPE.test(value)) return [characterRule(INVALID_PROXY_X400_X500)];
    return [characterRule(INVALID_PROXY_OTHER)];
  },
};

const targetTypeRules: BranchRule = {
  branch: (value) => (SMTP_MARKER.test(value) ? [characterRule(INVALID_TARGET_SMTP), rfc2822] : [characterRule(INVALID_TARGET_OTHER)]),
};

/**
 * IdFix 2.6 multi-tenant rules in execution order. Lengths are IdFix's (displayName 255,
 * givenName 63, targetAddress 255), not Microsoft's documented 256/64/256.
 */
export function multiTenantRules(ignoreUpn: boolean): readonly ComposedRule[] {
  const rules: ComposedRule[] = [
    { attribute: 'displayName', rules: [maxLength(255), blankRule((c) => c.commonName)] },
    { attribute: 'givenName', rules: [maxLength(63)] },
    { attribute: 'mail', rules: [maxLength(256), noDuplicates] },
    { attribute: 'mailNickname', rules: [maxLength(64), characterRule(LEADING_PERIODS), noDuplicates] },
    { attribute: 'proxyAddresses', rules: [maxLength(256), fixProxyTargetAddress, noDuplicates, proxyTypeRules], everyValue: true },
    {
      attribute: 'sAMAccountName',
      rules: [maxLength((c) => (c.objectType === 'user' ? 20 : 256)), characterRule(INVALID_SAM), samAccountNameNoDuplicates],
    },
    { attribute: 'targetAddress', rules: [maxLength(255), fixProxyTargetAddress, noDuplicates, targetTypeRules] },
  ];
  // "Consider Alternate Login ID (Ignore UPN errors)" drops the whole UPN rule.
  if (!ignoreUpn) rules.push({ attribute: 'userPrincipalName', rules: [maxLength(113), characterRule(INVALID_UPN), rfc2822, noDuplicates] });
  return rules;
}
