/**
 * The first end-to-end slice, with every part real: the Samba AD DC, the built
 * `syncready-agent` and `syncready-server` binaries, a SQLite store file, and OpenLDAP's
 * ldapsearch as the independent reference for what the directory holds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finding } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { fetchAllObjects, getJson, siteIdByName } from './api-client';
import { byGuid, ldapsearchObjects, ldbsearchGuids } from './ldapsearch';
import { enrollNewAgent } from './agent-enrollment';
import { runAgent, startServer, tempDir, writeAgentConfig, type ServerProcess } from './processes';

const SITE = 'hq';
const ORG = 'e2e-slice';
const FIXTURE = { ou: 'E2E-Slice', users: 600, groups: 200, contacts: 150, computers: 100 };

let dc: DcConnection;
let baseDn: string;
let server: ServerProcess;
let dir: string;
let stateDir: string;

function agentConfig(overrides: { ldap?: object; server?: object } = {}): object {
  return {
    server: { allowInsecure: true, ...overrides.server },
    stateDir,
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
  server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite') });
  ({ stateDir } = await enrollNewAgent(server, { org: ORG, site: SITE }));
});

afterAll(async () => {
  await server?.stop();
});

const siteId = (): Promise<string> => siteIdByName(server.url, server.credential, SITE);

describe('agent run --once → control plane', () => {
  let stored: DirectoryObject[];
  let reference: DirectoryObject[];

  beforeAll(async () => {
    const run = await runAgent(['run', '--once', '--config', writeAgentConfig(dir, agentConfig())]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).not.toContain(dc.password);
    stored = byGuid(await fetchAllObjects(server.url, server.credential ?? '', await siteId()));
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
    }>(`${server.url}/api/v1/sites/${await siteId()}/summary`, server.credential);
    expect(status).toBe(200);
    expect(body.total).toBe(stored.length);
    expect(body.counts).toEqual({ user: FIXTURE.users, group: FIXTURE.groups, contact: FIXTURE.contacts, computer: FIXTURE.computers });
    expect(body.forest.defaultNamingContext.toLowerCase()).toBe(dc.baseDn.toLowerCase());
    expect(body.forest.schemaObjectVersion).toBeGreaterThanOrEqual(47);
    expect(body.forest.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.lastSnapshotAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('runs the readiness checks on the committed generation and serves the findings', async () => {
    const id = await siteId();
    type Page = { status: string; generation: number; items: Finding[]; nextCursor: string | null; run: { findingCount: number; summary: { objectsChecked: number } } };
    let first: Page | undefined;
    for (let i = 0; i < 100 && first?.status !== 'complete'; i++) {
      first = (await getJson<Page>(`${server.url}/api/v1/sites/${id}/findings?limit=1000`, server.credential)).body;
      if (first.status !== 'complete') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(first?.status).toBe('complete');
    const all: Finding[] = [...(first?.items ?? [])];
    let cursor = first?.nextCursor ?? null;
    while (cursor) {
      const page = (await getJson<Page>(`${server.url}/api/v1/sites/${id}/findings?limit=1000&cursor=${cursor}`, server.credential)).body;
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(first?.run.findingCount ?? -1);
    // The fixture's deliberate defects: UPNs on the non-routable contoso.local, and a UPN equal
    // to another object's smtp: proxy address, which only a tenant-wide index sees.
    expect(all.some((f) => f.ruleId === 'entra.upn.non-routable-suffix' && /@contoso\.local$/i.test(f.value))).toBe(true);
    expect(all.some((f) => f.ruleId === 'entra.address.duplicate' && f.duplicates?.some((d) => d.attribute !== f.attribute))).toBe(true);
    const guids = new Set(stored.map((o) => o.objectGuid));
    for (const f of all.filter((x) => x.objectClass !== 'forest')) expect(guids.has(f.objectGuid)).toBe(true);

    const warnings = (await getJson<Page>(`${server.url}/api/v1/sites/${id}/findings?severity=warning&limit=1000`, server.credential)).body.items;
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((f) => f.severity === 'warning')).toBe(true);
    for (const query of ['severity=fatal', 'cursor=not-a-cursor', 'limit=0', 'format=xml']) {
      const bad = await getJson<{ error: { code: string } }>(`${server.url}/api/v1/sites/${id}/findings?${query}`, server.credential);
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'API.INVALID_QUERY' } } });
    }
  });

  it('serves the findings as IdFix CSV', async () => {
    const res = await fetch(`${server.url}/api/v1/sites/${await siteId()}/findings?format=csv`, { headers: { authorization: `Bearer ${server.credential}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('DISTINGUISHEDNAME,COMMONNAME,OBJECTCLASS,ATTRIBUTE,ERROR,VALUE,UPDATE,PROPOSEDACTION,ACTION');
    expect(lines.length).toBeGreaterThan(2);
  });

  it('pages by class without gaps or repeats', async () => {
    const computers = await fetchAllObjects(server.url, server.credential ?? '', await siteId(), 'computer');
    expect(byGuid(computers)).toEqual(stored.filter((o) => o.kind === 'computer'));
  });
});
