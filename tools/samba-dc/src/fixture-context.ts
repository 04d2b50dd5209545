import { type CertificateKey } from './self-signed-certificate';
import { type SeededRandom } from './seeded-random';

/** The test forest's domain NC (the DC is always provisioned as CONTOSO.LOCAL). */
export const FIXTURE_BASE_DN = 'DC=contoso,DC=local';
/** The routable mail domain and the UPN suffix registered on CN=Partitions. */
export const MAIL_DOMAIN = 'contoso.com';
/** The AD DNS name: non-routable, the suffix the readiness checks flag in UPNs. */
export const LOCAL_DOMAIN = 'contoso.local';
/** The tenant's routing domain, as Exchange hybrid writes it into targetAddress. */
export const ROUTING_DOMAIN = 'contoso.mail.onmicrosoft.com';
/** Legacy Exchange DN prefix of X500 proxy addresses. */
export const X500_PREFIX = 'X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=';

const EXCHANGE_DATABASES = `CN=Databases,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,${FIXTURE_BASE_DN}`;

/**
 * Placeholder mailbox databases that `samba-dc provision` creates where Exchange keeps them, so
 * homeMDB (a DN-syntax link) points at objects that exist.
 */
export const MAILBOX_DATABASE_DNS: readonly string[] = [
  `CN=Mailbox Database 01,${EXCHANGE_DATABASES}`,
  `CN=Mailbox Database 02,${EXCHANGE_DATABASES}`,
];

/** msExchRecipientTypeDetails values (Exchange's RecipientTypeDetails flags). */
export const RECIPIENT_TYPE = {
  userMailbox: '1',
  sharedMailbox: '4',
  roomMailbox: '16',
  mailContact: '64',
  mailUniversalDistributionGroup: '256',
  mailUniversalSecurityGroup: '1024',
  remoteUserMailbox: '2147483648',
  /** Above 2^32: exercises the Large Integer syntax end to end. */
  remoteSharedMailbox: '34359738368',
} as const;

/** groupType values (flags: 0x80000000 security, 2 global, 4 domain local, 8 universal). */
export const GROUP_TYPE = {
  globalSecurity: '-2147483646',
  universalSecurity: '-2147483640',
  universalDistribution: '8',
  globalDistribution: '2',
} as const;

/** userAccountControl values. */
export const UAC = { normal: '512', disabled: '514', workstationTrust: '4096' } as const;

/** What every record builder shares. */
export interface FixtureContext {
  readonly random: SeededRandom;
  /** 4 characters derived from the OU name that keep sAMAccountNames unique across fixtures. */
  readonly tag: string;
  readonly ouDn: string;
  readonly usersDn: string;
  readonly groupsDn: string;
  readonly contactsDn: string;
  readonly computersDn: string;
  /** Signs the computers' userCertificate values. */
  readonly certificateKey: CertificateKey;
  /** Long legacy X500 proxy addresses per mail-enabled user and contact (see {@link legacyProxyAddresses}). */
  readonly extraProxyAddresses: number;
}

/** Length each legacy X500 proxy address is padded to: under proxyAddresses' rangeUpper of 1123. */
const LEGACY_PROXY_LENGTH = 1000;

/**
 * `count` long X500 proxy addresses for the object named `id` (unique per fixture), the kind a
 * mailbox collects when it moves through several Exchange organizations: deterministic, ASCII,
 * about {@link LEGACY_PROXY_LENGTH} characters each. They draw nothing from the fixture's
 * random sequence, so the rest of a fixture is the same with or without them.
 */
export function legacyProxyAddresses(id: string, count: number): string[] {
  const values: string[] = [];
  for (let k = 1; k <= count; k++) {
    let value = `X500:/o=Legacy Organization ${k}/ou=First Administrative Group/cn=Recipients/cn=${id}`;
    for (let n = 1; value.length < LEGACY_PROXY_LENGTH; n++) value += `/cn=migrated-${k}-${n}-${id}`;
    values.push(value.slice(0, LEGACY_PROXY_LENGTH));
  }
  return values;
}

/** A recipient other records may refer to (group members, deliberate duplicates). */
export interface FixtureRecipient {
  readonly dn: string;
  /** Primary SMTP address, when mail-enabled. */
  readonly mail?: string;
  /** A secondary `smtp:` address in @contoso.com, when it has one. */
  readonly alias?: string;
}
