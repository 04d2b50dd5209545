import { legacyProxyAddresses, RECIPIENT_TYPE, X500_PREFIX, type FixtureContext, type FixtureRecipient } from './fixture-context';
import { PARTNER_DOMAINS, pickName } from './fixture-names';
import { escapeRdnValue, ldifAddRecord, type LdifAttribute } from './ldif-writer';

/** Every contact with this index modulo 25 copies a user's mail: a cross-object duplicate. */
const DUPLICATE_OF_USER = 4;

/** Builds `count` mail contacts (external partners) under the fixture's OU=Contacts. */
export function buildContacts(ctx: FixtureContext, count: number, users: readonly FixtureRecipient[]): { records: string[]; recipients: FixtureRecipient[] } {
  const { random } = ctx;
  const records: string[] = [];
  const recipients: FixtureRecipient[] = [];
  const mailUsers = users.filter((u) => u.mail !== undefined);
  for (let i = 0; i < count; i++) {
    const name = pickName(random);
    // Contacts have no sAMAccountName; a number keeps the CN unique in the container.
    const cn = `${name.displayName} (${i + 1})`;
    const dn = `CN=${escapeRdnValue(cn)},${ctx.contactsDn}`;
    const domain = random.pick(PARTNER_DOMAINS);
    const local = `${name.given.ascii}.${name.surname.ascii}${i}.${ctx.tag}`;
    const copied = i % 25 === DUPLICATE_OF_USER && mailUsers.length > 0 ? mailUsers[(i * 7) % mailUsers.length]?.mail : undefined;
    const mail = copied ?? `${local}@${domain}`;
    const attrs: LdifAttribute[] = [
      ['objectClass', 'contact'],
      ['cn', cn],
      ['displayName', `${name.displayName} (${domain})`],
      ['givenName', name.given.display],
      ['sn', name.surname.display],
      ['mail', mail],
      ['mailNickname', `${local}`],
      ['targetAddress', `SMTP:${mail}`],
      ['proxyAddresses', `SMTP:${mail}`],
      ['msExchRecipientTypeDetails', RECIPIENT_TYPE.mailContact],
    ];
    if (random.chance(0.3)) attrs.push(['proxyAddresses', `${X500_PREFIX}contact${ctx.tag}${i}`]);
    if (random.chance(0.1)) attrs.push(['msExchHideFromAddressLists', 'TRUE']);
    for (const proxy of legacyProxyAddresses(`contact${i}.${ctx.tag}`, ctx.extraProxyAddresses)) attrs.push(['proxyAddresses', proxy]);
    records.push(ldifAddRecord(dn, attrs));
    recipients.push({ dn, mail });
  }
  return { records, recipients };
}
