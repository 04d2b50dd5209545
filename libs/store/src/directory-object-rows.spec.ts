import type { DirectoryObject } from '@syncready/directory';
import { fromObjectRow, toObjectRows } from './directory-object-rows';
import { testGuid } from './testing/fixtures';

const object = (n: number, usnChanged: number, cn = `o${n}`): DirectoryObject => ({
  objectGuid: testGuid(n, 5),
  distinguishedName: `CN=${cn}`,
  kind: 'user',
  usnChanged,
  attributes: { cn: [cn] },
});

describe('toObjectRows', () => {
  it('keeps one row per GUID, the highest uSNChanged winning and the later one on a tie', () => {
    const rows = toObjectRows(1, [object(2, 10), object(1, 5, 'old'), object(1, 9, 'new'), object(1, 7, 'stale'), object(2, 10, 'later')]);
    expect(rows.map((row) => [row.object_guid, row.usn_changed, row.distinguished_name])).toEqual([
      [testGuid(1, 5), 9, 'CN=new'],
      [testGuid(2, 5), 10, 'CN=later'],
    ]);
  });

  it('round-trips an object through its row exactly', () => {
    const original: DirectoryObject = {
      objectGuid: testGuid(3, 5),
      distinguishedName: 'CN=Zoë',
      kind: 'computer',
      usnChanged: 2 ** 52,
      attributes: { servicePrincipalName: ['HOST/b', 'HOST/a', ''], 'msDS-X': ['ü\u0000'] },
    };
    const [row] = toObjectRows(4, [original]);
    expect(row === undefined ? undefined : fromObjectRow(row)).toEqual(original);
  });

  it.each([
    ['an upper-case GUID', { objectGuid: 'ABCDEF00-0000-0000-0000-000000000000' }],
    ['a GUID without dashes', { objectGuid: 'abcdef00000000000000000000000000' }],
    ['an unknown kind', { kind: 'printer' }],
    ['a negative uSNChanged', { usnChanged: -1 }],
    ['an unsafe uSNChanged', { usnChanged: 2 ** 53 }],
  ])('rejects %s with STORE.INVALID_ARGUMENT', (_, change) => {
    const bad = { ...object(1, 1), ...change } as DirectoryObject;
    expect(() => toObjectRows(1, [object(2, 1), bad])).toThrow(expect.objectContaining({ code: 'STORE.INVALID_ARGUMENT' }));
  });
});
