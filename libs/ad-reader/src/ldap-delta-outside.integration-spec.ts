/**
 * Deltas that look outside an OU base (readChangedSince with OutsideTheBase) against the real
 * Samba AD DC: what left the base is reported, what merely changed around it is not, and a
 * base that moved fails the delta instead of making its objects look gone.
 */
import { type DirectoryObject } from '@syncready/directory';
import { ldapDeleteTree, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { Attribute, Change, type Client } from 'ldapts';
import { AdReaderError } from './ad-reader-error';
import { LdapDirectoryReader } from './ldap-directory-reader';
import { withDcClient } from './testing/dc-client';

const run = Date.now().toString(36);
let dc: DcConnection;
let baseDn: string;
let awayDn: string;
let movingDn: string;
/** objectGUID by the user's CN. */
const guids = new Map<string, string>();

const withClient = <T>(work: (client: Client) => Promise<T>): Promise<T> => withDcClient(dc, work);
const ou = (client: Client, dn: string): Promise<void> => client.add(dn, { objectClass: ['top', 'organizationalUnit'] });
const user = (client: Client, cn: string, parent: string): Promise<void> => client.add(`CN=${cn},${parent}`, { objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: cn });
const setDescription = (client: Client, dn: string, text: string): Promise<void> => client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'description', values: [text] }) }));

async function reader(base = baseDn): Promise<LdapDirectoryReader> {
  return LdapDirectoryReader.connect({ url: dc.ldapsUrl, bindDn: dc.bindDn, password: dc.password, tls: { caFile: dc.caFile }, baseDn: base });
}

/** The DC's highest committed USN now: a cursor for the next delta. */
async function cursor(base = baseDn): Promise<number> {
  const r = await reader(base);
  try {
    return (await r.readForest()).highestCommittedUsn;
  } finally {
    await r.close();
  }
}

/** One delta since `after`, looking outside the base: its upserts, and the objectGUIDs reported outside. */
async function delta(after: number, base = baseDn): Promise<{ upserts: DirectoryObject[]; outside: Set<string> }> {
  const r = await reader(base);
  try {
    const forest = await r.readForest();
    const outside = new Set<string>();
    const upserts: DirectoryObject[] = [];
    for await (const page of r.readChangedSince(after, forest.highestCommittedUsn, { namingContext: forest.defaultNamingContext, found: (guid) => outside.add(guid) })) upserts.push(...page);
    return { upserts, outside };
  } finally {
    await r.close();
  }
}

const cns = (objects: readonly DirectoryObject[]): string[] => objects.map((o) => o.distinguishedName.split(',')[0] ?? '').sort();

beforeAll(async () => {
  dc = readDcConnection();
  baseDn = `OU=DeltaOuté ${run},${dc.baseDn}`;
  awayDn = `OU=DeltaAway ${run},${dc.baseDn}`;
  movingDn = `OU=DeltaMoving ${run},${dc.baseDn}`;
  await withClient(async (client) => {
    await ou(client, baseDn);
    await ou(client, `OU=Inner,${baseDn}`);
    await user(client, `inner-${run}`, `OU=Inner,${baseDn}`);
    await user(client, `stays-${run}`, baseDn);
    await user(client, `leaves-${run}`, baseDn);
    await ou(client, awayDn);
    await user(client, `away-${run}`, awayDn);
    await ou(client, movingDn);
    await user(client, `moving-${run}`, movingDn);
  });
  for (const base of [baseDn, awayDn]) {
    const r = await reader(base);
    try {
      for await (const page of r.readObjects()) for (const o of page) guids.set((o.distinguishedName.split(',')[0] ?? '').slice(3), o.objectGuid);
    } finally {
      await r.close();
    }
  }
  expect([...guids.keys()].sort()).toEqual([`away-${run}`, `inner-${run}`, `leaves-${run}`, `stays-${run}`].sort());
});

afterAll(async () => {
  if (!dc) return;
  for (const dn of [baseDn, awayDn, movingDn, `OU=DeltaMoved ${run},${dc.baseDn}`]) await ldapDeleteTree(dc, dn);
});

describe('deltas that look outside the base', () => {
  it('read and report nothing below an OU whose description or GPO link changed, inside the base or outside it', async () => {
    const from = await cursor();
    await withClient(async (client) => {
      await setDescription(client, `OU=Inner,${baseDn}`, `changed ${run}`);
      await setDescription(client, awayDn, `changed ${run}`);
      await client.modify(awayDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'gPLink', values: [`[LDAP://CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,${dc.baseDn};0]`] }) }));
    });
    const { upserts, outside } = await delta(from);
    expect(upserts).toEqual([]);
    expect(outside.has(guids.get(`away-${run}`) ?? '')).toBe(false);
  });

  it('report an object moved out alone and the objects of an OU moved out with it, and only those', async () => {
    const from = await cursor();
    await withClient(async (client) => {
      await client.modifyDN(`OU=Inner,${baseDn}`, `OU=Inner,${awayDn}`);
      await client.modifyDN(`CN=leaves-${run},${baseDn}`, `CN=leaves-${run},${awayDn}`);
    });
    const { upserts, outside } = await delta(from);
    expect(upserts).toEqual([]);
    expect(outside.has(guids.get(`inner-${run}`) ?? '')).toBe(true);
    expect(outside.has(guids.get(`leaves-${run}`) ?? '')).toBe(true);
    expect(outside.has(guids.get(`stays-${run}`) ?? '')).toBe(false);
    expect(outside.has(guids.get(`away-${run}`) ?? '')).toBe(false);
  });

  it('send the objects of an OU moved back in, under their new DN, and report them no longer', async () => {
    const from = await cursor();
    await withClient((client) => client.modifyDN(`OU=Inner,${awayDn}`, `OU=Inner,${baseDn}`));
    const { upserts, outside } = await delta(from);
    expect(upserts.map((o) => o.distinguishedName)).toEqual([`CN=inner-${run},OU=Inner,${baseDn}`]);
    expect(outside.has(guids.get(`inner-${run}`) ?? '')).toBe(false);
  });

  it('tell inside from outside as the DC spells the base, whatever the spelling configured', async () => {
    // The é as UTF-8 hex escapes, lower case, spaces after the commas: the DC answers with é.
    const spelled = baseDn.replace('é', '\\C3\\A9').toLowerCase().replace(/,/g, ', ');
    expect(spelled).toContain('\\c3\\a9');
    const from = await cursor(spelled);
    await withClient((client) => setDescription(client, `CN=stays-${run},${baseDn}`, `changed ${run}`));
    const { upserts, outside } = await delta(from, spelled);
    expect(cns(upserts)).toEqual([`CN=stays-${run}`]);
    expect(outside.has(guids.get(`stays-${run}`) ?? '')).toBe(false);
  });

  it('fail, reporting nothing, when the base itself moved: its objects have not left it', async () => {
    const from = await cursor(movingDn);
    await withClient((client) => client.modifyDN(movingDn, `OU=DeltaMoved ${run},${dc.baseDn}`));
    const outside = new Set<string>();
    const r = await reader(movingDn);
    let failure: unknown;
    try {
      const forest = await r.readForest();
      for await (const page of r.readChangedSince(from, forest.highestCommittedUsn, { namingContext: forest.defaultNamingContext, found: (guid) => outside.add(guid) })) void page;
    } catch (err) {
      failure = err;
    } finally {
      await r.close();
    }
    expect(failure).toBeInstanceOf(AdReaderError);
    expect((failure as AdReaderError).code).toBe('LDAP.SEARCH_FAILED');
    expect((failure as AdReaderError).message).toMatch(/no object at the search base .* set ldap\.baseDn/);
    expect(outside.size).toBe(0);
  });
});
