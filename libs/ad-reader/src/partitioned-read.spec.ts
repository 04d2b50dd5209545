import { LatestVersionDigest, type DirectoryObject } from '@syncready/directory';
import { DEFAULT_PARENT, InMemoryUsnDirectory } from './in-memory-usn-directory';
import { readPartitioned, type PartitionedReadOptions } from './partitioned-read';

const guid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A directory whose objects sit in uneven USN bands, as on a real DC. */
function seed(dir: InMemoryUsnDirectory, count: number): void {
  for (let i = 0; i < count; i++) {
    dir.write(guid(i));
    if (i % 17 === 0) dir.skipUsns(40);
  }
}

async function readAll(dir: InMemoryUsnDirectory, options: Partial<PartitionedReadOptions> = {}): Promise<DirectoryObject[]> {
  const objects: DirectoryObject[] = [];
  for await (const page of readPartitioned(dir, { lanes: 2, highestUsn: dir.highestCommittedUsn, ...options })) objects.push(...page);
  return objects;
}

/** GUID → highest USN read, as the control plane's store keeps it. */
function latest(objects: readonly DirectoryObject[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const o of objects) map.set(o.objectGuid, Math.max(o.usnChanged, map.get(o.objectGuid) ?? 0));
  return map;
}

describe('readPartitioned', () => {
  it('reads the ranges of a plan, and only those', async () => {
    const dir = new InMemoryUsnDirectory(5);
    seed(dir, 60);
    const highestUsn = dir.highestCommittedUsn;
    const plan = { ranges: [{ from: 1, to: 30 }, { from: 31, to: 90 }, { from: 101, to: highestUsn }], skipped: { from: 91, to: 100 } };
    const objects = await readAll(dir, { highestUsn, plan });
    expect(new Set(dir.pagesServed.map((p) => `${p.range?.from}-${p.range?.to ?? ''}`))).toEqual(new Set(['1-30', '31-90', `101-${highestUsn}`, `${highestUsn + 1}-`]));
    expect(latest(objects)).toEqual(new Map([...dir.snapshot()].filter(([, usn]) => usn < 91 || usn > 100)));
  });

  it.each([
    ['a gap', { ranges: [{ from: 1, to: 30 }, { from: 32, to: 500 }] }],
    ['an overlap', { ranges: [{ from: 1, to: 30 }, { from: 30, to: 500 }] }],
    ['a range past the highest USN', { ranges: [{ from: 1, to: 501 }] }],
    ['a skip that overlaps a range', { ranges: [{ from: 1, to: 500 }], skipped: { from: 400, to: 450 } }],
  ])('refuses a plan with %s before searching anything', async (_what, plan) => {
    const dir = new InMemoryUsnDirectory(5);
    await expect(readAll(dir, { highestUsn: 500, plan })).rejects.toThrow(RangeError);
    expect(dir.pagesServed).toEqual([]);
  });

  it.each([1, 2, 3, 8])('reads every object exactly once over %i lanes', async (lanes) => {
    const dir = new InMemoryUsnDirectory(7);
    seed(dir, 200);
    const objects = await readAll(dir, { lanes });
    expect(objects).toHaveLength(200);
    expect(latest(objects)).toEqual(dir.snapshot());
    expect(dir.openSearches).toBe(0);
  });

  it('reads a directory with no USNs yet through the tail pass alone', async () => {
    const dir = new InMemoryUsnDirectory(5);
    const objects = await readAll(dir, { highestUsn: 0 });
    expect(objects).toEqual([]);
    expect(dir.pagesServed.map((p) => p.range)).toEqual([{ from: 1 }]);
  });

  it('hands ranges to whichever lane is free, so a slow range does not hold back the rest', async () => {
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    let firstRangeStart = -1;
    const dir = new InMemoryUsnDirectory(5, async (_lane, range, pageIndex) => {
      if (firstRangeStart === -1) firstRangeStart = range?.from ?? -1;
      if (range?.from === firstRangeStart && pageIndex === 0) await slow;
    });
    seed(dir, 100);
    const reading = readAll(dir, { lanes: 2, rangesPerLane: 4 });
    // With ranges fixed per lane, lane 1 would stop after its own four; with a shared queue it
    // takes all seven others while lane 0 is stuck, and only then is the slow one released.
    const otherLane = async (): Promise<void> => {
      while (new Set(dir.pagesServed.filter((p) => p.lane === 1).map((p) => p.range?.from)).size < 7) await new Promise((r) => setImmediate(r));
    };
    await otherLane();
    releaseSlow();
    const objects = await reading;
    expect(latest(objects)).toEqual(dir.snapshot());
    expect(new Set(dir.pagesServed.filter((p) => p.lane === 0 && p.range?.to !== undefined).map((p) => p.range?.from))).toEqual(new Set([firstRangeStart]));
  });

  it('loses nothing and counts nothing twice when objects change during the read', async () => {
    let modified = false;
    const dir = new InMemoryUsnDirectory(4, (_lane, _range, pageIndex) => {
      if (modified || pageIndex !== 1) return;
      modified = true;
      // Objects in ranges already read, not yet read and being read; one new object.
      for (const i of [0, 3, 50, 51, 99, 150, 199]) dir.write(guid(i));
      dir.write(guid(1000));
    });
    seed(dir, 200);
    const highestUsn = dir.highestCommittedUsn;
    const objects = await readAll(dir, { lanes: 3, highestUsn });
    expect(modified).toBe(true);
    expect(latest(objects)).toEqual(dir.snapshot());
    const digest = new LatestVersionDigest();
    const sent = objects.filter((o) => digest.offer(o.objectGuid, o.usnChanged) !== 'stale');
    expect(digest.size).toBe(201);
    const expected = new LatestVersionDigest();
    for (const [g, u] of dir.snapshot()) expected.offer(g, u);
    expect(digest.toString()).toBe(expected.toString());
    // What reaches the store ends as the final state: the last version sent per GUID.
    expect(latest(sent)).toEqual(dir.snapshot());
    expect(objects.filter((o) => o.usnChanged > highestUsn).map((o) => o.objectGuid).sort()).toEqual([0, 3, 50, 51, 99, 150, 199, 1000].map(guid).sort());
  });

  it('lets the consumer set the pace: queued pages stay bounded while it is slow', async () => {
    let consumed = 0;
    let maxAhead = 0;
    const dir = new InMemoryUsnDirectory(3, () => {
      maxAhead = Math.max(maxAhead, dir.pagesServed.length - consumed);
    });
    seed(dir, 120);
    for await (const page of readPartitioned(dir, { lanes: 3, highestUsn: dir.highestCommittedUsn, maxQueuedPages: 2 })) {
      expect(page.length).toBeGreaterThan(0);
      consumed++;
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
    // Pages served count empty end-of-range pages too; queued (2) + one in flight per lane (3).
    expect(maxAhead).toBeLessThanOrEqual(2 + 3 + 1);
    expect(consumed).toBeGreaterThan(40);
  });

  it('fails with the first search error and closes every search', async () => {
    const boom = Object.assign(new Error('search failed'), { code: 'LDAP.SEARCH_FAILED' });
    const dir = new InMemoryUsnDirectory(3, (lane, _range, pageIndex) => {
      if (lane === 1 && pageIndex === 2) throw boom;
    });
    seed(dir, 100);
    await expect(readAll(dir, { lanes: 2 })).rejects.toBe(boom);
    expect(dir.openSearches).toBe(0);
  });

  it('stops every lane when the consumer stops early', async () => {
    const dir = new InMemoryUsnDirectory(3);
    seed(dir, 100);
    for await (const page of readPartitioned(dir, { lanes: 3, highestUsn: dir.highestCommittedUsn })) {
      expect(page.length).toBeGreaterThan(0);
      break;
    }
    expect(dir.openSearches).toBe(0);
    expect(dir.pagesServed.length).toBeLessThan(15);
  });

  describe('split by parent', () => {
    const PARENTS = [DEFAULT_PARENT, 'OU=Users,OU=Staff', 'OU=Groups,OU=Staff', 'OU=Empty,OU=Staff'];
    const seedParents = (dir: InMemoryUsnDirectory, count: number): void => {
      for (let i = 0; i < count; i++) dir.write(guid(i), PARENTS[i % 3]);
    };

    it.each([1, 2, 3])('reads every object once, in GUID slices of each parent, over %i lanes', async (lanes) => {
      const dir = new InMemoryUsnDirectory(7);
      seedParents(dir, 300);
      const objects = await readAll(dir, { lanes, parents: PARENTS });
      expect(objects).toHaveLength(300);
      expect(latest(objects)).toEqual(dir.snapshot());
      // Few parents: each searched once per lane, a slice each time.
      const searched = dir.pagesServed.filter((p) => p.parent !== undefined).map((p) => `${p.parent} ${p.slice ? `${p.slice.index}/${p.slice.count}` : 'all'}`);
      expect(new Set(searched)).toEqual(new Set(PARENTS.flatMap((parent) => Array.from({ length: lanes }, (_, i) => `${parent} ${lanes === 1 ? 'all' : `${i}/${lanes}`}`))));
      // Only the tail pass searches by USN: above the highest USN read at the start.
      expect(dir.pagesServed.filter((p) => p.range !== undefined).map((p) => p.range)).toEqual([{ from: dir.highestCommittedUsn + 1 }]);
      expect(dir.openSearches).toBe(0);
    });

    it('searches each parent whole when there are many of them (the queue then spreads them)', async () => {
      const dir = new InMemoryUsnDirectory(7);
      const many = Array.from({ length: 16 }, (_, i) => `OU=${i},OU=Staff`);
      for (let i = 0; i < 200; i++) dir.write(guid(i), many[i % 16]);
      const objects = await readAll(dir, { lanes: 2, parents: many });
      expect(latest(objects)).toEqual(dir.snapshot());
      expect(objects).toHaveLength(200);
      expect(dir.pagesServed.some((p) => p.slice !== undefined)).toBe(false);
    });

    it('slices only the parents a slicesPerParent function picks', async () => {
      const dir = new InMemoryUsnDirectory(7);
      seedParents(dir, 300);
      const big = PARENTS[1] as string;
      const objects = await readAll(dir, { lanes: 2, parents: PARENTS, slicesPerParent: (parent) => (parent === big ? 3 : 1) });
      expect(latest(objects)).toEqual(dir.snapshot());
      expect(objects).toHaveLength(300);
      const sliced = new Set(dir.pagesServed.filter((p) => p.slice !== undefined).map((p) => `${p.parent} ${p.slice?.index}/${p.slice?.count}`));
      expect(sliced).toEqual(new Set([`${big} 0/3`, `${big} 1/3`, `${big} 2/3`]));
    });

    it('refuses a slice count outside 1..256 before searching', async () => {
      const dir = new InMemoryUsnDirectory(5);
      await expect(readAll(dir, { parents: PARENTS, slicesPerParent: 0 })).rejects.toThrow(RangeError);
      await expect(readAll(dir, { parents: PARENTS, slicesPerParent: 257 })).rejects.toThrow(RangeError);
      expect(dir.pagesServed).toEqual([]);
    });

    it('loses nothing when objects move between parents, change, or are added during the read', async () => {
      let changed = false;
      const dir = new InMemoryUsnDirectory(4, (_lane, _range, pageIndex) => {
        if (changed || pageIndex !== 1) return;
        changed = true;
        // Moved from a parent not yet read into one already read, and the other way; modified; added.
        for (let i = 0; i < 30; i += 3) dir.write(guid(i), PARENTS[2]);
        for (let i = 2; i < 30; i += 3) dir.write(guid(i), DEFAULT_PARENT);
        dir.write(guid(40));
        dir.write(guid(1000), PARENTS[1]);
      });
      seedParents(dir, 90);
      const highestUsn = dir.highestCommittedUsn;
      const objects = await readAll(dir, { lanes: 2, highestUsn, parents: PARENTS });
      expect(changed).toBe(true);
      expect(latest(objects)).toEqual(dir.snapshot());
      expect(new Set(objects.map((o) => o.objectGuid)).size).toBe(91);
    });

    it('refuses an empty list of parents, or a source that cannot search children, before searching', async () => {
      const dir = new InMemoryUsnDirectory(5);
      await expect(readAll(dir, { parents: [] })).rejects.toThrow(RangeError);
      const rangesOnly = { search: dir.search.bind(dir) };
      await expect(readPartitioned(rangesOnly, { lanes: 2, highestUsn: 10, parents: PARENTS }).next()).rejects.toThrow(RangeError);
      expect(dir.pagesServed).toEqual([]);
    });
  });

  it('refuses a lane count that is not a positive integer', async () => {
    await expect(readAll(new InMemoryUsnDirectory(3), { lanes: 0 })).rejects.toThrow(RangeError);
  });
});
