/**
 * Two sites whose forests sync to the same tenant: each is clean on its own, but a contact in
 * one holds the address a user in the other signs in with. Entra ID requires uniqueness
 * across the tenant, so the tenant view reports it, with both sites named.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finding } from '@syncready/checks';
import { ensureFixture, ldapDeleteTree, ldapSearch, readDcConnection, runSambaDc, type DcConnection } from '@syncready/samba-dc';
import { getJson } from './api-client';
import { enrollNewAgent } from './agent-enrollment';
import { runAgent, startServer, tempDir, writeAgentConfig, type ServerProcess } from './processes';

const TENANT = 'contoso.onmicrosoft.com';
const ORG = 'e2e-tenant';
const NORTH = { name: 'north', ou: 'E2E-Tenant-North' };
const SOUTH = { name: 'south', ou: 'E2E-Tenant-South' };

let dc: DcConnection;
let server: ServerProcess;
let dir: string;
let sharedAddress: string;

async function snapshot(site: typeof NORTH): Promise<void> {
  // The token gives the site its tenant at enrollment.
  const { stateDir } = await enrollNewAgent(server, { org: ORG, site: site.name, tenant: TENANT });
  const config = writeAgentConfig(
    dir,
    {
      server: { allowInsecure: true },
      stateDir,
      ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'pw'), tls: { caFile: dc.caFile }, baseDn: `OU=${site.ou},${dc.baseDn}` },
    },
    `${site.name}.json`,
  );
  const run = await runAgent(['run', '--once', '--config', config]);
  expect(run).toMatchObject({ code: 0 });
}

async function siteIds(): Promise<Record<string, string>> {
  const { body } = await getJson<{ items: { id: string; name: string; tenant: string | null }[] }>(`${server.url}/api/v1/sites`, server.credential);
  return Object.fromEntries(body.items.map((s) => [s.name, s.id]));
}

beforeAll(async () => {
  dc = readDcConnection();
  dir = tempDir('tenant');
  writeFileSync(join(dir, 'pw'), dc.password, { mode: 0o600 });
  await ensureFixture({ ou: NORTH.ou, users: 20, groups: 4, contacts: 4, computers: 2 });
  // The fixture plants duplicates inside the forest too, and the order ldapsearch returns entries
  // in is not fixed: take a user whose UPN no other object of the north OU holds, so the only
  // duplicate of that address is the one this spec makes across forests.
  const entries = await ldapSearch(dc, { base: `OU=${NORTH.ou},${dc.baseDn}`, filter: '(|(userPrincipalName=*)(mail=*)(proxyAddresses=*))', attributes: ['objectClass', 'userPrincipalName', 'mail', 'proxyAddresses'] });
  const holders = new Map<string, number>();
  for (const entry of entries) {
    const addresses = new Set([...entry.texts('userPrincipalName'), ...entry.texts('mail'), ...entry.texts('proxyAddresses').map((p) => p.replace(/^smtp:/i, ''))].map((a) => a.toLowerCase()));
    for (const address of addresses) holders.set(address, (holders.get(address) ?? 0) + 1);
  }
  const user = entries.find((e) => e.texts('objectClass').includes('user') && /@contoso\.com$/.test(e.text('userPrincipalName') ?? '') && holders.get((e.text('userPrincipalName') ?? '').toLowerCase()) === 1);
  sharedAddress = user?.text('userPrincipalName') ?? '';
  expect(sharedAddress).toMatch(/@contoso\.com$/);

  // The other forest: one OU holding a contact whose mail is that user's UPN.
  const southDn = `OU=${SOUTH.ou},${dc.baseDn}`;
  await ldapDeleteTree(dc, southDn);
  const ldif = join(dir, 'south.ldif');
  writeFileSync(
    ldif,
    [
      `dn: ${southDn}\nobjectClass: organizationalUnit\nou: ${SOUTH.ou}\n`,
      `dn: CN=Shared Contact,${southDn}\nobjectClass: contact\ncn: Shared Contact\ndisplayName: Shared Contact\nmail: ${sharedAddress}\nproxyAddresses: SMTP:${sharedAddress}\nmailNickname: sharedcontact\ntargetAddress: SMTP:${sharedAddress}\n`,
    ].join('\n'),
  );
  await runSambaDc(['seed', ldif]);

  server = await startServer({ storeFile: join(dir, 'syncready.sqlite') });
  await snapshot(NORTH);
  await snapshot(SOUTH);
});

afterAll(async () => {
  await server?.stop();
  if (dc) await ldapDeleteTree(dc, `OU=${SOUTH.ou},${dc.baseDn}`);
});

describe('tenant-wide duplicates', () => {
  it('reports an address held in two forests of one tenant, naming both sites', async () => {
    const ids = await siteIds();
    const { status, body } = await getJson<{ sites: string[]; items: (Finding & { siteId: string; duplicateSiteIds: string[] })[] }>(
      `${server.url}/api/v1/tenants/${TENANT}/findings`,
      server.credential,
    );
    expect(status).toBe(200);
    expect([...body.sites].sort()).toEqual([ids['north'], ids['south']].sort());
    const shared = body.items.filter((f) => f.value.toLowerCase().endsWith(sharedAddress.toLowerCase()));
    expect(shared.length).toBeGreaterThan(0);
    for (const finding of shared) {
      expect(finding.ruleId).toBe('entra.address.duplicate');
      expect(new Set([finding.siteId, ...finding.duplicateSiteIds])).toEqual(new Set([ids['north'], ids['south']]));
    }
    // Only duplicates that cross sites are in the tenant view.
    for (const finding of body.items) expect(finding.duplicateSiteIds.some((s) => s !== finding.siteId)).toBe(true);
  });

  it('does not report the cross-forest duplicate in either site on its own', async () => {
    const ids = await siteIds();
    for (const id of [ids['north'], ids['south']]) {
      let page: { status: string; items: Finding[] } | undefined;
      for (let i = 0; i < 100 && page?.status !== 'complete'; i++) {
        page = (await getJson<{ status: string; items: Finding[] }>(`${server.url}/api/v1/sites/${id}/findings?rule=entra.address.duplicate&limit=1000`, server.credential)).body;
        if (page.status !== 'complete') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(page?.status).toBe('complete');
      expect(page?.items.filter((f) => f.value.toLowerCase().endsWith(sharedAddress.toLowerCase()))).toEqual([]);
    }
  });

  it('answers 404 for a tenant no site syncs to', async () => {
    expect((await getJson(`${server.url}/api/v1/tenants/nobody.onmicrosoft.com/findings`, server.credential)).status).toBe(404);
  });
});
