/** LdapDirectoryReader against the real Samba AD DC from tools/samba-dc. */
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { AdReaderError } from './ad-reader-error';
import { LdapDirectoryReader, type LdapDirectoryReaderOptions } from './ldap-directory-reader';

const FIXTURE = { ou: 'AdReader', users: 15, groups: 5, contacts: 5, computers: 5 };
let dc: DcConnection;
let baseDn: string;

function options(overrides: Partial<LdapDirectoryReaderOptions> = {}): LdapDirectoryReaderOptions {
  return { url: dc.ldapsUrl, bindDn: dc.bindDn, password: dc.password, tls: { caFile: dc.caFile }, baseDn, ...overrides };
}

async function readAll(reader: LdapDirectoryReader): Promise<{ pages: number[]; objects: DirectoryObject[] }> {
  const pages: number[] = [];
  const objects: DirectoryObject[] = [];
  for await (const page of reader.readObjects()) {
    pages.push(page.length);
    objects.push(...page);
  }
  return { pages, objects };
}

async function errorOf(promise: Promise<unknown>): Promise<AdReaderError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AdReaderError);
    return err as AdReaderError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  dc = readDcConnection();
  baseDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  await ensureFixture(FIXTURE);
});

describe('LdapDirectoryReader', () => {
  it('reads forest facts from rootDSE, the NTDS settings, the schema and CN=Partitions', async () => {
    const reader = await LdapDirectoryReader.connect(options());
    try {
      const forest = await reader.readForest();
      expect(forest.defaultNamingContext).toBe(dc.baseDn);
      expect(forest.rootDomainNamingContext).toBe(dc.baseDn);
      expect(forest.upnSuffixes).toEqual(expect.arrayContaining(['contoso.com', 'fabrikam.example']));
      expect(forest.invocationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(forest.schemaObjectVersion).toBeGreaterThanOrEqual(47);
      expect(forest.forestFunctionality).toBeGreaterThanOrEqual(2);
      expect(forest.highestCommittedUsn).toBeGreaterThan(0);
      expect(forest.partitions.find((p) => p.nCName === dc.baseDn)?.netbiosName).toBe(dc.domain);
    } finally {
      await reader.close();
    }
  });

  it('reads every kind, paged, with decoded binary attributes', async () => {
    const reader = await LdapDirectoryReader.connect(options({ pageSize: 7 }));
    try {
      const { pages, objects } = await readAll(reader);
      const total = FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers;
      expect(objects).toHaveLength(total);
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(total / 7));
      expect(Math.max(...pages)).toBeLessThanOrEqual(7);
      expect(new Set(objects.map((o) => o.objectGuid)).size).toBe(total);
      const user = objects.find((o) => o.kind === 'user');
      expect(user?.attributes['objectSid']?.[0]).toMatch(/^S-1-5-21-\d+-\d+-\d+-\d+$/);
      expect(user?.usnChanged).toBeGreaterThan(0);
      const computer = objects.find((o) => o.kind === 'computer' && o.attributes['userCertificate']);
      expect(computer?.attributes['userCertificate']?.[0]).toMatch(/^[0-9a-f]{40}$/);
      expect(objects.filter((o) => o.kind === 'contact')).toHaveLength(FIXTURE.contacts);
    } finally {
      await reader.close();
    }
  });

  it('reads only the configured kinds, and applies an extra filter', async () => {
    const contacts = await LdapDirectoryReader.connect(options({ kinds: ['contact'] }));
    const { objects } = await readAll(contacts);
    await contacts.close();
    expect(objects.map((o) => o.kind)).toEqual(Array(FIXTURE.contacts).fill('contact'));

    const first = objects[0]?.attributes['cn']?.[0] ?? '';
    const filtered = await LdapDirectoryReader.connect(options({ kinds: ['contact'], filter: `(!(cn=${first.replace(/[()*\\]/g, (c) => `\\${c.charCodeAt(0).toString(16)}`)}))` }));
    const rest = await readAll(filtered);
    await filtered.close();
    expect(rest.objects).toHaveLength(FIXTURE.contacts - 1);
  });

  it('works over StartTLS on 389 as well as LDAPS', async () => {
    const reader = await LdapDirectoryReader.connect(options({ url: dc.ldapUrl, startTls: true }));
    const { objects } = await readAll(reader);
    await reader.close();
    expect(objects.length).toBe(FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers);
  });

  it('defaults the base to the domain', async () => {
    const reader = await LdapDirectoryReader.connect(options({ baseDn: undefined }));
    await reader.close();
    expect(reader.baseDn).toBe(dc.baseDn);
  });

  it.each<[string, () => Partial<LdapDirectoryReaderOptions>, string]>([
    ['a wrong password', () => ({ password: 'wrong-password-1' }), 'LDAP.BIND_FAILED'],
    ['an untrusted certificate', () => ({ tls: {} }), 'LDAP.TLS_FAILED'],
    ['a DC that is not there', () => ({ url: 'ldaps://127.0.0.1:1' }), 'LDAP.UNREACHABLE'],
    ['plain LDAP without permission', () => ({ url: dc.ldapUrl, startTls: false }), 'LDAP.CONFIG'],
    ['an invalid filter', () => ({ filter: '(cn=unbalanced' }), 'LDAP.INVALID_FILTER'],
    ['a URL that is not LDAP', () => ({ url: 'https://dc' }), 'LDAP.CONFIG'],
  ])('refuses %s with a stable code', async (_what, overrides, code) => {
    const error = await errorOf(LdapDirectoryReader.connect(options(overrides())));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(dc.password);
  });

  it('names the DC and the bind account when the bind fails', async () => {
    const error = await errorOf(LdapDirectoryReader.connect(options({ password: 'wrong-password-2' })));
    expect(error.message).toContain(dc.ldapsUrl);
    expect(error.message).toContain(dc.bindDn);
    expect(error.message).not.toContain('wrong-password-2');
  });

  it('allows plain LDAP when explicitly allowed', async () => {
    const reader = await LdapDirectoryReader.connect(options({ url: dc.ldapUrl, startTls: false, allowPlainLdap: true, kinds: ['group'] }));
    const { objects } = await readAll(reader);
    await reader.close();
    expect(objects).toHaveLength(FIXTURE.groups);
  });
});
