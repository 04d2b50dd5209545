/**
 * The first end-to-end slice, with every part real: the Samba AD DC, the built
 * `syncready-agent` and `syncready-server` binaries, a SQLite store file, and OpenLDAP's
 * ldapsearch as the independent reference for what the directory holds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { fetchAllObjects, getJson } from './api-client';
import { byGuid, ldapsearchObjects, ldbsearchGuids } from './ldapsearch';
import { runAgent, startServer, tempDir, writeAgentConfig, type ServerProcess } from './processes';

const SITE = 'hq';
const SITE_KEY = 'e2e-site-key-0123456789abcdef';
const FIXTURE = { ou: 'E2E-Slice', users: 600, groups: 200, contacts: 150, computers: 100 };

let dc: DcConnection;
let baseDn: string;
let server: ServerProcess;
let dir: string;

function agentConfig(overrides: { ldap?: object; server?: object } = {}): object {
  return {
    server: { url: server.wsUrl, siteKey: SITE_KEY, allowInsecure: true, ...overrides.server },
    ldap: {
      url: dc.ldapsUrl,
      bindDn: dc.bindDn,
      passwordFile: join(dir, 'ldap-password'),
      tls: { caFile: dc.caFile },
      baseDn,
      ...overrides.ldap,
    },
  };
}

beforeAll(async () => {
  dc = readDcConnection();
  baseDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  await ensureFixture(FIXTURE);
  dir = tempDir('slice');
  writeFileSync(join(dir, 'ldap-password'), `${dc.password}\n`, { mode: 0o600 });
  server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite'), siteKeys: { [SITE]: SITE_KEY } });
});

afterAll(async () => {
  await server?.stop();
});

async function siteId(): Promise<string> {
  const { body } = await getJson<{ items: { id: string; name: string }[] }>(`${server.url}/api/v1/sites`);
  const site = body.items.find((s) => s.name === SITE);
  if (!site) throw new Error(`site ${SITE} not found in ${JSON.stringify(body)}`);
  return site.id;
}

describe('agent run --once → control plane', () => {
  let stored: DirectoryObject[];
  let reference: DirectoryObject[];

  beforeAll(async () => {
    const run = await runAgent(['run', '--once', '--config', writeAgentConfig(dir, agentConfig())]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).not.toContain(dc.password);
    stored = byGuid(await fetchAllObjects(server.url, await siteId()));
    reference = byGuid(await ldapsearchObjects({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn }));
  });

  it('stores exactly the objects ldapsearch sees, with exactly their attribute values', () => {
    expect(reference.length).toBeGreaterThanOrEqual(FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers);
    expect(stored.length).toBe(reference.length);
    expect(stored).toEqual(reference);
  });

  it('decodes objectGUIDs as Samba itself prints them', async () => {
    const samba = await ldbsearchGuids({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn });
    expect(samba.size).toBe(stored.length);
    for (const object of stored) expect(samba.get(object.distinguishedName.toLowerCase())).toBe(object.objectGuid);
  });

  it('keeps every kind, multi-valued proxyAddresses and non-ASCII values', () => {
    const counts = Object.fromEntries(['user', 'group', 'contact', 'computer'].map((k) => [k, stored.filter((o) => o.kind === k).length]));
    expect(counts).toEqual({ user: FIXTURE.users, group: FIXTURE.groups, contact: FIXTURE.contacts, computer: FIXTURE.computers });
    expect(stored.some((o) => (o.attributes['proxyAddresses']?.length ?? 0) > 2)).toBe(true);
    expect(stored.some((o) => /[^\u0020-\u007e]/.test(o.attributes['displayName']?.[0] ?? ''))).toBe(true);
    expect(stored.some((o) => o.kind === 'computer' && /^[0-9a-f]{40}$/.test(o.attributes['userCertificate']?.[0] ?? ''))).toBe(true);
    expect(stored.some((o) => o.attributes['mailNickname'] !== undefined && o.attributes['targetAddress'] !== undefined)).toBe(true);
  });

  it('summarizes the site: counts per class, forest facts, last snapshot time', async () => {
    const { status, body } = await getJson<{
      counts: Record<string, number>;
      total: number;
      lastSnapshotAt: string;
      forest: { upnSuffixes: string[]; schemaObjectVersion: number; defaultNamingContext: string; invocationId: string };
    }>(`${server.url}/api/v1/sites/${await siteId()}/summary`);
    expect(status).toBe(200);
    expect(body.total).toBe(stored.length);
    expect(body.counts).toEqual({ user: FIXTURE.users, group: FIXTURE.groups, contact: FIXTURE.contacts, computer: FIXTURE.computers });
    expect(body.forest.defaultNamingContext.toLowerCase()).toBe(dc.baseDn.toLowerCase());
    expect(body.forest.schemaObjectVersion).toBeGreaterThanOrEqual(47);
    expect(body.forest.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.lastSnapshotAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('pages by class without gaps or repeats', async () => {
    const computers = await fetchAllObjects(server.url, await siteId(), 'computer');
    expect(byGuid(computers)).toEqual(stored.filter((o) => o.kind === 'computer'));
  });
});
