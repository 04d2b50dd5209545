/**
 * Full reads cut where an earlier read found the objects (a USN profile), against the real
 * Samba AD DC: what such a read leaves out must hold nothing of the base, and when something
 * could have come into the base without a uSNChanged of its own (a container moved in), it
 * leaves nothing out.
 */
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, ldapDeleteTree, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { Attribute, Change, type Client } from 'ldapts';
import { type ReadHints } from './directory-reader';
import { LdapDirectoryReader, type LdapDirectoryReaderOptions, type ReadPlan } from './ldap-directory-reader';
import { withDcClient } from './testing/dc-client';
import { usnQuantiles } from './usn-ranges';

const FIXTURE = { ou: 'AdReaderProfile', users: 30, groups: 6, contacts: 4, computers: 4 };
const TOTAL = FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers;
let dc: DcConnection;
let baseDn: string;
let outsideDn: string;

type Plan = Extract<ReadPlan, { by: 'usn' }>;

const withClient = <T>(work: (client: Client) => Promise<T>): Promise<T> => withDcClient(dc, work);

async function highestCommittedUsn(): Promise<number> {
  return withClient(async (client) => Number((await client.search('', { scope: 'base', attributes: ['highestCommittedUSN'] })).searchEntries[0]?.['highestCommittedUSN']));
}

async function readAll(overrides: Partial<LdapDirectoryReaderOptions>, hints?: ReadHints): Promise<{ objects: DirectoryObject[]; plan: Plan | undefined }> {
  let plan: Plan | undefined;
  const reader = await LdapDirectoryReader.connect({ url: dc.ldapsUrl, bindDn: dc.bindDn, password: dc.password, tls: { caFile: dc.caFile }, baseDn, pageSize: 7, partition: 'usn', onRangePlan: (p) => (plan = p.by === 'usn' ? p : undefined), ...overrides });
  const objects: DirectoryObject[] = [];
  try {
    for await (const page of reader.readObjects(hints)) objects.push(...page);
  } finally {
    await reader.close();
  }
  return { objects, plan };
}

/** GUID → uSNChanged, sorted: two reads of the same objects compare equal. */
const byGuid = (objects: readonly DirectoryObject[]): [string, number][] => objects.map((o): [string, number] => [o.objectGuid, o.usnChanged]).sort(([a], [b]) => a.localeCompare(b));

/** A profile as the agent keeps it: read from `readUpToUsn`, quantiles of what it returned up to there. */
async function profileRead(): Promise<ReadHints & { readUpToUsn: number }> {
  const readUpToUsn = await highestCommittedUsn();
  const { objects } = await readAll({ parallelism: 2 });
  const usns = objects.map((o) => o.usnChanged).filter((u) => u <= readUpToUsn);
  return { readUpToUsn, usnQuantiles: usnQuantiles(usns), objectCount: usns.length };
}

beforeAll(async () => {
  dc = readDcConnection();
  baseDn = `OU=${FIXTURE.ou},${dc.baseDn}`;
  outsideDn = `OU=${FIXTURE.ou}Outside,${dc.baseDn}`;
  // What an interrupted earlier run may have left behind.
  await ldapDeleteTree(dc, `OU=Branch,${baseDn}`);
  await ldapDeleteTree(dc, outsideDn);
  await ensureFixture(FIXTURE);
  // Created after the base's objects and outside it: USNs above the base's highest.
  await withClient(async (client) => {
    await client.add(outsideDn, [new Attribute({ type: 'objectClass', values: ['organizationalUnit'] })]);
    await client.add(`OU=Branch,${outsideDn}`, [new Attribute({ type: 'objectClass', values: ['organizationalUnit'] })]);
    for (const name of ['branch-user-1', 'branch-user-2']) {
      await client.add(`CN=${name},OU=Branch,${outsideDn}`, [new Attribute({ type: 'objectClass', values: ['user'] }), new Attribute({ type: 'sAMAccountName', values: [name] })]);
    }
    await client.add(`CN=branch-contact,OU=Branch,${outsideDn}`, [new Attribute({ type: 'objectClass', values: ['contact'] })]);
  });
});

afterAll(async () => {
  await ldapDeleteTree(dc, `OU=Branch,${baseDn}`);
  await ldapDeleteTree(dc, outsideDn);
});

describe('full reads cut by a USN profile', () => {
  it('leave out the USNs above the base\'s objects up to the earlier read, and read the same objects', async () => {
    const hints = await profileRead();
    const single = await readAll({ parallelism: 1 });
    const profiled = await readAll({ parallelism: 2 }, hints);
    expect(single.objects).toHaveLength(TOTAL);
    expect(byGuid(profiled.objects)).toEqual(byGuid(single.objects));
    expect(profiled.plan?.fromProfile).toBe(true);
    // The branch outside the base lies in what was left out.
    expect(profiled.plan?.skipped).toEqual({ from: Math.max(...(hints.usnQuantiles ?? [])) + 1, to: hints.readUpToUsn });
  });

  it('leave nothing out once a container moved into the base brought objects with older USNs', async () => {
    const hints = await profileRead();
    await withClient((client) => client.modifyDN(`OU=Branch,${outsideDn}`, `OU=Branch,${baseDn}`));
    const single = await readAll({ parallelism: 1 });
    const moved = single.objects.filter((o) => o.distinguishedName.endsWith(`OU=Branch,${baseDn}`));
    expect(moved.map((o) => o.distinguishedName.split(',')[0]).sort()).toEqual(['CN=branch-contact', 'CN=branch-user-1', 'CN=branch-user-2']);
    // The move did not give them USNs of their own: only the moved container tells.
    for (const o of moved) expect(o.usnChanged).toBeLessThanOrEqual(hints.readUpToUsn);
    for (const o of moved) expect(o.usnChanged).toBeGreaterThan(Math.max(...(hints.usnQuantiles ?? [])));

    const profiled = await readAll({ parallelism: 2 }, hints);
    expect(profiled.plan?.fromProfile).toBe(true);
    expect(profiled.plan?.skipped).toBeUndefined();
    expect(byGuid(profiled.objects)).toEqual(byGuid(single.objects));
    expect(profiled.objects).toHaveLength(TOTAL + 3);
  });

  it('leave nothing out under an admin filter, which may test what uSNChanged does not follow', async () => {
    const filter = '(!(cn=no-such-object))';
    const hints = await profileRead();
    const single = await readAll({ parallelism: 1, filter });
    const profiled = await readAll({ parallelism: 2, filter }, hints);
    expect(profiled.plan?.fromProfile).toBe(true);
    expect(profiled.plan?.skipped).toBeUndefined();
    expect(byGuid(profiled.objects)).toEqual(byGuid(single.objects));
  });

  it('read an object of the base written last, at the DC\'s highest USN, when that read ended there', async () => {
    const { objects } = await readAll({ parallelism: 1 });
    const last = objects[objects.length - 1] as DirectoryObject;
    // Other test files write to the same DC: try again until nothing else was written from this
    // write to the end of the profile's read, so the profile's highest quantile is that object,
    // at the USN the profile was read from.
    let hints: Awaited<ReturnType<typeof profileRead>> | undefined;
    for (let attempt = 0; attempt < 20 && hints === undefined; attempt++) {
      await withClient((client) => client.modify(last.distinguishedName, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [`written last ${Date.now()}`] }) })));
      const read = await profileRead();
      if (Math.max(...(read.usnQuantiles ?? [])) === read.readUpToUsn && (await highestCommittedUsn()) === read.readUpToUsn) hints = read;
    }
    if (hints === undefined) throw new Error('the DC never stayed quiet from a write to the end of the profile read (20 attempts): is something else writing to it all the time?');
    const profiled = await readAll({ parallelism: 2 }, hints);
    expect(profiled.plan?.skipped).toBeUndefined();
    expect(byGuid(profiled.objects)).toEqual(byGuid((await readAll({ parallelism: 1 })).objects));
  });
});
