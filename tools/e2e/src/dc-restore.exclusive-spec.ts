/**
 * The DC restored from a copy, as an admin restores a DC from a backup: its objects and USNs go
 * back to the copy's. The agent keeps no cursor of its own; the control plane's cursor
 * (invocationId + highest uSNChanged) must make the next cycle a full snapshot, so the objects
 * the restore lost leave the control plane and nothing the DC wrote after it is missed:
 * - a plain restore (same invocationId): the DC's highestCommittedUSN lies below the cursor;
 * - a restore with a new invocationId (what a supported restore does) after the DC's USNs
 *   passed the cursor again: only the invocationId tells the difference.
 *
 * Exclusive: `samba-dc save`/`restore` stop and replace the whole DC, so this file runs in the
 * second jest pass (tools/scripts/test.sh), alone, and puts the DC back as it found it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, ldapDeleteTree, readDcConnection, readDcIdentity, runSambaDc, type DcConnection } from '@syncready/samba-dc';
import { fetchAllObjects, siteIdByName } from './api-client';
import { enrollNewAgent } from './agent-enrollment';
import { ldapModify } from './ldap-changes';
import { byGuid, ldapsearchObjects } from './ldapsearch';
import { startAgent, startServer, tempDir, writeAgentConfig, type AgentProcess, type ServerProcess } from './processes';
import { waitUntil } from './wait-until';

const SITE = 'dc-restore';
const FIXTURE = { ou: 'E2E-Restore', users: 20, groups: 3, contacts: 3, computers: 3 };
/** About 1.2 s between cycles. */
const INTERVAL_MINUTES = '0.02';
/** The DC as this file found it, put back in afterAll. */
const FOUND = 'e2e-restore-found';
/** The copy the tests restore ("the backup"). */
const COPY = 'e2e-restore-copy';

let dc: DcConnection;
let ouDn: string;
let cacheDir: string;
let saved = false;
let server: ServerProcess;
let agent: AgentProcess | undefined;
let config: string;
/** Tells apart the users each run adds. */
const run = Date.now().toString(36);

const waitFor = (what: string, done: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> =>
  waitUntil(what, done, { timeoutMs, context: () => `agent stdout:\n${agent?.stdout()}\nagent stderr:\n${agent?.stderr()}` });

const siteId = (): Promise<string> => siteIdByName(server.url, server.credential, SITE);

const reference = async (): Promise<DirectoryObject[]> => byGuid(await ldapsearchObjects({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn: ouDn }));
const stored = async (): Promise<DirectoryObject[]> => byGuid(await fetchAllObjects(server.url, server.credential ?? '', await siteId()));
const sambaDc = (...args: string[]): Promise<string> => runSambaDc(args, { cacheDir });

/** Users added so far: numbers their sAMAccountNames, which the domain keeps unique. */
let added = 0;

/** Adds `count` users named `<label> <run> <i>` directly under the OU; resolves with their DNs. */
async function addUsers(label: string, count: number): Promise<string[]> {
  const dns = Array.from({ length: count }, (_, i) => `CN=${label} ${run} ${i},${ouDn}`);
  await ldapModify(dc, dns.map((dn) => `dn: ${dn}\nchangetype: add\nobjectClass: user\nsAMAccountName: r${run}${(added += 1)}\n`).join('\n'));
  return dns;
}

/** The upper uSNChanged of each "delta … committed" line the agent printed: the cursor it left. */
function deltaCursors(): number[] {
  return [...(agent?.stdout() ?? '').matchAll(/^delta \S+ committed on generation \d+ of site \S+: \d+ upserts, \d+ deletions \(uSNChanged \d+\.\.(\d+)\)/gm)].map((m) => Number(m[1]));
}

function startRunningAgent(): AgentProcess {
  agent = startAgent(['run', '--config', config, '--interval-minutes', INTERVAL_MINUTES]);
  return agent;
}

/** Lets the agent commit deltas until its cursor covers every change made so far; returns the cursor. */
async function cursorAfterDeltas(): Promise<number> {
  const { highestCommittedUsn } = await readDcIdentity(dc);
  await waitFor(`a delta up to uSNChanged ${highestCommittedUsn}`, () => deltaCursors().some((usn) => usn >= highestCommittedUsn));
  return Math.max(...deltaCursors());
}

/** The first cycle of a freshly started agent: what it committed and why it sent a snapshot. */
async function firstCycle(started: AgentProcess): Promise<{ line: string; why: string }> {
  await waitFor('the first cycle of the restarted agent', () => /^(snapshot|delta) \S+ committed/m.test(started.stdout()));
  const line = /^(snapshot|delta) \S+ committed[^\n]*/m.exec(started.stdout())?.[0] ?? '';
  const why = /^sending a full snapshot: [^\n]*/m.exec(started.stderr())?.[0] ?? '';
  return { line, why };
}

beforeAll(async () => {
  dc = readDcConnection();
  ouDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  cacheDir = tempDir('dc-restore-cache');
  await sambaDc('save', FOUND);
  saved = true;
  await ldapDeleteTree(dc, ouDn);
  await ensureFixture(FIXTURE);
  const dir = tempDir('dc-restore');
  writeFileSync(join(dir, 'ldap-password'), `${dc.password}\n`, { mode: 0o600 });
  server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite') });
  const { stateDir } = await enrollNewAgent(server, { org: 'e2e-dc-restore', site: SITE });
  // Reconnects from 400 ms: the DC stops for a moment while it is saved.
  config = writeAgentConfig(dir, {
    server: { allowInsecure: true, reconnectBaseMs: 400, reconnectAfterDropMs: 200 },
    stateDir,
    ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'ldap-password'), tls: { caFile: dc.caFile }, baseDn: ouDn },
  });
  startRunningAgent();
  await waitFor('the first full snapshot', () => /^snapshot \S+ committed/m.test(agent?.stdout() ?? ''));
  // The copy every test restores: the fixture, as the control plane holds it now.
  await sambaDc('save', COPY);
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  // Even after a failure: the other test files' DC is the one this file found.
  if (saved) await sambaDc('restore', FOUND);
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
}, 300_000);

describe('the DC restored from a copy', () => {
  it('a plain restore rolls the USNs back below the cursor: the next cycle is a full snapshot equal to ldapsearch', async () => {
    const { invocationId, highestCommittedUsn: copyUsn } = await readDcIdentity(dc);
    const lost = await addUsers('Lost Plain', 5);
    const cursor = await cursorAfterDeltas();
    expect(cursor).toBeGreaterThan(copyUsn);
    await waitFor('the added users to reach the control plane', async () => (await stored()).filter((o) => lost.includes(o.distinguishedName)).length === lost.length);
    await agent?.stop();

    await sambaDc('restore', COPY);
    const restored = await readDcIdentity(dc);
    expect(restored.invocationId).toBe(invocationId);
    expect(restored.highestCommittedUsn).toBeLessThan(cursor);

    const { line, why } = await firstCycle(startRunningAgent());
    expect(line).toMatch(/^snapshot /);
    expect(why).toBe(`sending a full snapshot: the DC's highestCommittedUSN ${restored.highestCommittedUsn} lies below the cursor ${cursor}`);
    const expected = await reference();
    expect(await stored()).toEqual(expected);
    expect(expected.filter((o) => lost.includes(o.distinguishedName))).toEqual([]);
  });

  it('a restore with a new invocationId is caught by the invocationId alone, after the USNs passed the cursor again', async () => {
    const before = await readDcIdentity(dc);
    const lost = await addUsers('Lost Restored', 5);
    const cursor = await cursorAfterDeltas();
    expect(cursor).toBeGreaterThan(before.highestCommittedUsn);
    await waitFor('the added users to reach the control plane', async () => (await stored()).filter((o) => lost.includes(o.distinguishedName)).length === lost.length);
    await agent?.stop();

    await sambaDc('restore', COPY, '--new-invocation-id');
    const restored = await readDcIdentity(dc);
    expect(restored.invocationId).not.toBe(before.invocationId);
    expect(restored.highestCommittedUsn).toBeLessThan(cursor);
    // Changes after the restore, until the DC's USNs lie above the cursor: they reuse USNs the
    // lost users had, so a delta from the cursor would miss them and keep the lost users.
    const fresh: string[] = [];
    for (let round = 0; (await readDcIdentity(dc)).highestCommittedUsn <= cursor; round++) {
      if (round >= 20) throw new Error(`the DC's highestCommittedUSN did not pass the cursor ${cursor}`);
      fresh.push(...(await addUsers(`New Restored ${round}`, 5)));
    }

    const { line, why } = await firstCycle(startRunningAgent());
    expect(line).toMatch(/^snapshot /);
    expect(why).toBe(
      `sending a full snapshot: the DC's invocationId is ${restored.invocationId}, the control plane's copy was read from ${before.invocationId} (another DC, or a restore)`,
    );
    const expected = await reference();
    expect(await stored()).toEqual(expected);
    expect(expected.filter((o) => lost.includes(o.distinguishedName))).toEqual([]);
    expect(expected.filter((o) => fresh.includes(o.distinguishedName))).toHaveLength(fresh.length);
  });
});
