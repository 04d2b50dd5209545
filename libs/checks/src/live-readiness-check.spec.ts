import { type DirectoryObject } from '@syncready/directory';
import { type Finding } from './finding';
import { type LiveReadinessCheck, createLiveReadinessCheck } from './live-readiness-check';
import { checkDirectory } from './readiness-check';
import { type CheckOptions } from './readiness-checker';
import { type TestAttributes, testForest, testObject, testUser } from './testing/directory-objects';

/** GUIDs in a known order: g(1) < g(2) < … */
const g = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function user(n: number, cn: string, attributes: TestAttributes, dn?: string): DirectoryObject {
  return { ...testUser(cn, attributes), objectGuid: g(n), ...(dn ? { distinguishedName: dn } : {}) };
}

function contact(n: number, cn: string, attributes: TestAttributes): DirectoryObject {
  return { ...testObject('contact', cn, attributes), objectGuid: g(n) };
}

/** One change to apply: an object to upsert, or a GUID number to remove. */
type Change = DirectoryObject | number;

/**
 * Applies the steps to a live check; after each, its result must equal a full run over the
 * objects held (GUID order). Returns the duplicate findings after each step as `cn attribute value`.
 */
function run(options: CheckOptions, steps: readonly (readonly Change[])[]): string[][] {
  const live: LiveReadinessCheck = createLiveReadinessCheck(options);
  const held = new Map<string, DirectoryObject>();
  return steps.map((changes) => {
    for (const change of changes) {
      if (typeof change === 'number') {
        live.remove(g(change));
        held.delete(g(change));
      } else {
        live.upsert(change);
        held.set(change.objectGuid, change);
      }
    }
    const result = live.result();
    const ordered = [...held.values()].sort((a, b) => (a.objectGuid < b.objectGuid ? -1 : 1));
    expect(result).toEqual(checkDirectory(ordered, options));
    return result.findings.filter((f: Finding) => f.errors.includes('duplicate')).map((f) => `${f.commonName} ${f.attribute} ${f.value}`);
  });
}

const entra: CheckOptions = { ruleSet: 'entra', forest: testForest() };
const idfix: CheckOptions = { ruleSet: 'idfix' };

describe('createLiveReadinessCheck (entra): tenant-wide uniqueness', () => {
  it.each<[string, DirectoryObject, DirectoryObject]>([
    ['UPN = smtp: proxy', user(1, 'Ann', { userPrincipalName: 'ann@contoso.com' }), contact(2, 'Ext', { proxyAddresses: ['SMTP:Ann@contoso.com'] })],
    ['UPN = mail', user(1, 'Ann', { userPrincipalName: 'ann@contoso.com' }), user(2, 'Bob', { mail: 'ANN@contoso.com' })],
    ['mail = smtp: targetAddress', user(1, 'Ann', { mail: 'ann@contoso.com' }), contact(2, 'Ext', { proxyAddresses: ['SMTP:ext@fabrikam.com'], targetAddress: 'SMTP:ann@contoso.com' })],
    ['proxy = proxy', user(1, 'Ann', { proxyAddresses: ['smtp:ann@contoso.com'] }), user(2, 'Bob', { proxyAddresses: ['SMTP:ann@contoso.com'] })],
  ])('%s: an add makes the duplicate, a modify breaks it, a delete and a re-add make and break it again', (_name, first, second) => {
    const changedAway: DirectoryObject = { ...second, attributes: { ...second.attributes, userPrincipalName: ['other@contoso.com'], mail: ['other@contoso.com'], proxyAddresses: ['SMTP:ext@fabrikam.com'], targetAddress: ['SMTP:other@contoso.com'] } };
    const duplicates = run(entra, [[first], [second], [changedAway], [second], [1], [first]]);
    expect(duplicates.map((d) => d.length)).toEqual([0, 2, 0, 2, 0, 2]);
  });

  it('a rename shows the new DN in the other holder’s finding', () => {
    const ann = user(1, 'Ann', { userPrincipalName: 'ann@contoso.com' });
    const bob = user(2, 'Bob', { mail: 'ann@contoso.com' });
    const live = createLiveReadinessCheck(entra);
    live.upsert(ann);
    live.upsert(bob);
    live.result();
    live.upsert({ ...ann, distinguishedName: 'CN=Ann Renamed,OU=Moved,DC=contoso,DC=com' });
    const bobFinding = live.result().findings.find((f) => f.commonName === 'Bob' && f.ruleId === 'entra.address.duplicate');
    expect(bobFinding?.duplicates?.map((d) => d.dn)).toEqual(['CN=Ann Renamed,OU=Moved,DC=contoso,DC=com']);
  });

  it('the same object holding a value twice is not a duplicate, until a second object adds it', () => {
    const ann = user(1, 'Ann', { userPrincipalName: 'ann@contoso.com', mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com'] });
    expect(run(entra, [[ann], [user(2, 'Bob', { mail: 'Ann@Contoso.com' })], [2]]).map((d) => d.length)).toEqual([0, 4, 0]);
  });

  it('sAMAccountName and mailNickname duplicates come and go', () => {
    const ann = user(1, 'Ann', { sAMAccountName: 'ann', mailNickname: 'ann', mail: 'ann@contoso.com' });
    const bob = user(2, 'Bob', { sAMAccountName: 'ANN', mailNickname: 'Ann', mail: 'bob@contoso.com' });
    expect(run(entra, [[ann, bob], [{ ...bob, attributes: { ...bob.attributes, sAMAccountName: ['bob'] } }], [1]])).toEqual([
      ['Ann mailNickname ann', 'Ann sAMAccountName ann', 'Bob mailNickname Ann', 'Bob sAMAccountName ANN'],
      ['Ann mailNickname ann', 'Bob mailNickname Ann'],
      [],
    ]);
  });

  it('forest-level findings follow the objects: an unregistered UPN suffix disappears with its last user', () => {
    const live = createLiveReadinessCheck(entra);
    live.upsert(user(1, 'Ann', { userPrincipalName: 'ann@litware.com' }));
    live.upsert(user(2, 'Bob', { userPrincipalName: 'bob@litware.com' }));
    expect(live.result().findings.filter((f) => f.ruleId === 'entra.forest.unregistered-upn-suffix').map((f) => f.message)).toEqual([expect.stringContaining('2 user(s)')]);
    live.remove(g(1));
    live.upsert(user(2, 'Bob', { userPrincipalName: 'bob@contoso.com' }));
    expect(live.result().findings.filter((f) => f.ruleId === 'entra.forest.unregistered-upn-suffix')).toEqual([]);
  });

  it('an object leaving sync scope takes its values out of the index', () => {
    const ann = user(1, 'Ann', { userPrincipalName: 'ann@contoso.com' });
    const bob = user(2, 'Bob', { mail: 'ann@contoso.com' });
    expect(run(entra, [[ann, bob], [{ ...bob, attributes: { ...bob.attributes, isCriticalSystemObject: ['TRUE'] } }]]).map((d) => d.length)).toEqual([2, 0]);
  });

  it('removing an object that is not held changes nothing', () => {
    expect(run(entra, [[user(1, 'Ann', { mail: 'a@contoso.com' })], [7]])).toEqual([[], []]);
  });
});

describe('createLiveReadinessCheck (idfix): the lowest GUID is the first holder', () => {
  it('a later GUID is flagged; deleting the first holder clears it', () => {
    const ann = user(1, 'Ann', { mail: 'x@contoso.com', mailNickname: 'a' });
    const bob = user(2, 'Bob', { mail: 'X@contoso.com', mailNickname: 'b' });
    expect(run(idfix, [[ann], [bob], [1]])).toEqual([[], ['Bob mail X@contoso.com'], []]);
  });

  it('an object added with a lower GUID becomes the first holder, whatever the order of the upserts', () => {
    const bob = user(5, 'Bob', { mail: 'x@contoso.com', mailNickname: 'b' });
    const ann = user(2, 'Ann', { mail: 'x@contoso.com', mailNickname: 'a' });
    expect(run(idfix, [[bob], [ann]])).toEqual([[], ['Bob mail x@contoso.com']]);
  });

  it('a modify that takes the value away, and one that brings it back', () => {
    const ann = user(1, 'Ann', { userPrincipalName: 'x@contoso.com', mailNickname: 'a' });
    const bob = user(2, 'Bob', { userPrincipalName: 'x@contoso.com', mailNickname: 'b' });
    const bobElsewhere = user(2, 'Bob', { userPrincipalName: 'bob@contoso.com', mailNickname: 'b' });
    expect(run(idfix, [[ann, bob], [bobElsewhere], [bob]])).toEqual([['Bob userPrincipalName x@contoso.com'], [], ['Bob userPrincipalName x@contoso.com']]);
  });

  it('compares within one attribute only, and proxy duplicates within one object too', () => {
    const ann = user(1, 'Ann', { userPrincipalName: 'x@contoso.com', proxyAddresses: ['smtp:y@contoso.com', 'SMTP:y@contoso.com'], mailNickname: 'a' });
    const bob = user(2, 'Bob', { mail: 'x@contoso.com', mailNickname: 'b' });
    expect(run(idfix, [[ann, bob], [{ ...ann, attributes: { ...ann.attributes, proxyAddresses: ['smtp:y@contoso.com'] } }]])).toEqual([['Ann proxyAddresses SMTP:y@contoso.com', 'Ann proxyAddresses SMTP:y@contoso.com'], []]);
  });

  it('the first-holder row follows a rename of the first holder', () => {
    const ann = user(1, 'Ann', { mail: 'x@contoso.com' });
    const bob = contact(2, 'Bob', { displayName: 'Bob', mail: 'x@contoso.com' });
    const renamed = user(1, 'Ann', { mail: 'x@contoso.com' }, 'CN=Ann,OU=Moved,DC=contoso,DC=com');
    const live = createLiveReadinessCheck(idfix);
    live.upsert(ann);
    live.upsert(bob);
    const annRows = (): string[] => live.result().findings.filter((f) => f.commonName === 'Ann' && f.errors.includes('duplicate')).map((f) => f.dn);
    expect(annRows()).toEqual(['CN=Ann,OU=Staff,DC=contoso,DC=com']);
    live.upsert(renamed);
    expect(annRows()).toEqual(['CN=Ann,OU=Moved,DC=contoso,DC=com']);
  });

  it('a first holder found only by lookup: a later value fixed to a duplicate names the object whose fixed value was the original', () => {
    // P's mailNickname ".." has nothing left after the leading-period fix, so IdFix tests P's cn ".b";
    // Q's ".b" is fixed to "b", a duplicate of B's, and the first-holder row looks up ".b": P.
    const p = user(1, '.b', { mailNickname: '..', sAMAccountName: 'p' });
    const b = user(2, 'B', { mailNickname: 'b' });
    const q = user(3, 'Q', { mailNickname: '.b' });
    expect(run(idfix, [[p, b, q], [1], [p]])).toEqual([['.b mailNickname .b', 'Q mailNickname .b'], ['Q mailNickname .b'], ['.b mailNickname .b', 'Q mailNickname .b']]);
  });
});

describe('createLiveReadinessCheck', () => {
  it('counts held objects and rejects an unknown rule set', () => {
    const live = createLiveReadinessCheck();
    live.upsert(user(1, 'Ann', {}));
    live.upsert(user(1, 'Ann', { mail: 'a@contoso.com' }));
    live.upsert(user(2, 'Bob', {}));
    live.remove(g(1));
    live.remove(g(1));
    expect(live.size).toBe(1);
    expect(() => createLiveReadinessCheck({ ruleSet: 'dedicated' as 'idfix' })).toThrow(RangeError);
  });
});
