import { guidToBytes } from '@syncready/directory';
import {
  legacyProxyAddresses, LOCAL_DOMAIN, MAIL_DOMAIN, MAILBOX_DATABASE_DNS, RECIPIENT_TYPE, ROUTING_DOMAIN, UAC, X500_PREFIX,
  type FixtureContext, type FixtureRecipient,
} from './fixture-context';
import { pickName, SHOWCASE_NAMES, DEPARTMENTS, type FullName } from './fixture-names';
import { escapeRdnValue, ldifAddRecord, type LdifAttribute } from './ldif-writer';
import { type SeededRandom } from './seeded-random';

/**
 * Deliberate defects, by user index modulo 25, so every fixture of 20 or more users has each
 * of them (IdFix and the Entra rules must find them):
 */
const DEFECT = {
  /** UPN with a space in the local part. */
  spaceInUpn: 3,
  /** mailNickname starting with '.'. */
  leadingDotNickname: 5,
  /** UPN equal to the previous user's `smtp:` alias (that user is always a mailbox). */
  upnIsOthersProxy: 7,
  /** Same mail (and primary SMTP) as the previous user (always a mailbox). */
  duplicateMail: 9,
  /** Non-ASCII letters kept in the UPN. */
  nonAsciiUpn: 11,
  /** A proxy address with a double dot in its domain. */
  doubleDotProxy: 13,
} as const;
/** Indices (mod 25) that must be mailboxes because another user copies their addresses. */
const FORCED_MAILBOX = new Set([0, DEFECT.leadingDotNickname, DEFECT.upnIsOthersProxy - 1, DEFECT.duplicateMail - 1, DEFECT.duplicateMail, DEFECT.doubleDotProxy]);

type Kind = 'mailbox' | 'remote' | 'shared' | 'remoteShared' | 'plain' | 'mailOnly';

function kindOf(random: SeededRandom, index: number): Kind {
  if (FORCED_MAILBOX.has(index % 25)) return 'mailbox';
  const roll = random.next();
  if (roll < 0.55) return 'mailbox';
  if (roll < 0.75) return 'remote';
  if (roll < 0.8) return 'shared';
  if (roll < 0.83) return 'remoteShared';
  if (roll < 0.93) return 'plain';
  return 'mailOnly';
}

function upnSuffix(random: SeededRandom): string {
  const roll = random.next();
  if (roll < 0.5) return MAIL_DOMAIN;
  if (roll < 0.85) return LOCAL_DOMAIN;
  if (roll < 0.95) return 'fabrikam.example';
  return 'corp.contoso.internal'; // a suffix nobody registered
}

function randomGuid(random: SeededRandom): string {
  const hex = Array.from(random.bytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The users of a fixture: records, and what groups and contacts may refer to. */
export interface FixtureUsers {
  readonly records: string[];
  readonly recipients: FixtureRecipient[];
}

/** Builds `count` users under the fixture's OU=Users. */
export function buildUsers(ctx: FixtureContext, count: number): FixtureUsers {
  const { random } = ctx;
  const records: string[] = [];
  const recipients: FixtureRecipient[] = [];
  const usedCn = new Map<string, number>();
  const usedLocal = new Map<string, number>();
  const usedUpn = new Set<string>();
  const unique = (used: Map<string, number>, value: string, sep: string): string => {
    const seen = used.get(value.toLowerCase()) ?? 0;
    used.set(value.toLowerCase(), seen + 1);
    return seen === 0 ? value : `${value}${sep}${seen + 1}`;
  };
  // Samba, like AD, refuses a userPrincipalName another object already has (constraint
  // violation), across the whole domain: every address carries the fixture's tag, and a
  // clash inside the fixture gets the user's index.
  const claimUpn = (upn: string, i: number): string => {
    const claimed = usedUpn.has(upn.toLowerCase()) ? upn.replace('@', `${i}@`) : upn;
    usedUpn.add(claimed.toLowerCase());
    return claimed;
  };

  for (let i = 0; i < count; i++) {
    const name: FullName = SHOWCASE_NAMES[i] ?? pickName(random);
    const { given, surname } = name;
    const cn = unique(usedCn, name.displayName, ' ');
    const dn = `CN=${escapeRdnValue(cn)},${ctx.usersDn}`;
    const local = `${unique(usedLocal, `${given.ascii}.${surname.ascii}`, '')}.${ctx.tag}`;
    const sam = `${given.ascii.slice(0, 1)}${surname.ascii.slice(0, 7)}.${ctx.tag}${i}`.slice(0, 20);
    const kind = kindOf(random, i);
    const role = i % 25;
    const previous = recipients[i - 1];
    const disabled = kind === 'shared' || kind === 'remoteShared' || random.chance(0.08);

    let upn = `${local}@${upnSuffix(random)}`;
    if (role === DEFECT.spaceInUpn) upn = `${given.ascii} ${surname.ascii}.${ctx.tag}@${MAIL_DOMAIN}`;
    if (role === DEFECT.nonAsciiUpn) upn = `${given.display}.${surname.display}`.toLowerCase().replace(/\s+/g, '') + `.${ctx.tag}@${MAIL_DOMAIN}`;
    // Not a UPN clash: the alias is a proxy address, which Samba does not keep unique.
    if (role === DEFECT.upnIsOthersProxy && previous?.alias) upn = previous.alias;
    upn = claimUpn(upn, i);

    const attrs: LdifAttribute[] = [
      ['objectClass', 'user'],
      ['cn', cn],
      ['displayName', name.displayName],
      ['givenName', given.display],
      ['sn', surname.display],
      ['sAMAccountName', sam],
      ['userPrincipalName', upn],
      ['userAccountControl', disabled ? UAC.disabled : UAC.normal],
      ['department', random.pick(DEPARTMENTS)],
    ];

    let mail: string | undefined;
    let alias: string | undefined;
    if (kind !== 'plain') {
      mail = role === DEFECT.duplicateMail && previous?.mail ? previous.mail : `${local}@${MAIL_DOMAIN}`;
      attrs.push(['mail', mail]);
    }
    if (kind !== 'plain' && kind !== 'mailOnly') {
      alias = `${given.ascii.slice(0, 1)}${surname.ascii}${i}.${ctx.tag}@${MAIL_DOMAIN}`;
      const proxies = [`SMTP:${mail}`, `smtp:${alias}`];
      if (random.chance(0.5)) proxies.push(`smtp:${local}@${LOCAL_DOMAIN}`);
      if (kind === 'remote' || kind === 'remoteShared') proxies.push(`smtp:${local}@${ROUTING_DOMAIN}`);
      if (random.chance(0.4)) proxies.push(`${X500_PREFIX}${sam}`);
      if (random.chance(0.3)) proxies.push(`sip:${local}@${MAIL_DOMAIN}`);
      if (role === DEFECT.doubleDotProxy) proxies.push(`smtp:${local}@contoso..com`);
      proxies.push(...legacyProxyAddresses(`${sam}.${ctx.tag}`, ctx.extraProxyAddresses));
      for (const proxy of proxies) attrs.push(['proxyAddresses', proxy]);
      attrs.push(['mailNickname', role === DEFECT.leadingDotNickname ? `.${local}` : local]);
      const type = { mailbox: RECIPIENT_TYPE.userMailbox, remote: RECIPIENT_TYPE.remoteUserMailbox, shared: RECIPIENT_TYPE.sharedMailbox, remoteShared: RECIPIENT_TYPE.remoteSharedMailbox }[kind];
      attrs.push(['msExchRecipientTypeDetails', type]);
      if (kind === 'remote' || kind === 'remoteShared') attrs.push(['targetAddress', `SMTP:${local}@${ROUTING_DOMAIN}`]);
      else attrs.push(['homeMDB', random.pick(MAILBOX_DATABASE_DNS)]);
      if (disabled || random.chance(0.04)) attrs.push(['msExchHideFromAddressLists', 'TRUE']);
      else if (random.chance(0.1)) attrs.push(['msExchHideFromAddressLists', 'FALSE']);
    }
    // Set by Entra Connect when it uses mS-DS-ConsistencyGuid as the source anchor.
    if (random.chance(0.3)) attrs.push(['mS-DS-ConsistencyGuid', guidToBytes(randomGuid(random))]);

    records.push(ldifAddRecord(dn, attrs));
    recipients.push({ dn, mail, alias });
  }
  return { records, recipients };
}
