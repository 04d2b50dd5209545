import { GROUP_TYPE, MAIL_DOMAIN, RECIPIENT_TYPE, ROUTING_DOMAIN, type FixtureContext } from './fixture-context';
import { DEPARTMENTS, LOCATIONS } from './fixture-names';
import { escapeRdnValue, ldifAddRecord, ldifModifyRecord, type LdifAttribute } from './ldif-writer';

/** Members a group can draw from. */
export interface MemberPools {
  readonly users: readonly string[];
  readonly contacts: readonly string[];
  readonly computers: readonly string[];
}

/** Most groups hold a handful of members; a few are empty, as in real forests. */
const MAX_MEMBERS = 12;

function asciiSlug(text: string): string {
  const slug = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return slug || 'office';
}

/**
 * Builds `count` groups under the fixture's OU=Groups: half security groups without mail
 * (global security, -2147483646), the rest distribution groups (universal distribution, 8)
 * and mail-enabled universal security groups (-2147483640) with mail, mailNickname and
 * proxyAddresses. Returns the add records, and `changetype: modify` records that nest every
 * tenth group in the one before it where AD allows it (applied after all groups exist).
 */
export function buildGroups(ctx: FixtureContext, count: number, pools: MemberPools): { records: string[]; nesting: string[] } {
  const { random } = ctx;
  const records: string[] = [];
  const nesting: string[] = [];
  const dns: string[] = [];
  const kinds: string[] = [];
  for (let i = 0; i < count; i++) {
    const department = random.pick(DEPARTMENTS);
    const location = random.pick(LOCATIONS);
    const roll = random.next();
    const kind = roll < 0.5 ? 'security' : roll < 0.85 ? 'distribution' : 'mailSecurity';
    const prefix = kind === 'security' ? 'SG' : 'DL';
    const cn = `${prefix} ${department} ${location} ${i + 1}`;
    const dn = `CN=${escapeRdnValue(cn)},${ctx.groupsDn}`;
    const attrs: LdifAttribute[] = [
      ['objectClass', 'group'],
      ['cn', cn],
      ['sAMAccountName', `grp-${ctx.tag}-${i}`],
      ['description', `${department}, ${location}`],
    ];
    if (kind === 'security') {
      attrs.push(['groupType', GROUP_TYPE.globalSecurity]);
    } else {
      const nickname = `${prefix.toLowerCase()}-${asciiSlug(department)}-${asciiSlug(location)}-${ctx.tag}${i}`;
      const mail = `${nickname}@${MAIL_DOMAIN}`;
      attrs.push(
        ['groupType', kind === 'distribution' ? GROUP_TYPE.universalDistribution : GROUP_TYPE.universalSecurity],
        ['displayName', cn],
        ['mail', mail],
        ['mailNickname', nickname],
        ['proxyAddresses', `SMTP:${mail}`],
        ['proxyAddresses', `smtp:${nickname}@contoso.local`],
        ['msExchRecipientTypeDetails', kind === 'distribution' ? RECIPIENT_TYPE.mailUniversalDistributionGroup : RECIPIENT_TYPE.mailUniversalSecurityGroup],
      );
      // Groups that were moved to the cloud and point back at it.
      if (random.chance(0.2)) attrs.push(['targetAddress', `SMTP:${nickname}@${ROUTING_DOMAIN}`]);
      if (random.chance(0.1)) attrs.push(['msExchHideFromAddressLists', 'TRUE']);
    }
    const candidates = kind === 'security' ? [...pools.users, ...pools.computers] : [...pools.users, ...pools.contacts];
    const members = new Set<string>();
    const wanted = random.chance(0.1) ? 0 : 1 + random.int(MAX_MEMBERS);
    for (let tries = 0; members.size < Math.min(wanted, candidates.length) && tries < wanted * 4; tries++) {
      members.add(random.pick(candidates));
    }
    for (const member of members) attrs.push(['member', member]);
    records.push(ldifAddRecord(dn, attrs));
    // AD's nesting rule: a global group holds only global groups; a universal one holds both.
    if (i % 10 === 9 && (kinds[i - 1] !== 'security' || kind === 'security')) {
      nesting.push(ldifModifyRecord(dns[i - 1] as string, [{ op: 'add', attribute: 'member', values: [dn] }]));
    }
    dns.push(dn);
    kinds.push(kind);
  }
  return { records, nesting };
}
