import type { DirectoryObject } from '@syncready/directory';
import { ALL_ORGANIZATIONS as ALL } from './access-scope';
import type { Store } from './store';
import type { DeltaInput } from './sync-repository';
import { expectedFor, storeFactories, testForest, testGuid, testObjects } from './testing';

const BASE_DN = 'OU=Test,DC=corp,DC=example,DC=com';
const INVOCATION = testForest().invocationId;
const SNAPSHOT_USN = testForest().highestCommittedUsn;

describe.each(storeFactories())('SyncRepository on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(() => factory.cleanup());

  /** A site with one committed snapshot of 10 objects (uSNChanged 1000–1009). */
  async function committedSite(name: string): Promise<{ siteId: string; generation: number; objects: DirectoryObject[] }> {
    const site = await store.sites.ensureSite(name);
    const objects = testObjects(10);
    const { generationId } = await store.snapshots.beginGeneration({ siteId: site.id, snapshotId: 's1', forest: testForest(), baseDn: BASE_DN });
    await store.snapshots.appendObjects(generationId, objects);
    await store.snapshots.commitGeneration(generationId, expectedFor(objects));
    return { siteId: site.id, generation: generationId, objects };
  }

  function delta(generation: number, patch: Partial<DeltaInput> = {}): DeltaInput {
    return { deltaId: 'd1', baseGeneration: generation, invocationId: INVOCATION, fromUsn: SNAPSHOT_USN + 1, toUsn: SNAPSHOT_USN + 50, upserts: [], deletions: [], ...patch };
  }

  const list = async (siteId: string): Promise<DirectoryObject[]> => (await store.objects.listObjects(siteId, { limit: 100 }, ALL)).items;

  it('records the cursor at the snapshot commit from the forest read before the objects', async () => {
    const { siteId, generation } = await committedSite('cursor');
    expect(await store.sync.getCursor(siteId)).toEqual({ invocationId: INVOCATION, highestUsn: SNAPSHOT_USN, generation, baseDn: BASE_DN });
    const none = await store.sites.ensureSite('cursor-none');
    expect(await store.sync.getCursor(none.id)).toBeUndefined();
  });

  it('applies upserts and deletions to the current generation and moves the cursor', async () => {
    const { siteId, generation, objects } = await committedSite('apply');
    const modified = { ...objects[1]!, usnChanged: SNAPSHOT_USN + 10, distinguishedName: 'CN=Moved,OU=Other,DC=corp,DC=example,DC=com' };
    const added: DirectoryObject = { ...objects[0]!, objectGuid: testGuid(500), usnChanged: SNAPSHOT_USN + 11 };
    const result = await store.sync.applyDelta(siteId, delta(generation, { upserts: [modified, added], deletions: [objects[2]!.objectGuid] }));
    expect(result).toMatchObject({ ok: true, generation, record: { upserts: 2, deletions: 1, applied: 2, removed: 1 } });
    const expected = [...objects.filter((o) => o !== objects[1] && o !== objects[2]), modified, added];
    expect(await list(siteId)).toEqual(expect.arrayContaining(expected));
    expect(await list(siteId)).toHaveLength(expected.length);
    expect((await store.sync.getCursor(siteId))?.highestUsn).toBe(SNAPSHOT_USN + 50);
    expect(await store.sync.lastDelta(siteId)).toMatchObject({ deltaId: 'd1', applied: 2, removed: 1 });
  });

  it('changes nothing when the same delta is applied again, and ignores stale versions', async () => {
    const { siteId, generation, objects } = await committedSite('idempotent');
    const newer = { ...objects[3]!, usnChanged: SNAPSHOT_USN + 5, attributes: { cn: ['new'] } };
    const input = delta(generation, { upserts: [newer], deletions: [objects[4]!.objectGuid] });
    await store.sync.applyDelta(siteId, input);
    const after = await list(siteId);
    const again = await store.sync.applyDelta(siteId, input);
    expect(again).toMatchObject({ ok: true, record: { applied: 0, removed: 0 } });
    const stale = await store.sync.applyDelta(siteId, delta(generation, { fromUsn: SNAPSHOT_USN + 1, toUsn: SNAPSHOT_USN + 2, upserts: [objects[3]!] }));
    expect(stale).toMatchObject({ ok: true, record: { applied: 0 } });
    expect(await list(siteId)).toEqual(after);
    // The cursor never moves back.
    expect((await store.sync.getCursor(siteId))?.highestUsn).toBe(SNAPSHOT_USN + 50);
  });

  it('takes the same version of an object under a new DN (a container above it renamed or moved), and only then', async () => {
    const { siteId, generation, objects } = await committedSite('renamed-parent');
    const renamed = { ...objects[5]!, distinguishedName: objects[5]!.distinguishedName.replace(BASE_DN, `OU=Renamed,${BASE_DN}`) };
    const sameAgain = { ...objects[6]!, attributes: { cn: ['not applied: same version, same DN'] } };
    const result = await store.sync.applyDelta(siteId, delta(generation, { upserts: [renamed, sameAgain] }));
    expect(result).toMatchObject({ ok: true, record: { upserts: 2, applied: 1 } });
    const stored = new Map((await list(siteId)).map((o) => [o.objectGuid, o]));
    expect(stored.get(renamed.objectGuid)).toEqual(renamed);
    expect(stored.get(sameAgain.objectGuid)).toEqual(objects[6]);
    // An older version under another DN still changes nothing.
    const older = { ...objects[7]!, usnChanged: objects[7]!.usnChanged - 1, distinguishedName: `CN=Old,${BASE_DN}` };
    expect(await store.sync.applyDelta(siteId, delta(generation, { deltaId: 'd2', upserts: [older] }))).toMatchObject({ ok: true, record: { applied: 0 } });
    expect((await list(siteId)).find((o) => o.objectGuid === older.objectGuid)).toEqual(objects[7]);
  });

  it('refuses a delta on a generation that is no longer current, writing nothing', async () => {
    const { siteId, generation, objects } = await committedSite('base');
    const { generationId: next } = await store.snapshots.beginGeneration({ siteId, snapshotId: 's2', forest: testForest(), baseDn: BASE_DN });
    await store.snapshots.appendObjects(next, objects);
    await store.snapshots.commitGeneration(next, expectedFor(objects));
    const result = await store.sync.applyDelta(siteId, delta(generation, { deletions: [objects[0]!.objectGuid] }));
    expect(result).toMatchObject({ ok: false, reason: 'base-mismatch' });
    expect(await list(siteId)).toHaveLength(10);
  });

  it('refuses a delta of another DC, one that leaves a gap, or one for a site without a generation', async () => {
    const { siteId, generation } = await committedSite('unknown');
    expect(await store.sync.applyDelta(siteId, delta(generation, { invocationId: testGuid(9) }))).toMatchObject({ ok: false, reason: 'unknown-cursor' });
    expect(await store.sync.applyDelta(siteId, delta(generation, { fromUsn: SNAPSHOT_USN + 2 }))).toMatchObject({ ok: false, reason: 'unknown-cursor' });
    const empty = await store.sites.ensureSite('unknown-empty');
    expect(await store.sync.applyDelta(empty.id, delta(1))).toMatchObject({ ok: false, reason: 'unknown-cursor' });
    expect((await store.sync.getCursor(siteId))?.highestUsn).toBe(SNAPSHOT_USN);
  });

  it('refuses malformed deletions before writing anything', async () => {
    const { siteId, generation } = await committedSite('invalid');
    await expect(store.sync.applyDelta(siteId, delta(generation, { deletions: ['CN=x'] }))).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
