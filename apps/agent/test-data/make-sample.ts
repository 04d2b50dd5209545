/**
 * Generates `sample-ldifde-export.ldf`: what `ldifde -f` writes for a small, messy OU of the
 * test forest (CN=Partitions first, as when the configuration export is put in front of the
 * domain export). The objects come from the Samba DC fixture generator (seed 7), plus records
 * for the defects it does not make; ldifde's own additions (objectGUID, objectSid, USNs,
 * timestamps, instanceType, objectCategory) are derived from each DN, so the file is the same
 * on every run. Regenerate with:
 *
 *   npx esbuild apps/agent/test-data/make-sample.ts --bundle --platform=node --log-level=warning \
 *     --outfile=.tmp/make-sample.js && node .tmp/make-sample.js > apps/agent/test-data/sample-ldifde-export.ldf
 *
 * (`sample-ldifde-export.spec.ts` fails when the committed file and this generator disagree.)
 */
import { createHash } from 'node:crypto';
import { parseLdif, type LdifRecord, type RawValue } from '@syncready/directory';
import { generateFixtureLdif } from '@syncready/samba-dc';

/** The sample's OU, under DC=contoso,DC=local (the test DC's domain). */
export const SAMPLE_OU_DN = 'OU=Scan-Sample,DC=contoso,DC=local';
const USERS = `OU=Users,${SAMPLE_OU_DN}`;
const CONFIGURATION = 'CN=Configuration,DC=contoso,DC=local';
const SCHEMA = `CN=Schema,${CONFIGURATION}`;
const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';
const WHEN = '20250301120000.0Z';

type Attr = readonly [string, RawValue];

/** Defects the fixture generator does not make (entra-sync-facts §1.4, §2.3). Every UPN and sAMAccountName is unique domain-wide, as the DC demands. */
const EXTRA_USERS: readonly { cn: string; attrs: readonly Attr[] }[] = [
  // IdFix flags the apostrophe (its UPN regex still has it); Microsoft's docs allow it.
  { cn: "Siobhan O'Brien", attrs: [['sAMAccountName', 'sobrien.sx1'], ['userPrincipalName', "siobhan.o'brien.sx@contoso.com"], ['displayName', "Siobhan O'Brien"], ['mail', "siobhan.o'brien.sx@contoso.com"], ['mailNickname', 'siobhan.obrien.sx']] },
  // Exchange Online X500 addresses: parentheses and spaces are fine there (IdFix #12, #16).
  { cn: 'Xavier Legacy', attrs: [['sAMAccountName', 'xlegacy.sx2'], ['userPrincipalName', 'xavier.legacy.sx@contoso.com'], ['displayName', 'Xavier Legacy'], ['mail', 'xavier.legacy.sx@contoso.com'], ['mailNickname', 'xavier.legacy.sx'], ['proxyAddresses', 'SMTP:xavier.legacy.sx@contoso.com'], ['proxyAddresses', 'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=5f2c9e1a7b3d4c8e-xavier'], ['proxyAddresses', "x500:/o=Contoso/ou=First Administrative Group/cn=Recipients/cn=xavier o'legacy"]] },
  // Invalid characters after the type prefix, and a second colon (docs: "SMTP:user:M@contoso.com isn't").
  { cn: 'Bad Proxies', attrs: [['sAMAccountName', 'badproxy.sx3'], ['userPrincipalName', 'bad.proxies.sx@contoso.com'], ['displayName', 'Bad Proxies'], ['mail', 'bad.proxies.sx@contoso.com'], ['mailNickname', 'bad.proxies.sx'], ['proxyAddresses', 'SMTP:bad.proxies.sx@contoso.com'], ['proxyAddresses', 'smtp:bad(proxies).sx@contoso.com'], ['proxyAddresses', 'smtp:bad proxies.sx@contoso.com'], ['proxyAddresses', 'smtp:bad:proxies.sx@contoso.com'], ['proxyAddresses', 'smtp:bad.proxies.sx@contoso.shop'], ['proxyAddresses', 'sip:bad proxies.sx@contoso.com']] },
  // 64 characters before '@' at most (docs); IdFix dropped that check and only counts 113.
  { cn: 'Long Local Part', attrs: [['sAMAccountName', 'longlocal.sx4'], ['userPrincipalName', `${'firstname.middlenames.lastname.department.location.'.padEnd(70, 'x')}.sx@contoso.com`], ['displayName', 'Long Local Part']] },
  // No displayName: IdFix's multi-tenant rules flag it Blank; the docs only ask a present one not to be blank.
  { cn: 'No Display Name', attrs: [['sAMAccountName', 'nodisplay.sx5'], ['userPrincipalName', 'no.display.name.sx@contoso.com']] },
  // A .local UPN and a single-label suffix: not routable, sync to onmicrosoft.com.
  { cn: 'Local Suffix', attrs: [['sAMAccountName', 'localsfx.sx6'], ['userPrincipalName', 'local.suffix.sx@contoso.local'], ['displayName', 'Local Suffix']] },
  { cn: 'Single Label', attrs: [['sAMAccountName', 'singlelbl.sx7'], ['userPrincipalName', 'single.label.sx@contoso'], ['displayName', 'Single Label']] },
  // UPN that ends its local part with a period, and one with '&' (invalid for both).
  { cn: 'Trailing Dot', attrs: [['sAMAccountName', 'trailing.sx8'], ['userPrincipalName', 'trailing.dot.sx.@contoso.com'], ['displayName', 'Trailing Dot']] },
  { cn: 'Ampersand User', attrs: [['sAMAccountName', 'ampersand.sx9'], ['userPrincipalName', 'r&d.user.sx@contoso.com'], ['displayName', 'Ampersand User']] },
  // Skipped by IdFix by cn prefix ("Guest"), checked by Connect's rules: a real person.
  { cn: 'Guest Smith', attrs: [['sAMAccountName', 'gsmith.sx10'], ['userPrincipalName', 'guest smith.sx@contoso.com'], ['displayName', 'Guest Smith']] },
  // Exchange system mailbox: neither IdFix nor Connect syncs it.
  { cn: 'SystemMailbox{1f05a927-0000-0000-0000-000000000000}', attrs: [['sAMAccountName', 'SM_sx11'], ['userPrincipalName', 'SystemMailbox{1f05a927-sx}@contoso.local'], ['mailNickname', 'SystemMailbox{1f05a927-sx}'], ['displayName', 'Microsoft Exchange']] },
  // mailNickname with a leading period and a proxy that is another user's UPN.
  { cn: 'Dot Nickname', attrs: [['sAMAccountName', 'dotnick.sx12'], ['userPrincipalName', 'dot.nickname.sx@contoso.com'], ['displayName', 'Dot Nickname'], ['mail', 'dot.nickname.sx@contoso.com'], ['mailNickname', '..dot.nickname.sx'], ['proxyAddresses', 'SMTP:dot.nickname.sx@contoso.com'], ['proxyAddresses', 'smtp:no.display.name.sx@contoso.com']] },
];

function bytesOf(value: RawValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text.toLowerCase()).digest();
}

/** ldifde writes non-ASCII and binary values as base64 and folds long lines with CRLF + space. */
function line(name: string, value: RawValue): string {
  const safe = typeof value === 'string' && /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(' ');
  const text = safe ? `${name}: ${value as string}` : value === '' ? `${name}: ` : `${name}:: ${bytesOf(value).toString('base64')}`;
  const parts = [text.slice(0, 80)];
  for (let i = 80; i < text.length; i += 79) parts.push(` ${text.slice(i, i + 79)}`);
  return parts.join('\r\n');
}

function sidBytes(rid: number): Buffer {
  const parts = DOMAIN_SID.split('-').slice(3).map(Number);
  const buffer = Buffer.alloc(8 + 4 * (parts.length + 1));
  buffer.writeUInt8(1, 0);
  buffer.writeUInt8(parts.length + 1, 1);
  buffer.writeUIntBE(5, 2, 6);
  [...parts, rid].forEach((p, i) => buffer.writeUInt32LE(p, 8 + 4 * i));
  return buffer;
}

function objectCategory(classes: readonly string[]): string {
  const lower = classes.map((c) => c.toLowerCase());
  const cls = lower.includes('computer') ? 'Computer' : lower.includes('group') ? 'Group' : lower.includes('organizationalunit') ? 'Organizational-Unit' : 'Person';
  return `CN=${cls},${SCHEMA}`;
}

/** One record the way ldifde prints it: dn, changetype, the attributes, then what the DC adds. */
function record(dn: string, attrs: readonly Attr[], usn: number): string {
  const classes = attrs.filter(([n]) => n.toLowerCase() === 'objectclass').map(([, v]) => String(v));
  const fullClasses = classes.includes('user') ? ['top', 'person', 'organizationalPerson', 'user'] : classes.includes('computer') ? ['top', 'person', 'organizationalPerson', 'user', 'computer'] : classes.includes('contact') ? ['top', 'person', 'organizationalPerson', 'contact'] : ['top', ...classes];
  const rest = attrs.filter(([n]) => n.toLowerCase() !== 'objectclass');
  const hash = digest(dn);
  const lines = [line('dn', dn), 'changetype: add', ...fullClasses.map((c) => line('objectClass', c)), ...rest.map(([n, v]) => line(n, v))];
  lines.push(line('distinguishedName', dn), 'instanceType: 4', `whenCreated: ${WHEN}`, `whenChanged: ${WHEN}`, `uSNCreated: ${usn}`, `uSNChanged: ${usn}`);
  lines.push(line('objectGUID', hash.subarray(0, 16)));
  const principal = fullClasses.includes('user') || classes.includes('group');
  if (principal) lines.push(line('objectSid', sidBytes(1100 + (hash.readUInt32LE(16) % 1_000_000))));
  lines.push(line('objectCategory', objectCategory(fullClasses)));
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function attrsOf(r: LdifRecord): Attr[] {
  return [...r.attributes.entries()].flatMap(([name, values]) => values.map((v): Attr => [name, v]));
}

/** The sample export, byte for byte. */
export function makeSampleLdif(): string {
  const fixture = generateFixtureLdif({ ou: 'Scan-Sample', users: 200, groups: 30, contacts: 30, computers: 30, seed: 7 });
  // Adds only: group nesting and the fixture's completion marker are modify records ldifde never writes.
  const adds = parseLdif(fixture.ldif).filter((r) => r.changeType === undefined || r.changeType === 'add');
  let usn = 20_000;
  const out: string[] = ['\r\n'];
  out.push(record(`CN=Partitions,${CONFIGURATION}`, [['objectClass', 'crossRefContainer'], ['cn', 'Partitions'], ['uPNSuffixes', 'contoso.com'], ['uPNSuffixes', 'fabrikam.example']], ++usn));
  out.push(record(`CN=CONTOSO,CN=Partitions,${CONFIGURATION}`, [['objectClass', 'crossRef'], ['cn', 'CONTOSO'], ['nCName', 'DC=contoso,DC=local'], ['dnsRoot', 'contoso.local'], ['nETBIOSName', 'CONTOSO']], ++usn));
  for (const r of adds) {
    const attrs = attrsOf(r).map(([n, v]): Attr => (n === 'description' && r.dn === SAMPLE_OU_DN ? [n, 'syncready scan sample'] : [n, v]));
    out.push(record(r.dn, attrs, ++usn));
  }
  for (const { cn, attrs } of EXTRA_USERS) {
    const base: Attr[] = [['objectClass', 'user'], ['cn', cn], ['userAccountControl', '512']];
    out.push(record(`CN=${cn.replace(/([,+"\\<>;=])/g, '\\$1')},${USERS}`, [...base, ...attrs], ++usn));
  }
  return out.join('');
}

if (require.main === module) process.stdout.write(makeSampleLdif());
