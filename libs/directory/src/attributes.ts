import { type ObjectKind } from './directory-object';

/** How an attribute's raw LDAP value becomes text. */
export type AttributeEncoding = 'text' | 'guid' | 'sid' | 'certificate-thumbprint';

/** One attribute the agent reads. */
export interface AttributeSpec {
  /** LDAP display name, in the case used everywhere downstream. */
  readonly name: string;
  readonly encoding: AttributeEncoding;
  /** Kinds that carry it; undefined = every kind. */
  readonly kinds?: readonly ObjectKind[];
}

/**
 * The attributes the readiness checks, device reconciliation and summaries need. objectGUID,
 * distinguishedName and uSNChanged are read too but live in first-class fields of
 * DirectoryObject.
 */
export const DIRECTORY_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'objectSid', encoding: 'sid' },
  { name: 'objectClass', encoding: 'text' },
  { name: 'cn', encoding: 'text' },
  { name: 'userPrincipalName', encoding: 'text' },
  { name: 'sAMAccountName', encoding: 'text' },
  { name: 'mail', encoding: 'text' },
  { name: 'mailNickname', encoding: 'text' },
  { name: 'proxyAddresses', encoding: 'text' },
  { name: 'targetAddress', encoding: 'text' },
  { name: 'displayName', encoding: 'text' },
  { name: 'givenName', encoding: 'text' },
  { name: 'sn', encoding: 'text' },
  { name: 'groupType', encoding: 'text' },
  { name: 'userAccountControl', encoding: 'text' },
  { name: 'isCriticalSystemObject', encoding: 'text' },
  { name: 'msExchRecipientTypeDetails', encoding: 'text' },
  { name: 'msExchHideFromAddressLists', encoding: 'text' },
  { name: 'homeMDB', encoding: 'text' },
  { name: 'mS-DS-ConsistencyGuid', encoding: 'guid' },
  { name: 'whenChanged', encoding: 'text' },
  { name: 'dNSHostName', encoding: 'text', kinds: ['computer'] },
  { name: 'operatingSystem', encoding: 'text', kinds: ['computer'] },
  { name: 'operatingSystemVersion', encoding: 'text', kinds: ['computer'] },
  { name: 'userCertificate', encoding: 'certificate-thumbprint', kinds: ['computer'] },
  { name: 'lastLogonTimestamp', encoding: 'text', kinds: ['computer'] },
];

/** Attributes whose raw value is binary and must be requested as buffers. */
export const BINARY_ATTRIBUTES: readonly string[] = [
  'objectGUID',
  ...DIRECTORY_ATTRIBUTES.filter((a) => a.encoding !== 'text').map((a) => a.name),
];

/**
 * Classifies an object by its objectClass values. Computer is checked before user because a
 * computer's objectClass chain contains user; contact and group are disjoint from both.
 * Returns undefined for classes the agent does not read.
 */
export function kindOf(objectClass: readonly string[]): ObjectKind | undefined {
  const classes = new Set(objectClass.map((c) => c.toLowerCase()));
  if (classes.has('computer')) return 'computer';
  if (classes.has('user') || classes.has('inetorgperson')) return 'user';
  if (classes.has('group')) return 'group';
  if (classes.has('contact')) return 'contact';
  return undefined;
}
