import { type FindingBody } from '../object-facts';
import { type DomainPolicy, describeNonRoutable } from './domain-policy';
import { entraBody, hasNonAscii, orNull, toAscii } from './entra-finding';

const ATTRIBUTE = 'userPrincipalName';
/**
 * Microsoft's invalid UPN characters plus whitespace; the apostrophe is allowed. The docs'
 * allowed list (A–Z a–z 0–9 ' . - _ ! # ^ ~) is exhaustive, so the two printable ASCII
 * characters it names in neither list, `$` and `` ` ``, are not allowed either.
 */
const INVALID = /[\s\\%&*+/=?{}|<>();:,[\]"$`]/;
const INVALID_ALL = /[\s\\%&*+/=?{}|<>();:,[\]"$`]/g;
/** The username part can't end with these. */
const BAD_LOCAL_END = /[.& ]+$/;

/** Per-value outcome: findings plus whether the UPN itself is valid (for sAMAccountName severity). */
export interface UpnCheck {
  readonly findings: FindingBody[];
  readonly valid: boolean;
  /** Lower-case suffix after `@`, when the UPN has exactly one `@` that is not first. */
  readonly suffix: string | undefined;
}

/**
 * Microsoft's userPrincipalName rules ("Prepare for directory synchronization"): 113 characters
 * in all, 64 before and 48 after `@`, one `@` not first, invalid characters, no diacritics or
 * other non-ASCII, username not ending with `.`, `&` or space, and a routable (and, when known,
 * verified) suffix.
 */
export function checkUpn(upn: string, domains: DomainPolicy): UpnCheck {
  const findings: FindingBody[] = [];
  const add = (f: Parameters<typeof entraBody>[0]): void => void findings.push(entraBody(f));
  const base = { attribute: ATTRIBUTE, value: upn };

  if (upn.length > 113) {
    add({ ...base, ruleId: 'entra.upn.length', severity: 'error', errors: ['length'], message: `userPrincipalName has ${upn.length} characters; Entra allows 113. Shorten the username or use a shorter suffix.` });
  }
  const cleaned = toAscii(upn).replace(INVALID_ALL, '');
  if (INVALID.test(upn)) {
    add({ ...base, ruleId: 'entra.upn.character', severity: 'error', errors: ['character'], suggestedValue: orNull(cleaned), message: 'userPrincipalName contains characters Entra rejects (whitespace \\ % & * + / = ? { } | < > ( ) ; : , [ ] "); remove them.' });
  }
  if (hasNonAscii(upn)) {
    add({ ...base, ruleId: 'entra.upn.non-ascii', severity: 'error', errors: ['character'], suggestedValue: orNull(cleaned), message: 'userPrincipalName contains diacritics or other non-ASCII characters, which Entra turns into underscores; replace them with ASCII letters.' });
  }

  const at = upn.indexOf('@');
  const atCount = upn.split('@').length - 1;
  if (atCount !== 1 || at === 0) {
    const why = atCount === 0 ? 'has no @' : at === 0 ? 'starts with @' : 'has more than one @';
    add({ ...base, ruleId: 'entra.upn.format', severity: 'error', errors: ['format'], message: `userPrincipalName ${why}; it must be username@domain with one @.` });
    return { findings, valid: false, suffix: undefined };
  }

  const local = upn.slice(0, at);
  const suffix = upn.slice(at + 1);
  if (local.length > 64) {
    add({ ...base, ruleId: 'entra.upn.local-part-length', severity: 'error', errors: ['length'], message: `The username before @ has ${local.length} characters; Entra allows 64. Shorten it.` });
  }
  if (suffix.length > 48) {
    add({ ...base, ruleId: 'entra.upn.domain-length', severity: 'error', errors: ['length'], message: `The suffix after @ has ${suffix.length} characters; Entra allows 48. Use a shorter UPN suffix.` });
  }
  if (BAD_LOCAL_END.test(local)) {
    const trimmed = local.replace(BAD_LOCAL_END, '');
    add({ ...base, ruleId: 'entra.upn.local-part-end', severity: 'error', errors: ['localpart'], suggestedValue: trimmed === '' ? null : `${trimmed}@${suffix}`, message: 'The username before @ ends with a period, ampersand or space, which Entra rejects; remove it.' });
  }
  const valid = findings.length === 0;

  const reason = domains.nonRoutable(suffix);
  if (reason) {
    const target = domains.soleTargetSuffix;
    add({
      ...base,
      ruleId: 'entra.upn.non-routable-suffix',
      severity: 'warning',
      suggestedValue: target ? `${local}@${target}` : null,
      message: `${describeNonRoutable(suffix, reason)}: the user will sign in as …@<tenant>.onmicrosoft.com. Add a routable UPN suffix that is verified in the tenant and move the user to it${target ? ` (${target})` : ''}.`,
    });
  } else if (domains.isVerified(suffix) === false) {
    add({ ...base, ruleId: 'entra.upn.unverified-suffix', severity: 'warning', message: `The UPN suffix "${suffix}" is not a verified domain of the tenant: the user will sign in as …@<tenant>.onmicrosoft.com. Verify the domain in Entra or move the user to a verified suffix.` });
  }
  return { findings, valid, suffix: suffix.toLowerCase() };
}
