/** Parallel uSNChanged-range reads against the real Samba AD DC, compared with one paged search. */
import { readFileSync } from 'node:fs';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { Attribute, Change, Client } from 'ldapts';
import { LdapDirectoryReader, type LdapDirectoryReaderOptions } from './ldap-directory-reader';

const FIXTURE = { ou: 'AdReaderParallel', users: 40, groups: 8, contacts: 6, computers: 6 };
const TOTAL = FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers;
let dc: DcConnection;
let baseDn: string;

function options(overrides: Partial<LdapDirectoryReaderOptions> = {}): LdapDirectoryReaderOptions {
  return { url: dc.ldapsUrl, bindDn: dc.bindDn, password: dc.password, tls: { caFile: dc.caFile }, baseDn, pageSize: 5, ...overrides };
}

/** Reads everything; `between` runs after the first page, while the other searches are open. */
async function readAll(overrides: Partial<LdapDirectoryReaderOptions>, between?: () => Promise<void>): Promise<DirectoryObject[]> {
  const reader = await LdapDirectoryReader.connect(options(overrides));
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

async function modify(dns: readonly string[], value: string): Promise<void> {
  const client = new Client({ url: dc.ldapsUrl, tlsOptions: { ca: [readFileSync(dc.caFile)] } });
  try {
    await client.bind(dc.bindDn, dc.password);
    for (const dn of dns) {
      await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [value] }) }));
    }
  } finally {
    await client.unbind();
  }
}

beforeAll(async () => {
  dc = readDcConnection();
  baseDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  await ensureFixture(FIXTURE);
});

describe('LdapDirectoryReader parallel reads', () => {
  it.each([2, 3, 8])('reads exactly the objects one paged search reads, at parallelism %i', async (parallelism) => {
    const single = await readAll({ parallelism: 1 });
    const parallel = await readAll({ parallelism });
    expect(single).toHaveLength(TOTAL);
    expect(parallel).toHaveLength(TOTAL);
    expect(latest(parallel)).toEqual(latest(single));
    const byGuid = new Map(single.map((o) => [o.objectGuid, o]));
    for (const o of parallel) expect(o).toEqual(byGuid.get(o.objectGuid));
  });

  it('loses nothing and keeps the newest version of objects modified during the read', async () => {
    const before = await readAll({ parallelism: 1 });
    // Spread over the USN span: some in ranges already read, some not yet.
    const sorted = [...before].sort((a, b) => a.usnChanged - b.usnChanged);
    const targets = [0, 1, 15, 30, 45, TOTAL - 2, TOTAL - 1].map((i) => sorted[i] as DirectoryObject);
    const stamp = `parallel-read ${Date.now()}`;
    const during = await readAll({ parallelism: 2 }, () => modify(targets.map((o) => o.distinguishedName), stamp));
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

  it('refuses a parallelism outside 1..8 with LDAP.CONFIG', async () => {
    await expect(LdapDirectoryReader.connect(options({ parallelism: 9 }))).rejects.toMatchObject({ code: 'LDAP.CONFIG' });
  });
});
