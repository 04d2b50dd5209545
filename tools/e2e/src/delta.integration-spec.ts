/**
 * Delta sync end to end: the real agent in `run` mode against the Samba AD DC, the real
 * control plane. After the first full snapshot, a user is added, one modified, one renamed
 * and moved to another OU, one deleted; the next cycles must carry exactly those changes as a
 * delta and leave the control plane equal to an ldapsearch of the DC.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finding } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, ldapDeleteTree, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { apiRequest, fetchAllObjects, getJson, siteIdByName } from './api-client';
import { enrollNewAgent } from './agent-enrollment';
import { ldapDelete, ldapModify, ldapModRdn } from './ldap-changes';
import { byGuid, ldapsearchObjects } from './ldapsearch';
import { startAgent, startServer, tempDir, writeAgentConfig, type AgentProcess, type ServerProcess } from './processes';
import { waitUntil } from './wait-until';

const SITE = 'delta';
const FIXTURE = { ou: 'E2E-Delta', users: 30, groups: 4, contacts: 4, computers: 4 };
/** About 1.2 s between cycles. */
const INTERVAL_MINUTES = '0.02';

let dc: DcConnection;
let ouDn: string;
let server: ServerProcess;
let agent: AgentProcess | undefined;
let dir: string;
/** When the test started changing the DC (ISO-8601). */
let changedAt = '';

interface DeltaLine {
  upserts: number;
  deletions: number;
}

/** The agent's "delta … committed" lines so far. */
function deltaLines(): DeltaLine[] {
  return [...(agent?.stdout() ?? '').matchAll(/^delta \S+ committed on generation \d+ of site \S+: (\d+) upserts, (\d+) deletions/gm)].map((m) => ({
    upserts: Number(m[1]),
    deletions: Number(m[2]),
  }));
}

/** Objects the control plane removed with the deltas it committed after `since` (ISO-8601), by its log. */
function removedSince(since: string): number {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes('"event":"delta.committed"') && JSON.parse(line).time > since)
    .reduce((n, line) => n + Number((JSON.parse(line) as { removed: number }).removed), 0);
}

const waitFor = (what: string, done: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> =>
  waitUntil(what, done, {
    timeoutMs,
    context: () => {
      // The control plane's commits and findings runs, not its every line.
      const server_ = (server?.output() ?? '').split('\n').filter((line) => /"event":"(delta\.committed|snapshot\.committed|findings\.\w+)"/.test(line) && !line.includes('"applied":0,"removed":0'));
      return `agent stdout:\n${agent?.stdout()}\nagent stderr:\n${agent?.stderr()}\ncontrol plane:\n${server_.join('\n')}`;
    },
  });

const siteId = (): Promise<string> => siteIdByName(server.url, server.credential, SITE);

const reference = async (): Promise<DirectoryObject[]> => byGuid(await ldapsearchObjects({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn: ouDn }));
const stored = async (): Promise<DirectoryObject[]> => byGuid(await fetchAllObjects(server.url, server.credential ?? '', await siteId()));

/** Users no other object points at (member, manager…): their rename changes only themselves. */
function unreferencedUsers(objects: readonly DirectoryObject[]): DirectoryObject[] {
  const referenced = new Set(objects.flatMap((o) => Object.values(o.attributes).flat()).map((v) => v.toLowerCase()));
  return objects.filter((o) => o.kind === 'user' && !referenced.has(o.distinguishedName.toLowerCase()));
}

beforeAll(async () => {
  dc = readDcConnection();
  ouDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  // Each run changes the fixture, so it starts from a freshly seeded one.
  await ldapDeleteTree(dc, ouDn);
  await ensureFixture(FIXTURE);
  dir = tempDir('delta');
  writeFileSync(join(dir, 'ldap-password'), `${dc.password}\n`, { mode: 0o600 });
  server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite') });
  const { stateDir } = await enrollNewAgent(server, { org: 'e2e-delta', site: SITE });
  const config = writeAgentConfig(dir, {
    server: { allowInsecure: true },
    stateDir,
    ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'ldap-password'), tls: { caFile: dc.caFile }, baseDn: ouDn },
  });
  agent = startAgent(['run', '--config', config, '--interval-minutes', INTERVAL_MINUTES]);
  await waitFor('the first full snapshot', () => /^snapshot \S+ committed/m.test(agent?.stdout() ?? ''));
});

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  if (dc) await ldapDeleteTree(dc, ouDn);
});

describe('agent run → deltas by uSNChanged', () => {
  it('starts with a full snapshot equal to ldapsearch', async () => {
    expect(await stored()).toEqual(await reference());
  });

  it('carries an add, a modify, a rename/move and a delete as deltas of exactly those objects, without a full resync', async () => {
    const before = await reference();
    const [modified, moved, deleted] = unreferencedUsers(before);
    if (!modified || !moved || !deleted) throw new Error('the fixture has too few unreferenced users');
    const run = Date.now().toString(36);
    // The target OU is not an object the agent reads, so creating it sends nothing.
    await ldapModify(dc, `dn: OU=Moved,${ouDn}\nchangetype: add\nobjectClass: organizationalUnit\n`);
    const linesBefore = deltaLines().length;
    changedAt = new Date().toISOString();
    await ldapModify(
      dc,
      [
        `dn: CN=Delta Added ${run},${ouDn}`, 'changetype: add', 'objectClass: user', `sAMAccountName: dadd${run}`, 'displayName: Delta Added Ünïcode', '',
        `dn: ${modified.distinguishedName}`, 'changetype: modify', 'replace: displayName', `displayName: Modified ${run}`, '-', '',
      ].join('\n'),
    );
    await ldapModRdn(dc, moved.distinguishedName, `CN=Renamed ${run}`, `OU=Moved,${ouDn}`);
    await ldapDelete(dc, deleted.distinguishedName);
    const after = await reference();

    await waitFor('the control plane to equal ldapsearch', async () => JSON.stringify(await stored()) === JSON.stringify(after));
    expect(await stored()).toEqual(after);
    expect(after.find((o) => o.objectGuid === moved.objectGuid)?.distinguishedName).toBe(`CN=Renamed ${run},OU=Moved,${ouDn}`);
    expect(after.some((o) => o.objectGuid === deleted.objectGuid)).toBe(false);

    // Only the changed objects travelled: three upserts over the deltas since, and one object
    // removed. Tombstones are read domain-wide (a tombstone no longer says where the object
    // lived), so the deletions sent also hold whatever other tests deleted meanwhile: the
    // control plane removes only what it holds, and logs how many.
    const since = deltaLines().slice(linesBefore);
    expect(since.reduce((n, l) => n + l.upserts, 0)).toBe(3);
    expect(removedSince(changedAt)).toBe(1);
    expect(agent?.stdout()).not.toMatch(/^snapshot \S+ committed[^\n]*\n[\s\S]*^snapshot \S+ committed/m);
  });

  it('carries an OU renamed inside the base and one moved into it with the objects in them, without a full resync', async () => {
    const run = Date.now().toString(36);
    const team = `OU=Team ${run},${ouDn}`;
    const outside = `OU=Outside ${run},${dc.baseDn}`;
    await ldapModify(
      dc,
      [
        `dn: ${team}`, 'changetype: add', 'objectClass: organizationalUnit', '',
        `dn: CN=Team Member ${run},${team}`, 'changetype: add', 'objectClass: user', `sAMAccountName: tm${run}`, '',
        `dn: ${outside}`, 'changetype: add', 'objectClass: organizationalUnit', '',
        `dn: CN=Outside Member ${run},${outside}`, 'changetype: add', 'objectClass: user', `sAMAccountName: om${run}`, '',
      ].join('\n'),
    );
    await waitFor('the new OU member in the control plane', async () => (await stored()).some((o) => o.distinguishedName === `CN=Team Member ${run},${team}`));
    // Neither changes the uSNChanged of the objects inside: only their DN (and, moved in, their being under the base).
    await ldapModRdn(dc, team, `OU=Team Renamed ${run}`, ouDn);
    await ldapModRdn(dc, outside, `OU=Outside ${run}`, ouDn);
    const after = await reference();
    expect(after.map((o) => o.distinguishedName)).toEqual(expect.arrayContaining([`CN=Team Member ${run},OU=Team Renamed ${run},${ouDn}`, `CN=Outside Member ${run},OU=Outside ${run},${ouDn}`]));
    await waitFor('the control plane to equal ldapsearch', async () => JSON.stringify(await stored()) === JSON.stringify(after));
    expect(await stored()).toEqual(after);
    expect(agent?.stdout()).not.toMatch(/^snapshot \S+ committed[^\n]*\n[\s\S]*^snapshot \S+ committed/m);
  });

  it('carries objects moved out of the base, alone and inside an OU, as their removal, without a full resync', async () => {
    const run = Date.now().toString(36);
    const leaving = `OU=Leaving ${run},${ouDn}`;
    const away = `OU=Away ${run},${dc.baseDn}`;
    await ldapModify(
      dc,
      [
        `dn: ${leaving}`, 'changetype: add', 'objectClass: organizationalUnit', '',
        `dn: CN=Leaving Member ${run},${leaving}`, 'changetype: add', 'objectClass: user', `sAMAccountName: lm${run}`, '',
        `dn: CN=Leaving Alone ${run},${ouDn}`, 'changetype: add', 'objectClass: user', `sAMAccountName: la${run}`, '',
        `dn: ${away}`, 'changetype: add', 'objectClass: organizationalUnit', '',
      ].join('\n'),
    );
    try {
      await waitFor('both new users in the control plane', async () => (await stored()).filter((o) => o.distinguishedName.includes(` ${run},`)).length === 2);
      const removedBefore = removedSince(changedAt);
      // The member keeps its uSNChanged when its OU moves: only the OU's changes.
      await ldapModRdn(dc, leaving, `OU=Leaving ${run}`, dc.baseDn);
      await ldapModRdn(dc, `CN=Leaving Alone ${run},${ouDn}`, `CN=Leaving Alone ${run}`, away);
      const after = await reference();
      expect(after.some((o) => o.distinguishedName.includes(` ${run},`))).toBe(false);
      await waitFor('the control plane to equal ldapsearch', async () => JSON.stringify(await stored()) === JSON.stringify(after));
      expect(await stored()).toEqual(after);
      expect(removedSince(changedAt) - removedBefore).toBe(2);
      expect(agent?.stdout()).not.toMatch(/^snapshot \S+ committed[^\n]*\n[\s\S]*^snapshot \S+ committed/m);
    } finally {
      await ldapDeleteTree(dc, `OU=Leaving ${run},${dc.baseDn}`);
      await ldapDeleteTree(dc, away);
    }
  });

  it('reports the latest delta in the site summary and re-runs the checks after a delta', async () => {
    const id = await siteId();
    const { body } = await getJson<{ total: number; lastDelta: { toUsn: number; fromUsn: number } | null }>(`${server.url}/api/v1/sites/${id}/summary`, server.credential);
    expect(body.total).toBe((await reference()).length);
    expect(body.lastDelta).toEqual(expect.objectContaining({ toUsn: expect.any(Number), fromUsn: expect.any(Number) }));
    // The checks ran again on the generation the delta changed, after the changes were made.
    await waitFor('findings computed after the delta', async () => {
      const findings = await getJson<{ run: { completedAt: string } | null }>(`${server.url}/api/v1/sites/${id}/findings?limit=1`, server.credential);
      return (findings.body.run?.completedAt ?? '') > changedAt;
    });
  });

  it('after deltas that make and break a duplicate, the stored findings equal a full recompute, found incrementally', async () => {
    const id = await siteId();
    // Neither may hold a duplicate already: the fixture seeds some, and which users come first
    // changes with every seeding (objectGUID order).
    const duplicated = new Set((await recomputedFindings(id)).items.filter((f) => f.ruleId.endsWith('.duplicate')).map((f) => f.objectGuid));
    const [holder, taker] = unreferencedUsers(await reference()).filter((o) => o.attributes['userPrincipalName']?.[0] !== undefined && !duplicated.has(o.objectGuid));
    const upn = holder?.attributes['userPrincipalName']?.[0];
    if (!holder || !taker || !upn) throw new Error('the fixture has too few unreferenced users with a UPN');
    const originalMail = taker.attributes['mail']?.[0];
    const addressDuplicates = (items: readonly Finding[]): string[] =>
      // Objects, not findings: a holder whose mail is its UPN holds the value twice, one finding each.
      [...new Set(items.filter((f) => f.ruleId === 'entra.address.duplicate' && f.value.toLowerCase() === upn.toLowerCase()).map((f) => f.objectGuid))].sort();

    // Made: the taker's mail becomes the holder's UPN (Entra ID: one address space across attributes).
    const pair = [holder.objectGuid, taker.objectGuid].sort();
    const made = await changeAndWaitForFindings(id, [`dn: ${taker.distinguishedName}`, 'changetype: modify', 'replace: mail', `mail: ${upn}`, '-', ''].join('\n'), (items) => addressDuplicates(items).join() === pair.join());
    expect(addressDuplicates(made.items)).toEqual(pair);
    expect(made).toEqual(await recomputedFindings(id));

    // Broken: the taker's mail as it was.
    const restore = originalMail === undefined ? ['delete: mail'] : ['replace: mail', `mail: ${originalMail}`];
    const broken = await changeAndWaitForFindings(id, [`dn: ${taker.distinguishedName}`, 'changetype: modify', ...restore, '-', ''].join('\n'), (items) => addressDuplicates(items).length === 0);
    expect(addressDuplicates(broken.items)).toEqual([]);
    expect(broken).toEqual(await recomputedFindings(id));

    // The control plane got there from the deltas' objects, not by checking the whole generation again.
    expect(server.output()).toMatch(/"event":"findings\.computed"[^\n]*"mode":"incremental"/);
  });
});

interface StoredFindings {
  summary: unknown;
  items: Finding[];
}

/** The site's stored findings, every page, and their run. */
async function storedFindings(id: string): Promise<StoredFindings & { completedAt: string }> {
  type Page = { run: { completedAt: string; summary: unknown } | null; items: Finding[]; nextCursor: string | null };
  const items: Finding[] = [];
  let page: Page | undefined;
  do {
    const cursor: string = page?.nextCursor ? `&cursor=${page.nextCursor}` : '';
    const response: { status: number; body: Page } = await getJson<Page>(`${server.url}/api/v1/sites/${id}/findings?limit=1000${cursor}`, server.credential);
    expect(response.status).toBe(200);
    page = response.body;
    items.push(...page.items);
  } while (page.nextCursor);
  return { completedAt: page.run?.completedAt ?? '', summary: page.run?.summary, items };
}

/**
 * Applies an LDIF change to the DC and waits until the stored findings show it (`shows`). Not
 * merely for findings completed after the change: other suites change the same DC, and their
 * deletions reach this site's deltas too, so a run of an earlier delta can complete after the
 * change without holding it.
 */
async function changeAndWaitForFindings(id: string, ldif: string, shows: (items: readonly Finding[]) => boolean): Promise<StoredFindings> {
  await ldapModify(dc, ldif);
  let latest: StoredFindings | undefined;
  await waitFor('findings that show the change', async () => {
    const { summary, items } = await storedFindings(id);
    latest = { summary, items };
    return shows(items);
  });
  return latest as StoredFindings;
}

/** The findings of a from-scratch run over the site's current generation (`POST …/checks`). */
async function recomputedFindings(id: string): Promise<StoredFindings> {
  const { status } = await apiRequest('POST', `${server.url}/api/v1/sites/${id}/checks`, server.credential);
  expect(status).toBe(200);
  const { summary, items } = await storedFindings(id);
  return { summary, items };
}
