import { type DirectoryObject } from '@syncready/directory';
import { allValues, firstValue, hasAttribute, isConflictDn, isTrue } from '../object-facts';

/** How Connect's default sync rules treat an object. */
export interface EntraScope {
  /** False: Connect's default configuration does not synchronize the object. */
  readonly synced: boolean;
  /** Mail attributes (mail, mailNickname, proxyAddresses, targetAddress) are checked. */
  readonly mailAttributes: boolean;
}

const NOT_SYNCED: EntraScope = { synced: false, mailAttributes: false };
/** A device: synced, but none of the checked user/contact/group attribute rules apply. */
const SYNCED_DEVICE: EntraScope = { synced: true, mailAttributes: false };

/** msExchRecipientTypeDetails bits Connect excludes (system, arbitration, discovery mailboxes, …). */
const EXCLUDED_RECIPIENT_TYPES = 0x21c07000n;
const SECURITY_ENABLED = 0x80000000n;
const ROLE_GROUP = 0x40000000n;

function asBigInt(value: string | undefined): bigint | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  // groupType is a signed 32-bit value in AD; mask to its unsigned bit pattern.
  return BigInt.asUintN(64, BigInt(value.trim()));
}

function startsWithIgnoreCase(value: string | undefined, prefix: string): boolean {
  return value !== undefined && value.toLowerCase().startsWith(prefix.toLowerCase());
}

/** `CAS_…}`: Exchange's CAS test accounts, by mailNickname or sAMAccountName. */
function isCasAccount(value: string | undefined): boolean {
  return startsWithIgnoreCase(value, 'CAS_') && value !== undefined && value.includes('}');
}

/** Mail-enabled as Connect's contact and group rules test it. */
function isMailEnabled(object: DirectoryObject): boolean {
  if (!hasAttribute(object, 'proxyAddresses')) return false;
  const smtpWithAt = allValues(object, 'proxyAddresses').some((p) => p.slice(0, 5).toLowerCase() === 'smtp:' && p.includes('@'));
  return smtpWithAt || (firstValue(object, 'mail')?.includes('@') ?? false);
}

function userScope(object: DirectoryObject): EntraScope {
  const sam = firstValue(object, 'sAMAccountName');
  const nickname = firstValue(object, 'mailNickname');
  if (sam === undefined) return NOT_SYNCED;
  if (startsWithIgnoreCase(sam, 'AAD_') || startsWithIgnoreCase(sam, 'MSOL_')) return NOT_SYNCED;
  if (sam.toLowerCase() === 'support_388945a0') return NOT_SYNCED;
  if (startsWithIgnoreCase(nickname, 'SystemMailbox{')) return NOT_SYNCED;
  if (isCasAccount(nickname) || isCasAccount(sam)) return NOT_SYNCED;
  const recipientType = asBigInt(firstValue(object, 'msExchRecipientTypeDetails'));
  if (recipientType !== undefined && (recipientType & EXCLUDED_RECIPIENT_TYPES) !== 0n) return NOT_SYNCED;
  return { synced: true, mailAttributes: true };
}

function contactScope(object: DirectoryObject): EntraScope {
  if (!isMailEnabled(object)) return NOT_SYNCED;
  const displayName = firstValue(object, 'displayName') ?? '';
  if (displayName.includes('(MSOL)') && isTrue(object, 'msExchHideFromAddressLists')) return NOT_SYNCED;
  if (isCasAccount(firstValue(object, 'mailNickname'))) return NOT_SYNCED;
  return { synced: true, mailAttributes: true };
}

function groupScope(object: DirectoryObject): EntraScope {
  if (firstValue(object, 'sAMAccountName')?.toLowerCase() === 'msol_ad_sync_richcoexistence') return NOT_SYNCED;
  const groupType = asBigInt(firstValue(object, 'groupType')) ?? 0n;
  if ((groupType & ROLE_GROUP) !== 0n) return NOT_SYNCED;
  const security = (groupType & SECURITY_ENABLED) !== 0n;
  const mailEnabled = isMailEnabled(object);
  if (!security && !mailEnabled) return NOT_SYNCED;
  // A security group without mail syncs, but none of its mail attributes matter.
  return { synced: true, mailAttributes: !security || hasAttribute(object, 'mail') };
}

/**
 * Connect's default scoping filters (its "In from AD" rules): critical system objects and
 * replication conflicts never sync; users minus service, sync and system mailboxes; contacts
 * and distribution groups only when mail-enabled; role groups never. Computers sync only with a
 * userCertificate and carry none of the checked attributes, so attribute rules skip them.
 */
export function entraScopeOf(object: DirectoryObject): EntraScope {
  if (isConflictDn(object.distinguishedName)) return NOT_SYNCED;
  // Computers have a filter of their own (a userCertificate); the critical-object test belongs
  // to the user, contact and group rules. Samba, unlike AD, stamps workstation accounts with
  // isCriticalSystemObject: FALSE, and that must not decide whether a device syncs.
  if (object.kind === 'computer') return hasAttribute(object, 'userCertificate') ? SYNCED_DEVICE : NOT_SYNCED;
  // Connect tests IsPresent([isCriticalSystemObject]): any value, FALSE included, keeps it out.
  if (hasAttribute(object, 'isCriticalSystemObject')) return NOT_SYNCED;
  switch (object.kind) {
    case 'user':
      return userScope(object);
    case 'contact':
      return contactScope(object);
    case 'group':
      return groupScope(object);
  }
}
