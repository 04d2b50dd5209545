/**
 * "Sync now" and "resync" from the control plane: the real agent in `run` mode keeps its
 * session open between cycles (an interval far longer than the test), and an operator's
 * POST /api/v1/sites/:siteId/sync starts a delta or a full snapshot at once over that session.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, ldapDeleteTree, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { apiRequest, fetchAllObjects, getJson, siteIdByName } from './api-client';
import { enrollNewAgent } from './agent-enrollment';
import { ldapModify } from './ldap-changes';
import { byGuid, ldapsearchObjects } from './ldapsearch';
import { startAgent, startServer, tempDir, writeAgentConfig, type AgentProcess, type ServerProcess } from './processes';
import { waitUntil } from './wait-until';

const SITE = 'sync-request';
const FIXTURE = { ou: 'E2E-SyncRequest', users: 12, groups: 2, contacts: 2, computers: 2 };
/** Two hours: every cycle after the first one in this test is one the control plane asked for. */
const INTERVAL_MINUTES = '120';

let dc: DcConnection;
let ouDn: string;
let server: ServerProcess;
let agent: AgentProcess | undefined;
let siteId = '';

const waitFor = (what: string, done: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> =>
  waitUntil(what, done, { timeoutMs, intervalMs: 200, context: () => `agent stdout:\n${agent?.stdout()}\nagent stderr:\n${agent?.stderr()}` });

const committedLines = (): string[] => (agent?.stdout() ?? '').split('\n').filter((l) => / committed (as|on) generation /.test(l));
const reference = async (): Promise<DirectoryObject[]> => byGuid(await ldapsearchObjects({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn: ouDn }));
const stored = async (): Promise<DirectoryObject[]> => byGuid(await fetchAllObjects(server.url, server.credential ?? '', siteId));
const requestSync = (body: unknown) => apiRequest<Record<string, unknown>>('POST', `${server.url}/api/v1/sites/${siteId}/sync`, server.credential, body);

beforeAll(async () => {
  dc = readDcConnection();
  ouDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  await ldapDeleteTree(dc, ouDn);
  await ensureFixture(FIXTURE);
  const dir = tempDir('sync-request');
  writeFileSync(join(dir, 'ldap-password'), `${dc.password}\n`, { mode: 0o600 });
  server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite') });
  const { stateDir } = await enrollNewAgent(server, { org: 'e2e-sync-request', site: SITE });
  const config = writeAgentConfig(dir, {
    server: { allowInsecure: true },
    stateDir,
    ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'ldap-password'), tls: { caFile: dc.caFile }, baseDn: ouDn },
  });
  agent = startAgent(['run', '--config', config, '--interval-minutes', INTERVAL_MINUTES]);
  await waitFor('the first full snapshot', () => committedLines().length === 1);
  siteId = await siteIdByName(server.url, server.credential, SITE);
});

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  if (dc) await ldapDeleteTree(dc, ouDn);
});

describe('POST /sites/:siteId/sync with a live agent', () => {
  it('runs a delta at once on {"mode": "delta"}, carrying only the change, on the session the agent kept open', async () => {
    const [user] = (await reference()).filter((o) => o.kind === 'user');
    if (!user) throw new Error('the fixture has no user');
    await ldapModify(dc, [`dn: ${user.distinguishedName}`, 'changetype: modify', 'replace: displayName', `displayName: Synced Now ${Date.now()}`, '-', ''].join('\n'));

    const answer = await requestSync({ mode: 'delta' });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ siteId, mode: 'delta', agents: [expect.objectContaining({ agentId: expect.any(String) })] });
    await waitFor('the requested delta', () => committedLines().length === 2);
    // Deletions may hold tombstones of other tests' objects (read domain-wide); upserts are exact.
    expect(committedLines()[1]).toMatch(/^delta \S+ committed on generation \d+ of site \S+: 1 upserts, \d+ deletions/);
    expect(agent?.stderr()).toContain('the control plane asked for a sync now: sync now requested by credential');
    expect(await stored()).toEqual(await reference());
    // One hello for both cycles: the session stayed open in between.
    expect(server.output().match(/"event":"agent.hello"/g)).toHaveLength(1);
  });

  it('runs a full snapshot at once on {"mode": "full"} (resync), and says why', async () => {
    const answer = await requestSync({ mode: 'full' });
    expect(answer.status).toBe(202);
    await waitFor('the requested full snapshot', () => committedLines().length === 3);
    expect(committedLines()[2]).toMatch(/^snapshot \S+ committed as generation \d+ of site \S+: \d+ objects/);
    expect(agent?.stderr()).toMatch(/sending a full snapshot: the control plane asked for a resync \(resync requested by credential \S+\)/);
    expect(await stored()).toEqual(await reference());
  });

  it('answers 409 once the agent is gone, and the refused request is in the audit log', async () => {
    await agent?.stop();
    // The gateway forgets a session when its socket closes, which may land just after the stop.
    let status = 0;
    await waitFor('a 409', async () => {
      status = (await requestSync({ mode: 'full' })).status;
      return status === 409;
    });
    expect(status).toBe(409);
    const audit = await getJson<{ items: { event: string; outcome: string; detail: Record<string, unknown> }[] }>(`${server.url}/api/v1/audit?limit=5`, server.credential);
    expect(audit.body.items.find((e) => e.event === 'site.sync_requested' && e.outcome === 'failure')).toMatchObject({ detail: { siteId, mode: 'full', agents: [] } });
  });
});
