import { type ForestInfo } from '@syncready/directory';
import { checkDirectory } from '../readiness-check';
import { testForest, testObject, testUser } from '../testing/directory-objects';
import { LOCALDB_OBJECT_GUIDANCE } from './forest-rules';

function forestFindings(objects: Parameters<typeof checkDirectory>[0], forest: ForestInfo | undefined = testForest()) {
  return checkDirectory(objects, { forest })
    .findings.filter((f) => f.objectClass === 'forest')
    .map((f) => [f.ruleId, f.severity, f.attribute, f.value]);
}

describe('entra forest-level checks', () => {
  it.each<[string, Partial<ForestInfo>, string[][]]>([
    ['2016 forest passes', {}, []],
    ['Windows 2000 functional level', { forestFunctionality: 0 }, [['entra.forest.functional-level', 'error', 'msDS-Behavior-Version', '0']]],
    ['2003 mixed domains', { forestFunctionality: 1 }, [['entra.forest.functional-level', 'error', 'msDS-Behavior-Version', '1']]],
    ['2003 is enough', { forestFunctionality: 2, schemaObjectVersion: 30 }, []],
    ['schema 13 (2000)', { schemaObjectVersion: 13 }, [['entra.forest.schema-version', 'error', 'objectVersion', '13']]],
  ])('%s', (_name, overrides, expected) => {
    const found = forestFindings([testUser('Ann', { userPrincipalName: 'ann@contoso.com', 'mS-DS-ConsistencyGuid': 'x' })], testForest(overrides));
    expect(found.filter((f) => f[0] !== 'entra.forest.source-anchor')).toEqual(expected);
  });

  it('uses the root naming context as DN', () => {
    const [finding] = checkDirectory([], { forest: testForest({ forestFunctionality: 0 }) }).findings;
    expect(finding).toMatchObject({ dn: 'DC=contoso,DC=com', objectClass: 'forest', objectGuid: '' });
  });

  it('UPN suffixes used but registered neither as a domain nor as a UPN suffix', () => {
    const users = [
      testUser('A', { userPrincipalName: 'a@contoso.com' }),
      testUser('B', { userPrincipalName: 'b@FABRIKAM.com' }),
      testUser('C', { userPrincipalName: 'c@tailspin.com' }),
      testUser('D', { userPrincipalName: 'd@tailspin.com' }),
    ];
    const found = checkDirectory(users, { forest: testForest() }).findings.filter((f) => f.ruleId === 'entra.forest.unregistered-upn-suffix');
    expect(found.map((f) => [f.value, f.severity])).toEqual([['tailspin.com', 'warning']]);
    expect(found[0]?.message).toContain('2 user(s)');
  });

  it('sourceAnchor: ms-DS-ConsistencyGuid populated on no object → info', () => {
    expect(forestFindings([testUser('A')])).toEqual([['entra.forest.source-anchor', 'info', 'mS-DS-ConsistencyGuid', '0']]);
  });

  it('sourceAnchor: populated on some objects → warning, Connect falls back to objectGUID', () => {
    const found = forestFindings([testUser('A', { 'mS-DS-ConsistencyGuid': '0a1b2c3d-0000-0000-0000-000000000000' }), testUser('B')]);
    expect(found).toEqual([['entra.forest.source-anchor', 'warning', 'mS-DS-ConsistencyGuid', '1']]);
  });

  it(`object count of ${LOCALDB_OBJECT_GUIDANCE} or more synced objects → warning about LocalDB`, () => {
    const objects = Array.from({ length: LOCALDB_OBJECT_GUIDANCE }, (_, i) => testObject('group', `G${i}`, { groupType: '-2147483646' }));
    expect(forestFindings(objects, undefined)).toContainEqual(['entra.forest.object-count', 'warning', 'objectCount', String(LOCALDB_OBJECT_GUIDANCE)]);
    expect(forestFindings(objects.slice(1), undefined).map((f) => f[0])).not.toContain('entra.forest.object-count');
  });
});
