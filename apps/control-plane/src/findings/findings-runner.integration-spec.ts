/**
 * The control plane's findings after deltas against a full recompute, on a real store (SQLite
 * and the local PostgreSQL): a snapshot's full run builds the site's live check, deltas that
 * make and break duplicates update it, and the stored findings must equal a from-scratch run.
 */
import { type Finding, type RuleSetName } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { ALL_ORGANIZATIONS as ALL, type DeltaInput, type Store } from '@syncready/store';
import { expectedFor, storeFactories, testForest, testGuid } from '@syncready/store/testing';
import { computeSiteFindings, updateSiteFindings } from './findings-runner';
import { LiveCheckCache } from './live-check-cache';
import { type SiteChange } from './site-change';

const FOREST = testForest();
const SNAPSHOT_USN = FOREST.highestCommittedUsn;

function user(n: number, usn: number, attributes: Record<string, string[]> = {}): DirectoryObject {
  return {
    objectGuid: testGuid(n),
    distinguishedName: `CN=User ${n},OU=Staff,DC=corp,DC=example,DC=com`,
    kind: 'user',
    usnChanged: usn,
    attributes: {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      cn: [`User ${n}`],
      sAMAccountName: [`user${n}`],
      userPrincipalName: [`user${n}@example.com`],
      mail: [`user${n}@example.com`],
      mailNickname: [`user${n}`],
      proxyAddresses: [`SMTP:user${n}@example.com`],
      displayName: [`User ${n}`],
      ...attributes,
    },
  };
}

function contact(n: number, usn: number, attributes: Record<string, string[]>): DirectoryObject {
  return {
    objectGuid: testGuid(n),
    distinguishedName: `CN=Contact ${n},OU=Contacts,DC=corp,DC=example,DC=com`,
    kind: 'contact',
    usnChanged: usn,
    attributes: { objectClass: ['top', 'person', 'organizationalPerson', 'contact'], cn: [`Contact ${n}`], displayName: [`Contact ${n}`], ...attributes },
  };
}

/** Twenty users, one with a bad UPN, so there is something to find before any duplicate. */
const snapshot = (): DirectoryObject[] => Array.from({ length: 20 }, (_, n) => user(n, 1000 + n, n === 4 ? { userPrincipalName: ['user 4@example.com'] } : {}));

describe.each(storeFactories())('findings after deltas on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(() => factory.cleanup());

  let snapshots = 0;
  async function committedSite(name: string): Promise<{ siteId: string; generation: number }> {
    const site = await store.sites.ensureSite(name);
    const objects = snapshot();
    snapshots += 1;
    const { generationId } = await store.snapshots.beginGeneration({ siteId: site.id, snapshotId: `s${snapshots}`, forest: FOREST, baseDn: 'DC=corp,DC=example,DC=com' });
    await store.snapshots.appendObjects(generationId, objects);
    await store.snapshots.commitGeneration(generationId, expectedFor(objects));
    return { siteId: site.id, generation: generationId };
  }

  /** Applies a delta as the gateway does and returns what afterCommit hands the findings code. */
  async function applyDelta(siteId: string, generation: number, fromUsn: number, change: Pick<DeltaInput, 'upserts' | 'deletions'>): Promise<SiteChange> {
    const result = await store.sync.applyDelta(siteId, { deltaId: `d${fromUsn}`, baseGeneration: generation, invocationId: FOREST.invocationId, fromUsn, toUsn: fromUsn + 49, ...change });
    if (!result.ok) throw new Error(result.message);
    return { generation: result.generation, ...change };
  }

  async function stored(generation: number): Promise<{ findings: Finding[]; summary: unknown }> {
    const page = await store.findings.listFindings(generation, { limit: 5000 }, ALL);
    return { findings: page.items, summary: (await store.findings.getRun(generation, ALL))?.summary };
  }

  /** Stored findings must be those of a full run over what the store holds now. */
  async function expectEqualToFullRun(siteId: string, generation: number, ruleSet: RuleSetName): Promise<Finding[]> {
    const incremental = await stored(generation);
    const full = await computeSiteFindings(store, siteId, ruleSet);
    expect(incremental).toEqual({ findings: full?.findings, summary: full?.summary });
    return incremental.findings;
  }

  const duplicates = (findings: readonly Finding[]): string[] => findings.filter((f) => f.errors.includes('duplicate')).map((f) => `${f.commonName} ${f.attribute} ${f.value}`);

  it.each<[RuleSetName, string[]]>([
    ['entra', ['Contact 40 proxyAddresses SMTP:User12@example.com', 'User 12 mail user12@example.com', 'User 12 proxyAddresses SMTP:user12@example.com', 'User 12 userPrincipalName user12@example.com', 'User 5 mail user12@example.com']],
    // IdFix's first holder is the lowest GUID (user 5 before user 12), whatever was changed last.
    ['idfix', ['Contact 40 proxyAddresses SMTP:User12@example.com', 'User 12 mail user12@example.com']],
  ])('%s: deltas that create and then remove duplicates leave the findings of a full recompute', async (ruleSet, made) => {
    const { siteId, generation } = await committedSite(`deltas-${ruleSet}`);
    const live = new LiveCheckCache(1000);
    await computeSiteFindings(store, siteId, ruleSet, live);
    expect(live.objects).toBe(20);

    // User 5 takes user 12's mail, a new contact takes user 12's address as a proxy, user 7 goes.
    const first = await applyDelta(siteId, generation, SNAPSHOT_USN + 1, {
      upserts: [user(5, SNAPSHOT_USN + 2, { mail: ['user12@example.com'] }), contact(40, SNAPSHOT_USN + 3, { proxyAddresses: ['SMTP:User12@example.com'], mailNickname: ['c40'] })],
      deletions: [testGuid(7)],
    });
    expect(await updateSiteFindings(store, siteId, ruleSet, [first], live)).toMatchObject({ mode: 'incremental' });
    expect(duplicates(await expectEqualToFullRun(siteId, generation, ruleSet))).toEqual(made);

    // Both go back: user 5's own mail again, the contact deleted.
    const second = await applyDelta(siteId, generation, SNAPSHOT_USN + 51, { upserts: [user(5, SNAPSHOT_USN + 52)], deletions: [testGuid(40)] });
    expect(await updateSiteFindings(store, siteId, ruleSet, [second], live)).toMatchObject({ mode: 'incremental' });
    expect(duplicates(await expectEqualToFullRun(siteId, generation, ruleSet))).toEqual([]);
    expect(live.objects).toBe(19);
  });

  it('applies several queued deltas in order, and ignores a stale version as the store does', async () => {
    const { siteId, generation } = await committedSite('queued');
    const live = new LiveCheckCache(1000);
    await computeSiteFindings(store, siteId, 'idfix', live);
    const one = await applyDelta(siteId, generation, SNAPSHOT_USN + 1, { upserts: [user(3, SNAPSHOT_USN + 5, { mail: ['user9@example.com'] })], deletions: [] });
    // Stale: a lower uSNChanged than the stored version, so the store keeps user 3 as it is.
    const two = await applyDelta(siteId, generation, SNAPSHOT_USN + 51, { upserts: [user(3, SNAPSHOT_USN + 4), user(21, SNAPSHOT_USN + 60, { mail: ['user9@example.com'] })], deletions: [] });
    expect(await updateSiteFindings(store, siteId, 'idfix', [one, two], live)).toMatchObject({ mode: 'incremental' });
    expect(duplicates(await expectEqualToFullRun(siteId, generation, 'idfix'))).toEqual(['User 21 mail user9@example.com', 'User 9 mail user9@example.com']);
  });

  it('falls back to a full run, which rebuilds the live check, when there is none or it is not of the current generation', async () => {
    const { siteId, generation } = await committedSite('fallback');
    const live = new LiveCheckCache(1000);
    const change = await applyDelta(siteId, generation, SNAPSHOT_USN + 1, { upserts: [user(30, SNAPSHOT_USN + 2)], deletions: [] });
    expect(await updateSiteFindings(store, siteId, 'entra', [change], live)).toMatchObject({ mode: 'full', fallback: 'no live check for the site' });
    expect(live.objects).toBe(21);
    // Another rule set than the live check's.
    expect(await updateSiteFindings(store, siteId, 'idfix', [change], live)).toMatchObject({ mode: 'full', fallback: 'the live check runs entra' });
    // A snapshot made another generation current: the live check of the old one is stale, and
    // once rebuilt for the new one, a delta of the old one cannot apply to it.
    const { generation: next } = await committedSite('fallback');
    expect(await updateSiteFindings(store, siteId, 'idfix', [change], live)).toMatchObject({ mode: 'full', fallback: `generation ${generation} is no longer current` });
    expect(await updateSiteFindings(store, siteId, 'idfix', [change], live)).toMatchObject({ mode: 'full', fallback: `a delta is not on generation ${next}` });
    await expectEqualToFullRun(siteId, next, 'idfix');
  });

  it('keeps no live check for a site larger than the bound, and still stores the findings', async () => {
    const { siteId, generation } = await committedSite('too-big');
    const live = new LiveCheckCache(10);
    const result = await computeSiteFindings(store, siteId, 'entra', live);
    expect(live.objects).toBe(0);
    expect((await stored(generation)).findings).toEqual(result?.findings);
  });
});
