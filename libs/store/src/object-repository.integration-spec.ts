import { OBJECT_KINDS, type DirectoryObject, type ObjectKind } from '@syncready/directory';
import type { Store } from './store';
import { expectedFor, storeFactories, testForest, testObjects } from './testing';
import { ALL_ORGANIZATIONS as ALL } from './access-scope';

const BASE_DN = 'DC=corp,DC=example,DC=com';

describe.each(storeFactories())('ObjectRepository on $name', (factory) => {
  let store: Store;
  let siteId: string;
  let generationId: number;
  // Written in a scrambled order (7919 is prime to 2500, so this is a permutation), so the
  // order of writes cannot leak into the order of reads.
  const generated = testObjects(2500, { seed: 11 });
  const objects = generated.map((_, i) => generated[(i * 7919) % generated.length]!);

  beforeAll(async () => {
    store = await factory.open();
    siteId = (await store.sites.ensureSite('paging')).id;
    ({ generationId } = await store.snapshots.beginGeneration({ siteId, snapshotId: 'snap', forest: testForest(), baseDn: BASE_DN }));
    for (let start = 0; start < objects.length; start += 1000) {
      await store.snapshots.appendObjects(generationId, objects.slice(start, start + 1000));
    }
    await store.snapshots.commitGeneration(generationId, expectedFor(objects));
  });
  afterAll(() => factory.cleanup());

  async function readAll(kind: ObjectKind | undefined, limit: number): Promise<{ items: DirectoryObject[]; pages: number }> {
    const items: DirectoryObject[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await store.objects.listObjects(siteId, { ...(kind === undefined ? {} : { kind }), limit, ...(after === undefined ? {} : { after }) }, ALL);
      pages++;
      items.push(...page.items);
      if (page.nextCursor === null) return { items, pages };
      expect(page.items).toHaveLength(limit);
      expect(page.nextCursor).toBe(page.items.at(-1)?.objectGuid);
      after = page.nextCursor;
    }
  }

  const byGuid = (a: DirectoryObject, b: DirectoryObject): number => (a.objectGuid < b.objectGuid ? -1 : 1);

  it('visits every object exactly once, in objectGuid order', async () => {
    const { items, pages } = await readAll(undefined, 300);
    expect(pages).toBe(9);
    expect(items).toEqual([...objects].sort(byGuid));
  });

  it.each(OBJECT_KINDS)('visits every %s exactly once with the kind filter', async (kind) => {
    const { items } = await readAll(kind, 97);
    expect(items).toEqual(objects.filter((object) => object.kind === kind).sort(byGuid));
  });

  it('ends on a full last page without an extra empty one', async () => {
    const { pages } = await readAll('user', 625); // exactly 625 users
    expect(pages).toBe(1);
  });

  it('summarises the current generation, zeros included', async () => {
    expect(await store.objects.summary(siteId, ALL)).toEqual({
      siteId,
      generation: generationId,
      lastSnapshotAt: (await store.sites.getSite(siteId, ALL))?.lastSnapshotAt,
      counts: { user: 625, group: 625, contact: 625, computer: 625 },
      total: 2500,
      forest: testForest(),
      baseDn: BASE_DN,
    });

    const usersOnly = testObjects(4, { seed: 12 }).filter((object) => object.kind === 'user');
    const other = await store.sites.ensureSite('summary-users-only');
    const { generationId: g } = await store.snapshots.beginGeneration({ siteId: other.id, snapshotId: 's', forest: testForest(), baseDn: 'DC=x' });
    await store.snapshots.appendObjects(g, usersOnly);
    await store.snapshots.commitGeneration(g, expectedFor(usersOnly));
    expect(await store.objects.summary(other.id, ALL)).toMatchObject({ counts: { user: 1, group: 0, contact: 0, computer: 0 }, total: 1, baseDn: 'DC=x' });
  });

  it('serves nothing for a site without a current generation, and reports unknown sites', async () => {
    const empty = await store.sites.ensureSite('no-generation-yet');
    expect(await store.objects.listObjects(empty.id, { limit: 10 }, ALL)).toEqual({ items: [], nextCursor: null });
    expect(await store.objects.summary(empty.id, ALL)).toEqual({
      siteId: empty.id,
      generation: null,
      lastSnapshotAt: null,
      counts: { user: 0, group: 0, contact: 0, computer: 0 },
      total: 0,
      forest: null,
      baseDn: null,
    });
    expect(await store.objects.getObject(empty.id, objects[0]!.objectGuid, ALL)).toBeUndefined();
    expect(await store.objects.summary('site_missing', ALL)).toBeUndefined();
    await expect(store.objects.listObjects('site_missing', { limit: 10 }, ALL)).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
  });

  it('finds one object of the current generation by GUID', async () => {
    expect(await store.objects.getObject(siteId, objects[42]!.objectGuid, ALL)).toEqual(objects[42]);
  });

  it.each([0, -1, 1.5, 5001])('rejects page size %p with a code', async (limit) => {
    await expect(store.objects.listObjects(siteId, { limit }, ALL)).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
