/** Parallel reads (split by parent, or by uSNChanged range) against the real Samba AD DC, compared with one paged search. */
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { Attribute, Change, type Client, type Filter } from 'ldapts';
import { dnKey } from './dn-keys';
import { guidSliceFilter } from './guid-slices';
import { LdapDirectoryReader, type LdapDirectoryReaderOptions, type ReadPlan } from './ldap-directory-reader';
import { withDcClient } from './testing/dc-client';

const FIXTURE = { ou: 'AdReaderParallel', users: 40, groups: 8, contacts: 6, computers: 6 };
const TOTAL = FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers;
let dc: DcConnection;
let baseDn: string;

function options(overrides: Partial<LdapDirectoryReaderOptions> = {}): LdapDirectoryReaderOptions {
  return { url: dc.ldapsUrl, bindDn: dc.bindDn, password: dc.password, tls: { caFile: dc.caFile }, baseDn, pageSize: 5, ...overrides };
}

let lastPlan: ReadPlan | undefined;

/** Reads everything; `between` runs after the first page, while the other searches are open. */
async function readAll(overrides: Partial<LdapDirectoryReaderOptions>, between?: () => Promise<void>): Promise<DirectoryObject[]> {
  lastPlan = undefined;
  const reader = await LdapDirectoryReader.connect(options({ onRangePlan: (plan) => (lastPlan = plan), ...overrides }));
  const objects: DirectoryObject[] = [];
  try {
    for await (const page of reader.readObjects()) {
      if (objects.length === 0 && between) await between();
      objects.push(...page);
    }
  } finally {
    await reader.close();
  }
  return objects;
}

/** GUID → highest uSNChanged read: what the control plane's store keeps. */
function latest(objects: readonly DirectoryObject[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const o of objects) map.set(o.objectGuid, Math.max(o.usnChanged, map.get(o.objectGuid) ?? 0));
  return map;
}

const withClient = <T>(work: (client: Client) => Promise<T>): Promise<T> => withDcClient(dc, work);

async function modify(dns: readonly string[], value: string): Promise<void> {
  await withClient(async (client) => {
    for (const dn of dns) {
      await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [value] }) }));
    }
  });
}

/** Moves each object to `parentDn` (same RDN); returns the new DNs. */
async function move(dns: readonly string[], parentDn: string): Promise<string[]> {
  return withClient(async (client) => {
    const moved: string[] = [];
    for (const dn of dns) {
      const rdn = dn.slice(0, dn.search(/(?<!\\),/));
      await client.modifyDN(dn, `${rdn},${parentDn}`);
      moved.push(`${rdn},${parentDn}`);
    }
    return moved;
  });
}

beforeAll(async () => {
  dc = readDcConnection();
  baseDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  await ensureFixture(FIXTURE);
});

describe('LdapDirectoryReader parallel reads', () => {
  it.each([
    ['parent', 2],
    ['parent', 3],
    ['parent', 8],
    ['usn', 2],
    ['usn', 3],
    ['usn', 8],
  ] as const)('reads exactly the objects one paged search reads, split by %s at parallelism %i', async (partition, parallelism) => {
    const single = await readAll({ parallelism: 1 });
    const parallel = await readAll({ parallelism, partition });
    expect(lastPlan?.by).toBe(partition);
    if (lastPlan?.by === 'parent') {
      // The base and its four sub-OUs, deepest first: nothing of the domain outside the base.
      expect(lastPlan.parents).toHaveLength(5);
      expect(lastPlan.parents[4]).toBe(baseDn);
      for (const dn of lastPlan.parents) expect(dn.toLowerCase().endsWith(baseDn.toLowerCase())).toBe(true);
    }
    expect(single).toHaveLength(TOTAL);
    expect(parallel).toHaveLength(TOTAL);
    expect(latest(parallel)).toEqual(latest(single));
    const byGuid = new Map(single.map((o) => [o.objectGuid, o]));
    for (const o of parallel) expect(o).toEqual(byGuid.get(o.objectGuid));
  });

  it.each(['parent', 'usn'] as const)('loses nothing and keeps the newest version of objects modified during a read split by %s', async (partition) => {
    const before = await readAll({ parallelism: 1 });
    // Spread over the USN span: some in ranges already read, some not yet.
    const sorted = [...before].sort((a, b) => a.usnChanged - b.usnChanged);
    const targets = [0, 1, 15, 30, 45, TOTAL - 2, TOTAL - 1].map((i) => sorted[i] as DirectoryObject);
    const stamp = `parallel-read ${Date.now()}`;
    const during = await readAll({ parallelism: 2, partition }, () => modify(targets.map((o) => o.distinguishedName), stamp));
    expect(lastPlan?.by).toBe(partition);
    const after = await readAll({ parallelism: 1 });

    expect(latest(during)).toEqual(latest(after));
    expect(latest(during).size).toBe(TOTAL);
    // The newest copy of each modified object carries the change.
    for (const t of targets) {
      const newest = during.filter((o) => o.objectGuid === t.objectGuid).sort((a, b) => b.usnChanged - a.usnChanged)[0];
      expect(newest?.usnChanged).toBeGreaterThan(t.usnChanged);
      expect(newest?.attributes['displayName']).toEqual([stamp]);
    }
    // Anything read twice is a modified object; unmodified objects come exactly once.
    const counts = new Map<string, number>();
    for (const o of during) counts.set(o.objectGuid, (counts.get(o.objectGuid) ?? 0) + 1);
    const targetGuids = new Set(targets.map((t) => t.objectGuid));
    for (const [guid, n] of counts) if (!targetGuids.has(guid)) expect(n).toBe(1);
  });

  it('starts with the parent the last read found biggest, and reads the same objects', async () => {
    const single = await readAll({ parallelism: 1 });
    const contactsOu = `OU=Contacts,${baseDn}`;
    const reader = await LdapDirectoryReader.connect(options({ parallelism: 2, onRangePlan: (plan) => (lastPlan = plan) }));
    const objects: DirectoryObject[] = [];
    try {
      for await (const page of reader.readObjects({ parentCounts: { [dnKey(contactsOu)]: 5_000, [dnKey(baseDn)]: 3 } })) objects.push(...page);
    } finally {
      await reader.close();
    }
    expect(lastPlan?.by === 'parent' && lastPlan.parents[0]?.toLowerCase()).toBe(contactsOu.toLowerCase());
    expect(latest(objects)).toEqual(latest(single));
    expect(objects).toHaveLength(TOTAL);
  });

  it('loses nothing when objects move between OUs during a read split by parent', async () => {
    const usersOu = `OU=Users,${baseDn}`;
    const groupsOu = `OU=Groups,${baseDn}`;
    const users = (await readAll({ parallelism: 1 })).filter((o) => o.distinguishedName.toLowerCase().endsWith(`,${usersOu}`.toLowerCase())).slice(0, 6);
    expect(users).toHaveLength(6);
    let moved: string[] = [];
    try {
      // Into a parent read before or after the Users OU, whichever order the lanes take.
      const during = await readAll({ parallelism: 2, partition: 'parent', pageSize: 3 }, async () => {
        moved = await move(
          users.map((u) => u.distinguishedName),
          groupsOu,
        );
      });
      expect(lastPlan?.by).toBe('parent');
      const after = await readAll({ parallelism: 1 });
      expect(latest(during)).toEqual(latest(after));
      const newest = new Map(during.map((o) => [o.objectGuid, o]));
      for (const o of during) if (o.usnChanged > (newest.get(o.objectGuid)?.usnChanged ?? 0)) newest.set(o.objectGuid, o);
      for (const u of users) expect(newest.get(u.objectGuid)?.distinguishedName.toLowerCase().endsWith(`,${groupsOu}`.toLowerCase())).toBe(true);
    } finally {
      if (moved.length > 0) await move(moved, usersOu);
    }
  });

  it('splits by USN when the base is not a possible parent of what it reads (a single computer)', async () => {
    const computer = (await readAll({ parallelism: 1 })).find((o) => o.kind === 'computer') as DirectoryObject;
    const single = await readAll({ parallelism: 1, baseDn: computer.distinguishedName });
    const parallel = await readAll({ parallelism: 2, baseDn: computer.distinguishedName });
    expect(lastPlan?.by).toBe('usn');
    expect(single.map((o) => o.objectGuid)).toEqual([computer.objectGuid]);
    expect(latest(parallel)).toEqual(latest(single));
  });

  it("cuts an OU's children into GUID slices of about equal size that hold each exactly once", async () => {
    const usersOu = `OU=Users,${baseDn}`;
    const dns = async (filter?: Filter): Promise<string[]> =>
      withClient(async (client) => (await client.search(usersOu, { scope: 'one', ...(filter ? { filter } : {}), attributes: ['1.1'] })).searchEntries.map((e) => e.dn));
    const all = await dns();
    const halves = [await dns(guidSliceFilter({ index: 0, count: 2 })), await dns(guidSliceFilter({ index: 1, count: 2 }))];
    expect([...(halves[0] ?? []), ...(halves[1] ?? [])].sort()).toEqual([...all].sort());
    // objectGUIDs are random: with 40 users, a half below 6 would happen about once in a million.
    for (const half of halves) expect(half.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses a parallelism outside 1..8 with LDAP.CONFIG', async () => {
    await expect(LdapDirectoryReader.connect(options({ parallelism: 9 }))).rejects.toMatchObject({ code: 'LDAP.CONFIG' });
  });
});
