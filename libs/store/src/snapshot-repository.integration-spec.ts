import type { DirectoryObject } from '@syncready/directory';
import type { Store } from './store';
import { expectedFor, storeFactories, testForest, testGuid, testObjects } from './testing';
import { ALL_ORGANIZATIONS as ALL } from './access-scope';

const BASE_DN = 'DC=corp,DC=example,DC=com';

/** Objects whose values a careless store would mangle. */
const tricky: DirectoryObject[] = [
  {
    objectGuid: testGuid(1, 7),
    distinguishedName: 'CN=Jürgen Groß\\, Ærøskøbing,OU=Ünits,DC=corp,DC=example,DC=com',
    kind: 'user',
    usnChanged: 2 ** 40 + 3,
    attributes: {
      displayName: ['Jürgen Groß 👩‍💻 渡辺'],
      proxyAddresses: ['SMTP:j.gross@example.com', 'smtp:jg@example.com', 'smtp:a@example.com'],
      description: [''],
      'msDS-cloudExtensionAttribute1': ['"quoted" \\ back\u0000slash\nnewline'],
    },
  },
  {
    objectGuid: testGuid(2, 7),
    distinguishedName: 'CN=Team,OU=Groups,DC=corp,DC=example,DC=com',
    kind: 'group',
    usnChanged: 5,
    attributes: { member: ['CN=b', 'CN=a', 'CN=c'] },
  },
  { objectGuid: testGuid(3, 7), distinguishedName: 'CN=Empty', kind: 'contact', usnChanged: 0, attributes: {} },
];

describe.each(storeFactories())('SnapshotRepository on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(() => factory.cleanup());

  async function begin(siteName: string, snapshotId = 'snap-1'): Promise<{ siteId: string; generationId: number }> {
    const site = await store.sites.ensureSite(siteName);
    const { generationId } = await store.snapshots.beginGeneration({ siteId: site.id, snapshotId, forest: testForest(), baseDn: BASE_DN });
    return { siteId: site.id, generationId };
  }

  async function currentObjects(siteId: string): Promise<DirectoryObject[]> {
    return (await store.objects.listObjects(siteId, { limit: 5000 }, ALL)).items;
  }

  it('stores a snapshot and serves exactly the values written once committed', async () => {
    const { siteId, generationId } = await begin('happy');
    await store.snapshots.appendObjects(generationId, tricky);
    expect(await currentObjects(siteId)).toEqual([]); // receiving generations are invisible

    const result = await store.snapshots.commitGeneration(generationId, expectedFor(tricky));
    expect(result).toEqual({ ok: true, generation: generationId, objectCount: 3 });
    expect(await currentObjects(siteId)).toEqual(tricky);
    expect(await store.objects.getObject(siteId, testGuid(1, 7), ALL)).toEqual(tricky[0]);

    const site = await store.sites.getSite(siteId, ALL);
    expect(site?.currentGenerationId).toBe(generationId);
    expect(site?.lastSnapshotAt).toEqual(expect.any(String));
    const generation = await store.snapshots.getGeneration(generationId);
    expect(generation).toMatchObject({ status: 'complete', objectCount: 3, forest: testForest(), baseDn: BASE_DN, snapshotId: 'snap-1' });
    expect(generation?.completedAt).toBe(site?.lastSnapshotAt);
  });

  it('treats a re-sent batch as a no-op, and keeps the newest version of an object', async () => {
    const { siteId, generationId } = await begin('idempotent');
    const objects = testObjects(50);
    await store.snapshots.appendObjects(generationId, objects.slice(0, 30));
    await store.snapshots.appendObjects(generationId, objects.slice(20)); // overlaps 20..29
    await store.snapshots.appendObjects(generationId, objects.slice(0, 30));
    const newer = { ...objects[0]!, usnChanged: 99_999, attributes: { cn: ['renamed'] } };
    await store.snapshots.appendObjects(generationId, [newer]);
    await store.snapshots.appendObjects(generationId, [objects[0]!]); // stale re-send loses

    const expected = [newer, ...objects.slice(1)];
    expect(await store.snapshots.commitGeneration(generationId, expectedFor(expected))).toMatchObject({ ok: true, objectCount: 50 });
    expect(await currentObjects(siteId)).toEqual(expected);
  });

  it('discards a generation whose count does not match and keeps the previous one current', async () => {
    const first = await begin('count-mismatch', 'snap-1');
    const objects = testObjects(10);
    await store.snapshots.appendObjects(first.generationId, objects);
    await store.snapshots.commitGeneration(first.generationId, expectedFor(objects));

    const second = await begin('count-mismatch', 'snap-2');
    await store.snapshots.appendObjects(second.generationId, testObjects(9, { seed: 2 }));
    const result = await store.snapshots.commitGeneration(second.generationId, expectedFor(testObjects(10, { seed: 2 })));

    expect(result).toEqual({ ok: false, reason: 'count-mismatch', actualCount: 9, actualDigest: expectedFor(testObjects(9, { seed: 2 })).digest });
    expect(await store.snapshots.getGeneration(second.generationId)).toMatchObject({ status: 'discarded', discardReason: 'count-mismatch' });
    expect((await store.sites.getSite(first.siteId, ALL))?.currentGenerationId).toBe(first.generationId);
    expect(await currentObjects(first.siteId)).toEqual(objects);
    await expect(store.snapshots.appendObjects(second.generationId, objects)).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
  });

  it('discards a generation whose digest does not match', async () => {
    const { siteId, generationId } = await begin('digest-mismatch');
    const objects = testObjects(10);
    await store.snapshots.appendObjects(generationId, objects);
    // Same count, one object at another version: only the digest can tell.
    const agentSaw = objects.map((object, i) => (i === 3 ? { ...object, usnChanged: object.usnChanged + 1 } : object));
    const result = await store.snapshots.commitGeneration(generationId, expectedFor(agentSaw));

    expect(result).toEqual({ ok: false, reason: 'digest-mismatch', actualCount: 10, actualDigest: expectedFor(objects).digest });
    expect((await store.sites.getSite(siteId, ALL))?.currentGenerationId).toBeNull();
    expect((await store.objects.summary(siteId, ALL))?.total).toBe(0);
  });

  it('rejects appends and other commits once a generation is committed', async () => {
    const { generationId } = await begin('closed');
    const objects = testObjects(5);
    await store.snapshots.appendObjects(generationId, objects);
    const committed = await store.snapshots.commitGeneration(generationId, expectedFor(objects));

    await expect(store.snapshots.appendObjects(generationId, objects)).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
    await expect(store.snapshots.appendObjects(generationId, [])).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
    // A re-sent end frame gets the same answer; a different one is refused.
    expect(await store.snapshots.commitGeneration(generationId, expectedFor(objects))).toEqual(committed);
    await expect(store.snapshots.commitGeneration(generationId, expectedFor(objects.slice(1)))).rejects.toMatchObject({
      code: 'STORE.GENERATION_CLOSED',
    });
    await expect(store.snapshots.discardGeneration(generationId, 'too late')).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
  });

  it('replaces the current generation with the next one and drops the old objects', async () => {
    const first = await begin('replace', 'snap-1');
    const old = testObjects(20, { seed: 1 });
    await store.snapshots.appendObjects(first.generationId, old);
    await store.snapshots.commitGeneration(first.generationId, expectedFor(old));

    const second = await begin('replace', 'snap-2');
    const fresh = testObjects(15, { seed: 2 });
    await store.snapshots.appendObjects(second.generationId, fresh);
    expect(await store.snapshots.commitGeneration(second.generationId, expectedFor(fresh))).toMatchObject({ ok: true });

    expect(await currentObjects(first.siteId)).toEqual(fresh);
    expect(await store.objects.getObject(first.siteId, old[0]!.objectGuid, ALL)).toBeUndefined();
    expect((await store.sites.getSite(first.siteId, ALL))?.currentGenerationId).toBe(second.generationId);
    const history = await store.snapshots.getGeneration(first.generationId);
    expect(history).toMatchObject({ status: 'superseded', objectCount: 20 });
    // The superseded generation's rows are gone, not merely hidden: recommitting it is refused.
    await expect(store.snapshots.commitGeneration(first.generationId, expectedFor(old))).rejects.toMatchObject({
      code: 'STORE.GENERATION_CLOSED',
    });
  });

  it('closes an older snapshot still receiving when a newer one of the site commits', async () => {
    const older = await begin('overtaken', 'snap-old');
    await store.snapshots.appendObjects(older.generationId, testObjects(3, { seed: 1 }));
    const newer = await begin('overtaken', 'snap-new');
    const objects = testObjects(4, { seed: 2 });
    await store.snapshots.appendObjects(newer.generationId, objects);
    await store.snapshots.commitGeneration(newer.generationId, expectedFor(objects));

    await expect(store.snapshots.appendObjects(older.generationId, testObjects(1))).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
    expect(await store.snapshots.getGeneration(older.generationId)).toMatchObject({ status: 'superseded' });
    expect(await currentObjects(newer.siteId)).toEqual(objects);
  });

  it('resumes a snapshot id that is still receiving, and refuses one that is closed', async () => {
    const first = await begin('resume', 'snap-r');
    const again = await begin('resume', 'snap-r');
    expect(again.generationId).toBe(first.generationId);
    await store.snapshots.discardGeneration(first.generationId, 'agent gave up');
    await expect(begin('resume', 'snap-r')).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
  });

  it('discards explicitly, idempotently, and deletes the objects', async () => {
    const { siteId, generationId } = await begin('discard');
    await store.snapshots.appendObjects(generationId, testObjects(5));
    await store.snapshots.discardGeneration(generationId, 'agent gave up');
    await store.snapshots.discardGeneration(generationId, 'again');
    expect(await store.snapshots.getGeneration(generationId)).toMatchObject({ status: 'discarded', discardReason: 'agent gave up' });
    const commit = store.snapshots.commitGeneration(generationId, expectedFor([]));
    await expect(commit).rejects.toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
    expect((await store.sites.getSite(siteId, ALL))?.currentGenerationId).toBeNull();
  });

  it('discards every generation left receiving, per site or everywhere', async () => {
    const a = await begin('incomplete-a');
    const b = await begin('incomplete-b');
    const done = await begin('incomplete-c');
    await store.snapshots.appendObjects(a.generationId, testObjects(2));
    await store.snapshots.commitGeneration(done.generationId, expectedFor([]));

    expect(await store.snapshots.discardIncompleteGenerations(a.siteId)).toBe(1);
    expect(await store.snapshots.getGeneration(b.generationId)).toMatchObject({ status: 'receiving' });
    expect(await store.snapshots.discardIncompleteGenerations()).toBeGreaterThanOrEqual(1);
    for (const id of [a.generationId, b.generationId]) {
      expect(await store.snapshots.getGeneration(id)).toMatchObject({ status: 'discarded', discardReason: 'abandoned-incomplete' });
    }
    expect(await store.snapshots.getGeneration(done.generationId)).toMatchObject({ status: 'complete' });
    expect(await store.snapshots.discardIncompleteGenerations()).toBe(0);
  });

  it('lets several writers append overlapping batches to one generation at once', async () => {
    const { siteId, generationId } = await begin('parallel');
    const other = await factory.open();
    const objects = testObjects(400, { seed: 4 });
    // Overlapping slices in opposite orders: without a fixed write order, PostgreSQL could
    // deadlock two of these transactions on each other's rows.
    const batches = [objects.slice(0, 250), objects.slice(150).reverse(), objects.slice(100, 300).reverse(), objects];
    await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? store : other).snapshots.appendObjects(generationId, batch)));
    expect(await store.snapshots.commitGeneration(generationId, expectedFor(objects))).toMatchObject({ ok: true, objectCount: 400 });
    expect(await currentObjects(siteId)).toEqual(objects);
  });

  it('never commits around an append that is still running', async () => {
    const { generationId } = await begin('append-commit-race');
    const other = await factory.open();
    const first = testObjects(500, { seed: 5 });
    const second = testObjects(500, { seed: 6 });
    await store.snapshots.appendObjects(generationId, first);
    const [append, commit] = await Promise.allSettled([
      other.snapshots.appendObjects(generationId, second),
      store.snapshots.commitGeneration(generationId, expectedFor([...first, ...second])),
    ]);
    // Either the append landed before the count (and the commit matches), or it came after
    // the generation closed and was refused; an accepted append is never left out.
    if (append.status === 'fulfilled') {
      expect(commit).toEqual({ status: 'fulfilled', value: expect.objectContaining({ ok: true, objectCount: 1000 }) });
    } else {
      expect(append.reason).toMatchObject({ code: 'STORE.GENERATION_CLOSED' });
      expect(commit).toEqual({ status: 'fulfilled', value: expect.objectContaining({ ok: false, reason: 'count-mismatch' }) });
    }
  });

  it('writes a 7,000-object batch (several insert chunks) in one call', async () => {
    const { siteId, generationId } = await begin('big-batch');
    const objects = testObjects(7000, { seed: 3 });
    await store.snapshots.appendObjects(generationId, objects);
    expect(await store.snapshots.commitGeneration(generationId, expectedFor(objects))).toMatchObject({ ok: true, objectCount: 7000 });
    expect((await store.objects.summary(siteId, ALL))?.total).toBe(7000);
  });

  it('writes nothing from a batch with an invalid object', async () => {
    const { generationId } = await begin('invalid');
    const objects = testObjects(3);
    const upper = { ...objects[2]!, objectGuid: testGuid(0xabcdef).toUpperCase() };
    await expect(store.snapshots.appendObjects(generationId, [objects[0]!, upper])).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
    const fractional = { ...objects[1]!, usnChanged: 1.5 };
    await expect(store.snapshots.appendObjects(generationId, [fractional])).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
    expect(await store.snapshots.commitGeneration(generationId, expectedFor([]))).toMatchObject({ ok: true, objectCount: 0 });
  });

  it('reports unknown sites and generations with a code', async () => {
    const missingSite = store.snapshots.beginGeneration({ siteId: 'site_missing', snapshotId: 's', forest: testForest(), baseDn: BASE_DN });
    await expect(missingSite).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    await expect(store.snapshots.appendObjects(987_654, testObjects(1))).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    await expect(store.snapshots.commitGeneration(987_654, expectedFor([]))).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    await expect(store.snapshots.discardGeneration(987_654, 'x')).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    expect(await store.snapshots.getGeneration(987_654)).toBeUndefined();
  });
});
