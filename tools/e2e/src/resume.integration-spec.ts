/**
 * The stream survives what breaks it: the socket cut by a proxy mid-snapshot and mid-delta,
 * the agent killed mid-snapshot, the control plane killed mid-snapshot and restarted on the
 * same SQLite file. Each ends with the control plane's objects equal to an ldapsearch of the
 * Samba AD DC, and a cut snapshot is resumed without sending acknowledged frames again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, ldapDeleteTree, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { fetchAllObjects, getJson, siteIdByName } from './api-client';
import { enrollNewAgent } from './agent-enrollment';
import { CuttingProxy } from './cutting-proxy';
import { ldapModify } from './ldap-changes';
import { byGuid, ldapsearchObjects } from './ldapsearch';
import { startAgent, startServer, tempDir, writeAgentConfig, type AgentProcess, type ServerProcess } from './processes';
import { waitUntil } from './wait-until';

const SITE = 'resume';
const FIXTURE = { ou: 'E2E-Resume', users: 120, groups: 6, contacts: 6, computers: 6 };
/** Small frames, so a snapshot is dozens of frames and the faults land inside it. */
const BATCH_SIZE = 4;

let dc: DcConnection;
let ouDn: string;
let server: ServerProcess;
let credential: string;
let proxy: CuttingProxy;
let agent: AgentProcess | undefined;
let dir: string;
let config: string;

const waitFor = (what: string, done: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> =>
  waitUntil(what, done, {
    timeoutMs,
    context: () => `agent stdout:\n${agent?.stdout()}\nagent stderr:\n${agent?.stderr()}\nserver:\n${server.output().slice(-4000)}`,
  });

async function siteSummary(): Promise<{ id: string; generation: number | null; total: number }> {
  const id = await siteIdByName(server.url, credential, SITE);
  const summary = await getJson<{ generation: number | null; total: number }>(`${server.url}/api/v1/sites/${id}/summary`, credential);
  return { id, ...summary.body };
}

const reference = async (): Promise<DirectoryObject[]> => byGuid(await ldapsearchObjects({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn: ouDn }));
const stored = async (): Promise<DirectoryObject[]> => byGuid(await fetchAllObjects(server.url, credential, (await siteSummary()).id));

/** The control plane holds exactly what the DC holds, and the generation the agent last committed is the current one. */
async function expectEqualToDc(committedGeneration: number): Promise<void> {
  const expected = await reference();
  expect(await stored()).toEqual(expected);
  expect(new Set(expected.map((o) => o.objectGuid)).size).toBe(expected.length);
  expect((await siteSummary()).generation).toBe(committedGeneration);
}

/** Generations of the "snapshot … committed as generation N" lines, in order. */
function committedGenerations(out: string): number[] {
  return [...out.matchAll(/^snapshot \S+ committed as generation (\d+)/gm)].map((m) => Number(m[1]));
}

function serverEvents(event: string): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function port(url: string): number {
  return Number(new URL(url).port);
}

beforeAll(async () => {
  dc = readDcConnection();
  ouDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  await ldapDeleteTree(dc, ouDn);
  await ensureFixture(FIXTURE);
  dir = tempDir('resume');
  writeFileSync(join(dir, 'ldap-password'), `${dc.password}\n`, { mode: 0o600 });
  server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite') });
  credential = server.credential ?? '';
  proxy = await CuttingProxy.start(port(server.url));
  const { stateDir } = await enrollNewAgent(server, { org: 'e2e-resume', site: SITE });
  // Backoff from 400 ms: the agent gives up after 8 random waits, and they must outlast a
  // control-plane restart (1–2 s) with near certainty.
  config = writeAgentConfig(dir, {
    server: { url: proxy.url.replace(/^http/, 'ws'), allowInsecure: true, reconnectBaseMs: 400, reconnectAfterDropMs: 200 },
    stateDir,
    ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'ldap-password'), tls: { caFile: dc.caFile }, baseDn: ouDn },
    snapshot: { batchSize: BATCH_SIZE },
  });
});

afterAll(async () => {
  await agent?.stop();
  await proxy?.close();
  await server?.stop();
  if (dc) await ldapDeleteTree(dc, ouDn);
});

describe('resumable stream', () => {
  it('resumes a snapshot cut twice by the proxy from the last acknowledged frame, resending none of the acknowledged ones', async () => {
    proxy.plan({ afterBytes: 6_000, action: 'cut' }, { afterBytes: 9_000, action: 'cut' });
    agent = startAgent(['run', '--config', config, '--interval-minutes', '0.02']);
    await waitFor('the snapshot to commit', () => committedGenerations(agent?.stdout() ?? '').length === 1);
    expect(proxy.cuts).toBe(2);

    const resumes = [...(agent.stderr() ?? '').matchAll(/^resumed snapshot (\S+) after frame (\d+): (\d+) unacknowledged frames sent again/gm)];
    expect(resumes).toHaveLength(2);
    const frames = Number(/^snapshot \S+ committed[^\n]*, (\d+) frames/m.exec(agent.stdout())?.[1]);
    const resumedAfter = resumes.map((m) => Number(m[2]));
    // Each resume started past frames the control plane had stored, and only the rest went again.
    for (const m of resumes) {
      expect(Number(m[2])).toBeGreaterThan(0);
      expect(Number(m[3])).toBeLessThanOrEqual(frames - Number(m[2]));
    }
    // A frame the control plane had acknowledged and received again would arrive as a duplicate.
    expect(serverEvents('snapshot.duplicate_frame')).toEqual([]);
    // The control plane resumed at the same points: it logged what it held when the agent came back.
    expect(serverEvents('snapshot.resumed').map((e) => e['acknowledged'])).toEqual(resumedAfter);
    await expectEqualToDc(committedGenerations(agent.stdout())[0] as number);
  });

  it('recovers from a delta cut at several points: the next cycle sends it again and nothing is lost', async () => {
    const run = Date.now().toString(36);
    const users = (await reference()).filter((o) => o.kind === 'user').slice(0, 40);
    const deltasBefore = (agent?.stdout().match(/^delta \S+ committed/gm) ?? []).length;
    await ldapModify(dc, users.map((u) => `dn: ${u.distinguishedName}\nchangetype: modify\nreplace: description\ndescription: resumed ${run}\n-\n`).join('\n'));
    // The agent keeps its session open between cycles: cut it 3 kB into what it sends next (an
    // empty delta stays well under that, the changed users' delta does not), and the
    // reconnected session 8 kB in, in the delta sent again.
    expect(proxy.faultLive({ afterBytes: 3_000, action: 'cut' }, { afterBytes: 8_000, action: 'cut' })).toBe(true);
    const expected = await reference();
    await waitFor('the control plane to equal ldapsearch', async () => JSON.stringify(await stored()) === JSON.stringify(expected));
    expect(proxy.cuts).toBe(4);
    expect(agent?.stderr()).toMatch(/sync cycle failed/);
    expect((agent?.stdout().match(/^delta \S+ committed/gm) ?? []).length).toBeGreaterThan(deltasBefore);
    // Still on the snapshot's generation: the deltas changed it in place, no full resync.
    await expectEqualToDc(committedGenerations(agent?.stdout() ?? '')[0] as number);
    await agent?.stop();
    agent = undefined;
  });

  it('starts a new snapshot after the agent was killed mid-snapshot; the partial one never becomes current', async () => {
    const before = (await siteSummary()).generation;
    proxy.plan({ afterBytes: 8_000, action: 'stall' });
    const killed = startAgent(['run', '--once', '--config', config]);
    await proxy.whenStalled();
    await killed.kill();
    proxy.release();
    await waitFor('the partial snapshot to be parked', () => serverEvents('snapshot.parked').length >= 1);
    expect((await siteSummary()).generation).toBe(before);

    agent = startAgent(['run', '--once', '--config', config]);
    expect(await agent.exited()).toBe(0);
    const [generation] = committedGenerations(agent.stdout());
    expect(generation).toBeGreaterThan(before ?? 0);
    await expectEqualToDc(generation as number);
    agent = undefined;
  });

  it('restarts the snapshot when the control plane was killed mid-snapshot and came back on the same store', async () => {
    proxy.plan({ afterBytes: 8_000, action: 'stall' });
    agent = startAgent(['run', '--once', '--config', config]);
    await proxy.whenStalled();
    await server.kill();
    server = await startServer({ storeFile: server.storeFile });
    proxy.retarget(port(server.url));
    proxy.release();

    expect(await agent.exited()).toBe(0);
    // The restarted control plane had discarded the partial snapshot and said so.
    expect(agent.stderr()).toMatch(/^starting the snapshot over: the control plane discarded snapshot \S+ \(snapshotExpired\)/m);
    const [generation] = committedGenerations(agent.stdout());
    await expectEqualToDc(generation as number);
    agent = undefined;
  });
});
