/**
 * The real Samba AD DC: `samba-dc ensure`, a small fixture seeded through `samba-dc seed`, and
 * OpenLDAP's ldapsearch (not the agent's client) to check what the DC holds.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { guidFromBytes, parseLdif } from '@syncready/directory';
import { readDcConnection, type DcConnection } from './dc-connection';
import { readDcIdentity } from './dc-identity';
import { ensureFixture, type EnsuredFixture } from './ensure-fixture';
import { fixtureMarker, generateFixtureLdif, type FixtureOptions } from './fixture-ldif';
import { ldapSearch } from './ldap-cli';
import { runSambaDc } from './run-samba-dc';
import { type SambaDcError } from './samba-dc-error';

const FIXTURE: FixtureOptions = { ou: 'SambaDc-ITest', users: 20, groups: 20, contacts: 20, computers: 20, seed: 7 };
const SCHEMA_DN = 'CN=Schema,CN=Configuration,DC=contoso,DC=local';
const EXCHANGE_ATTRIBUTES = ['mailNickname', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchHideFromAddressLists', 'homeMDB'];

let dc: DcConnection;
let fixture: EnsuredFixture;

beforeAll(async () => {
  await runSambaDc(['ensure']);
  dc = readDcConnection();
  fixture = await ensureFixture(FIXTURE);
}, 600_000);

const count = async (base: string, filter: string): Promise<number> => (await ldapSearch(dc, { base, filter, attributes: ['1.1'] })).length;

describe('samba-dc ensure', () => {
  it('leaves a running DC that status reports', async () => {
    await expect(runSambaDc(['status'])).resolves.toMatch(/^running: pid \d+, ldap:\/\/127\.0\.0\.1:389/);
  });

  it('extends the schema with the Exchange attributes, as Exchange does', async () => {
    const [nickname] = await ldapSearch(dc, { base: SCHEMA_DN, scope: 'one', filter: '(lDAPDisplayName=mailNickname)', attributes: ['attributeID', 'attributeSyntax', 'oMSyntax', 'isSingleValued', 'rangeUpper', 'cn', 'schemaIDGUID'] });
    expect(nickname?.text('attributeID')).toBe('1.2.840.113556.1.2.447');
    expect([nickname?.text('attributeSyntax'), nickname?.text('oMSyntax'), nickname?.text('isSingleValued'), nickname?.text('rangeUpper')]).toEqual(['2.5.5.12', '64', 'TRUE', '64']);
    expect(nickname?.text('cn')).toBe('ms-Exch-Mail-Nickname');
    expect(guidFromBytes(nickname?.bytes('schemaIDGUID') ?? Buffer.alloc(0))).toBe('bf9679b3-0de6-11d0-a285-00aa003049e2');
    const [recipient] = await ldapSearch(dc, { base: `CN=Mail-Recipient,${SCHEMA_DN}`, scope: 'base', attributes: ['mayContain'] });
    const may = new Set(recipient?.texts('mayContain').map((m) => m.toLowerCase()));
    for (const attribute of EXCHANGE_ATTRIBUTES) expect(may.has(attribute.toLowerCase())).toBe(true);
  });

  it('registers the extra UPN suffixes on the forest', async () => {
    const [partitions] = await ldapSearch(dc, { base: 'CN=Partitions,CN=Configuration,DC=contoso,DC=local', scope: 'base', attributes: ['uPNSuffixes'] });
    expect(partitions?.texts('uPNSuffixes').sort()).toEqual(['contoso.com', 'fabrikam.example']);
  });

  it('reports the invocationId of its NTDS Settings object, as readDcIdentity reads it over LDAP', async () => {
    const identity = await readDcIdentity(dc);
    expect(identity.dsServiceName).toMatch(/^CN=NTDS Settings,CN=DC1,CN=Servers,/);
    expect(identity.highestCommittedUsn).toBeGreaterThan(0);
    expect((await runSambaDc(['invocation-id'])).trim()).toBe(identity.invocationId);
    expect(identity.invocationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('serves LDAPS with a certificate that verifies against caFile for 127.0.0.1', async () => {
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: 636, ca: readFileSync(dc.caFile) }, () => {
        resolve(socket.authorized);
        socket.end();
      });
      socket.once('error', reject);
    });
    expect(authorized).toBe(true);
  });
});

describe('ensureFixture', () => {
  const base = (): string => fixture.ouDn;

  it('seeds exactly the requested objects, once', async () => {
    expect(fixture.counts.total).toBe(85);
    expect(await count(base(), '(&(objectCategory=person)(objectClass=user))')).toBe(20);
    expect(await count(base(), '(objectClass=contact)')).toBe(20);
    expect(await count(base(), '(objectClass=group)')).toBe(20);
    expect(await count(base(), '(objectClass=computer)')).toBe(20);
    await expect(ensureFixture(FIXTURE)).resolves.toMatchObject({ created: false });
  });

  it('stores the Exchange attributes on users, contacts and groups', async () => {
    const [mailbox] = await ldapSearch(dc, { base: base(), filter: '(&(objectClass=user)(msExchRecipientTypeDetails=1))', attributes: EXCHANGE_ATTRIBUTES });
    expect(mailbox?.text('mailNickname')).toBeTruthy();
    const homeMdb = mailbox?.text('homeMDB') ?? '';
    expect(await ldapSearch(dc, { base: homeMdb, scope: 'base', attributes: ['1.1'] })).toHaveLength(1);
    const contacts = await ldapSearch(dc, { base: base(), filter: '(objectClass=contact)', attributes: ['mail', 'targetAddress', 'msExchRecipientTypeDetails'] });
    for (const contact of contacts) {
      expect(contact.text('targetAddress')).toBe(`SMTP:${contact.text('mail')}`);
      expect(contact.text('msExchRecipientTypeDetails')).toBe('64');
    }
    expect(await count(base(), '(&(objectClass=group)(mailNickname=*)(proxyAddresses=SMTP:*))')).toBeGreaterThan(0);
    expect(await count(base(), '(&(objectClass=group)(groupType=-2147483646)(!(mail=*)))')).toBeGreaterThan(0);
  });

  it('keeps non-ASCII names intact', async () => {
    const [zoe] = await ldapSearch(dc, { base: base(), filter: '(displayName=Zoë Ångström)', attributes: ['displayName', 'sn'] });
    expect(zoe?.dn).toBe(`CN=Zoë Ångström,OU=Users,${base()}`);
    expect(zoe?.text('sn')).toBe('Ångström');
    expect(await count(`OU=Users,${base()}`, '(cn=王伟)')).toBe(1);
  });

  it('stores binary values byte for byte: userCertificate and mS-DS-ConsistencyGuid', async () => {
    const generated = new Map(parseLdif(generateFixtureLdif(FIXTURE).ldif).map((r) => [r.dn.toLowerCase(), r]));
    const computers = await ldapSearch(dc, { base: base(), filter: '(&(objectClass=computer)(userCertificate=*))', attributes: ['userCertificate', 'dNSHostName'] });
    expect(computers.length).toBeGreaterThan(0);
    for (const computer of computers) {
      const stored = computer.bytes('userCertificate') ?? Buffer.alloc(0);
      const expected = generated.get(computer.dn.toLowerCase())?.attributes.get('userCertificate')?.[0];
      expect(stored.equals(Buffer.from(expected as Uint8Array))).toBe(true);
      expect(new X509Certificate(stored).subject).toBe(`CN=${computer.text('dNSHostName')}`);
    }
    const users = await ldapSearch(dc, { base: base(), filter: '(mS-DS-ConsistencyGuid=*)', attributes: ['mS-DS-ConsistencyGuid'] });
    for (const user of users) expect(user.bytes('mS-DS-ConsistencyGuid')).toHaveLength(16);
  });

  it('rebuilds a fixture whose seeding did not finish', async () => {
    const small: FixtureOptions = { ou: 'SambaDc-ITest-Partial', users: 3, groups: 2, contacts: 2, computers: 2 };
    await ensureFixture(small);
    const dir = mkdtempSync(join(tmpdir(), 'samba-dc-itest-'));
    try {
      const file = join(dir, 'undo-marker.ldif');
      writeFileSync(file, `dn: OU=${small.ou},${dc.baseDn}\nchangetype: modify\nreplace: description\ndescription: syncready-fixture/1 incomplete\n-\n`);
      await runSambaDc(['seed', file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(ensureFixture(small)).resolves.toMatchObject({ created: true });
    const [ou] = await ldapSearch(dc, { base: `OU=${small.ou},${dc.baseDn}`, scope: 'base', attributes: ['description'] });
    expect(ou?.text('description')).toBe(fixtureMarker(small));
    expect(await count(`OU=${small.ou},${dc.baseDn}`, '(&(objectCategory=person)(objectClass=user))')).toBe(3);
  });
});

describe('runSambaDc', () => {
  it('rejects with the exit code and stderr of a failed command', async () => {
    const error = (await runSambaDc(['no-such-command']).catch((e: unknown) => e)) as SambaDcError;
    expect(error.code).toBe('SAMBA_DC.COMMAND_FAILED');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("unknown command 'no-such-command'");
  });

  it('prints the connection as shell exports', async () => {
    const env = await runSambaDc(['env']);
    expect(env).toContain(`export SYNCREADY_DC_LDAP_URL='${dc.ldapUrl}'`);
    expect(env).toContain(`export SYNCREADY_DC_CA_FILE='${dc.caFile}'`);
  });
});
