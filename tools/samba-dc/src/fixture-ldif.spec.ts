import { createPublicKey, X509Certificate } from 'node:crypto';
import { guidFromBytes, parseLdif, type LdifRecord, type RawValue } from '@syncready/directory';
import { MAILBOX_DATABASE_DNS } from './fixture-context';
import { fixtureCounts, fixtureMarker, generateFixtureLdif, type FixtureOptions } from './fixture-ldif';
import { SambaDcError } from './samba-dc-error';

const OPTIONS: FixtureOptions = { ou: 'Spec-Fixture', users: 60, groups: 30, contacts: 30, computers: 40, seed: 42 };

const text = (v: RawValue): string => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));
const bytes = (v: RawValue): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
const values = (r: LdifRecord, name: string): string[] => (r.attributes.get(name) ?? []).map(text);
const first = (r: LdifRecord, name: string): string | undefined => values(r, name)[0];

function classOf(r: LdifRecord): string | undefined {
  return first(r, 'objectClass');
}

describe('generateFixtureLdif', () => {
  const fixture = generateFixtureLdif(OPTIONS);
  const records = parseLdif(fixture.ldif);
  const adds = records.filter((r) => r.changeType === undefined);
  const modifies = records.filter((r) => r.changeType === 'modify');
  const ofClass = (c: string): LdifRecord[] => adds.filter((r) => classOf(r) === c);
  const users = ofClass('user');
  const groups = ofClass('group');
  const contacts = ofClass('contact');
  const computers = ofClass('computer');

  it('is deterministic for the same options and changes with the seed and the OU', () => {
    expect(generateFixtureLdif(OPTIONS).ldif).toBe(fixture.ldif);
    expect(generateFixtureLdif({ ...OPTIONS, seed: 43 }).ldif).not.toBe(fixture.ldif);
    // Same seed, other OU: the same people, at addresses of their own (tagged by OU).
    const other = parseLdif(generateFixtureLdif({ ...OPTIONS, ou: 'Other' }).ldif).filter((r) => classOf(r) === 'user');
    expect(first(other[0] as LdifRecord, 'displayName')).toBe(first(users[0] as LdifRecord, 'displayName'));
    expect(first(other[0] as LdifRecord, 'mail')).not.toBe(first(users[0] as LdifRecord, 'mail'));
  });

  it('adds exactly the requested objects, and reports the same counts', () => {
    expect([users.length, groups.length, contacts.length, computers.length]).toEqual([60, 30, 30, 40]);
    expect(ofClass('organizationalUnit')).toHaveLength(5);
    expect(fixture.counts).toEqual({ users: 60, groups: 30, contacts: 30, computers: 40, organizationalUnits: 5, total: 165 });
    expect(adds).toHaveLength(fixture.counts.total);
    expect(fixtureCounts(OPTIONS)).toEqual(fixture.counts);
  });

  it('is well-formed LDIF: ASCII only, folded at 76 columns, unique DNs under the fixture OU', () => {
    expect(fixture.ldif).toMatch(/^version: 1\n\n/);
    expect(/[^\x20-\x7e\n]/.test(fixture.ldif)).toBe(false);
    expect(Math.max(...fixture.ldif.split('\n').map((l) => l.length))).toBeLessThanOrEqual(76);
    const dns = adds.map((r) => r.dn.toLowerCase());
    expect(new Set(dns).size).toBe(dns.length);
    for (const r of records) expect(r.dn.endsWith(fixture.ouDn)).toBe(true);
    expect(adds[0]?.dn).toBe('OU=Spec-Fixture,DC=contoso,DC=local');
  });

  it('ends with the record that marks the fixture complete', () => {
    const last = records[records.length - 1];
    expect(last?.dn).toBe(fixture.ouDn);
    expect(last?.changeType).toBe('modify');
    expect(values(last as LdifRecord, 'description')).toEqual([fixtureMarker(OPTIONS)]);
    expect(fixture.marker).toBe(fixtureMarker(OPTIONS));
    expect(modifies.length).toBeGreaterThanOrEqual(1);
  });

  it('writes non-ASCII names as base64 values that decode to the original text', () => {
    const names = users.map((u) => first(u, 'displayName'));
    expect(names.slice(0, 5)).toEqual(['Zoë Ångström', 'Łukasz Żółć', 'Søren Kierkegård', 'José García', '王伟']);
    expect(fixture.ldif).toContain(`displayName:: ${Buffer.from('Zoë Ångström').toString('base64')}\n`);
    expect(users[0]?.dn).toBe('CN=Zoë Ångström,OU=Users,OU=Spec-Fixture,DC=contoso,DC=local');
  });

  it('keeps sAMAccountName and userPrincipalName unique, as Samba enforces across the domain', () => {
    const sams = [...users, ...groups, ...computers].map((r) => first(r, 'sAMAccountName')?.toLowerCase());
    expect(new Set(sams).size).toBe(sams.length);
    for (const sam of sams) expect((sam ?? '').length).toBeLessThanOrEqual(20);
    const upns = users.map((u) => first(u, 'userPrincipalName')?.toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    const other = parseLdif(generateFixtureLdif({ ...OPTIONS, ou: 'Another-Fixture' }).ldif);
    const otherUpns = new Set(other.map((r) => first(r, 'userPrincipalName')?.toLowerCase()).filter(Boolean));
    expect(upns.filter((u) => otherUpns.has(u))).toEqual([]);
  });

  it('mixes routable and non-routable UPN suffixes, with the deliberate defects', () => {
    const upns = users.map((u) => first(u, 'userPrincipalName') ?? '');
    expect(upns.some((u) => u.endsWith('@contoso.local'))).toBe(true);
    expect(upns.some((u) => u.endsWith('@contoso.com'))).toBe(true);
    expect(upns.some((u) => u.split('@')[0]?.includes(' '))).toBe(true);
    expect(upns.some((u) => /[^\x20-\x7e]/.test(u))).toBe(true);
    expect(users.some((u) => first(u, 'mailNickname')?.startsWith('.'))).toBe(true);
    const proxies = new Set([...users, ...groups, ...contacts].flatMap((r) => values(r, 'proxyAddresses').map((p) => p.replace(/^smtp:/i, '').toLowerCase())));
    expect(upns.some((u) => proxies.has(u.toLowerCase()))).toBe(true);
    const mails = [...users, ...contacts].map((r) => first(r, 'mail')).filter((m): m is string => m !== undefined);
    expect(new Set(mails).size).toBeLessThan(mails.length);
  });

  it('gives mail users Exchange attributes and multi-valued proxyAddresses with one primary', () => {
    const mailboxes = users.filter((u) => first(u, 'msExchRecipientTypeDetails') === '1');
    expect(mailboxes.length).toBeGreaterThan(10);
    for (const u of mailboxes) {
      const proxies = values(u, 'proxyAddresses');
      expect(proxies.filter((p) => p.startsWith('SMTP:'))).toEqual([`SMTP:${first(u, 'mail')}`]);
      expect(proxies.some((p) => p.startsWith('smtp:'))).toBe(true);
      expect(first(u, 'mailNickname')).toBeDefined();
      expect(MAILBOX_DATABASE_DNS).toContain(first(u, 'homeMDB'));
    }
    const all = users.flatMap((u) => values(u, 'proxyAddresses'));
    expect(all.some((p) => p.startsWith('X500:/o=Contoso/'))).toBe(true);
    expect(all.some((p) => p.startsWith('sip:'))).toBe(true);
    const remote = users.filter((u) => first(u, 'msExchRecipientTypeDetails') === '2147483648');
    expect(remote.length).toBeGreaterThan(0);
    for (const u of remote) expect(first(u, 'targetAddress')).toMatch(/^SMTP:.+@contoso\.mail\.onmicrosoft\.com$/);
    expect(users.some((u) => first(u, 'msExchHideFromAddressLists') === 'TRUE')).toBe(true);
    expect(new Set(users.map((u) => first(u, 'userAccountControl')))).toEqual(new Set(['512', '514']));
  });

  it('writes mS-DS-ConsistencyGuid as 16 bytes', () => {
    const guids = users.flatMap((u) => (u.attributes.get('mS-DS-ConsistencyGuid') ?? []).map(bytes));
    expect(guids.length).toBeGreaterThan(0);
    for (const g of guids) expect(guidFromBytes(g)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('has contacts with targetAddress, security groups without mail and mail-enabled distribution groups', () => {
    for (const c of contacts) {
      expect(first(c, 'targetAddress')).toBe(`SMTP:${first(c, 'mail')}`);
      expect(first(c, 'msExchRecipientTypeDetails')).toBe('64');
    }
    const security = groups.filter((g) => first(g, 'groupType') === '-2147483646');
    const distribution = groups.filter((g) => first(g, 'groupType') === '8');
    expect(security.length).toBeGreaterThan(0);
    expect(distribution.length).toBeGreaterThan(0);
    for (const g of security) expect(g.attributes.has('mail')).toBe(false);
    for (const g of distribution) expect(values(g, 'proxyAddresses')[0]).toBe(`SMTP:${first(g, 'mail')}`);
    const known = new Set(adds.map((r) => r.dn));
    const members = groups.flatMap((g) => values(g, 'member'));
    expect(members.length).toBeGreaterThan(groups.length);
    for (const m of members) expect(known.has(m)).toBe(true);
  });

  it('has computer accounts with operating systems and real self-signed certificates', () => {
    for (const c of computers) {
      expect(first(c, 'sAMAccountName')).toBe(`${first(c, 'cn')}$`);
      expect((first(c, 'cn') ?? '').length).toBeLessThanOrEqual(15);
      expect(first(c, 'userAccountControl')).toBe('4096');
    }
    const systems = new Set(computers.map((c) => first(c, 'operatingSystem')).filter(Boolean));
    expect(systems).toEqual(new Set(['Windows 11 Enterprise', 'Windows 10 Pro', 'Windows Server 2022 Standard']));
    const certified = computers.filter((c) => c.attributes.has('userCertificate'));
    expect(certified.length).toBeGreaterThan(0);
    const thumbprints = new Set<string>();
    for (const c of certified) {
      const cert = new X509Certificate(bytes((c.attributes.get('userCertificate') ?? [])[0] as RawValue));
      expect(cert.subject).toBe(`CN=${first(c, 'dNSHostName')}`);
      expect(cert.verify(createPublicKey(cert.publicKey.export({ format: 'pem', type: 'spki' })))).toBe(true);
      thumbprints.add(cert.fingerprint);
    }
    expect(thumbprints.size).toBe(certified.length);
  });

  it.each([
    [{ ...OPTIONS, users: -1 }],
    [{ ...OPTIONS, computers: 1.5 }],
    [{ ...OPTIONS, ou: 'has,comma' }],
    [{ ...OPTIONS, ou: '' }],
  ])('refuses options it cannot honour: %j', (bad) => {
    expect(() => generateFixtureLdif(bad)).toThrow(SambaDcError);
    try {
      generateFixtureLdif(bad);
    } catch (error) {
      expect((error as SambaDcError).code).toBe('SAMBA_DC.BAD_FIXTURE_OPTIONS');
    }
  });
  it('adds long legacy proxy addresses on request, leaving everything else as it was', () => {
    const fat = parseLdif(generateFixtureLdif({ ...OPTIONS, extraProxyAddresses: 3 }).ldif);
    expect(fat).toHaveLength(records.length);
    expect(fixtureMarker({ ...OPTIONS, extraProxyAddresses: 0 })).toBe(fixtureMarker(OPTIONS));
    expect(fixtureMarker({ ...OPTIONS, extraProxyAddresses: 3 })).toMatch(/ extraProxyAddresses=3$/);
    const legacy = (r: LdifRecord): string[] => values(r, 'proxyAddresses').filter((p) => p.startsWith('X500:/o=Legacy Organization'));
    for (const [i, record] of fat.entries()) {
      const plain = records[i] as LdifRecord;
      expect(record.dn).toBe(plain.dn);
      const extra = legacy(record);
      const mailEnabled = values(plain, 'proxyAddresses').length > 0 && classOf(plain) !== 'group';
      expect(extra).toHaveLength(mailEnabled ? 3 : 0);
      for (const value of extra) expect(value).toHaveLength(1000);
      expect(values(record, 'proxyAddresses').filter((p) => !extra.includes(p))).toEqual(values(plain, 'proxyAddresses'));
    }
    expect(new Set(fat.flatMap(legacy)).size).toBe(fat.flatMap(legacy).length);
    expect(() => generateFixtureLdif({ ...OPTIONS, extraProxyAddresses: 65 })).toThrow(SambaDcError);
  });
});
