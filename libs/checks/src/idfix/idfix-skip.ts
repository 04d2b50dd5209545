import { type DirectoryObject } from '@syncready/directory';
import { firstValue, hasAttribute, isConflictDn, isTrue } from '../object-facts';

/** cn prefixes IdFix never checks (its "well-known exclusions"), compared case-insensitively. */
const WELL_KNOWN_EXCLUSIONS = [
  'Admini',
  'CAS_{',
  'DiscoverySearchMailbox',
  'FederatedEmail',
  'Guest',
  'HTTPConnector',
  'krbtgt',
  'iusr_',
  'iwam',
  'msol',
  'support_',
  'SystemMailbox',
  'WWIOadmini',
  'HealthMailbox',
  'Exchange Online-ApplicationAccount',
].map((p) => p.toLowerCase());

/**
 * IdFix compares msExchRecipientTypeDetails as a string with hex literals while AD returns a
 * decimal integer, so in practice this never matches; kept for parity.
 */
const SKIPPED_RECIPIENT_TYPES = new Set(['0x1000', '0x2000', '0x4000', '0x400000', '0x800000', '0x1000000', '0x20000000']);

function startsWithIgnoreCase(value: string | undefined, prefix: string): boolean {
  return value !== undefined && value.toLowerCase().startsWith(prefix.toLowerCase());
}

/** IdFix 2.6's multi-tenant skip rules: true = the object is not checked at all. */
export function isSkippedByIdFix(object: DirectoryObject, objectType: string): boolean {
  const cn = firstValue(object, 'cn') ?? '';
  const cnLower = cn.toLowerCase();
  if (cn.endsWith('$')) return true;
  if (WELL_KNOWN_EXCLUSIONS.some((prefix) => cnLower.startsWith(prefix))) return true;
  if (isConflictDn(object.distinguishedName)) return true;
  if (isTrue(object, 'isCriticalSystemObject')) return true;

  if (objectType === 'user') {
    const sam = firstValue(object, 'sAMAccountName');
    if (['CAS_', 'SUPPORT_', 'MSOL_'].some((p) => startsWithIgnoreCase(sam, p))) return true;
    const nickname = firstValue(object, 'mailNickname');
    if (['CAS_', 'SYSTEMMAILBOX'].some((p) => startsWithIgnoreCase(nickname, p))) return true;
    if (isTrue(object, 'msExchHideFromAddressLists') && startsWithIgnoreCase(firstValue(object, 'displayName'), 'MSOL')) return true;
    const recipientType = firstValue(object, 'msExchRecipientTypeDetails');
    if (recipientType !== undefined && SKIPPED_RECIPIENT_TYPES.has(recipientType)) return true;
  }

  if (objectType === 'group') {
    const groupType = Number(firstValue(object, 'groupType'));
    if (Number.isFinite(groupType)) {
      if (groupType < 0 && !hasAttribute(object, 'mail')) return true;
      if (groupType >= 0 && !hasAttribute(object, 'proxyAddresses')) return true;
    }
  }
  return false;
}
