import { type DirectoryObject } from '@syncready/directory';
import { checkDirectory } from '../readiness-check';
import { type TestAttributes, testObject, testUser } from '../testing/directory-objects';

function rows(objects: DirectoryObject[]) {
  return checkDirectory(objects, { ruleSet: 'idfix' }).findings.map((f) => ({ cn: f.commonName, objectClass: f.objectClass, attribute: f.attribute, value: f.value, errors: f.errors.join(', '), update: f.suggestedValue, action: f.action }));
}

const user = (cn: string, attributes: TestAttributes): DirectoryObject => testUser(cn, { displayName: cn, ...attributes });

describe('idfix duplicates', () => {
  it('flags later holders, not the first; compares case-insensitively and in full', () => {
    const found = rows([user('A', { mail: 'x@contoso.com', mailNickname: 'a' }), user('B', { mail: 'X@Contoso.com', mailNickname: 'b' })]);
    expect(found).toEqual([{ cn: 'B', objectClass: 'user', attribute: 'mail', value: 'X@Contoso.com', errors: 'duplicate', update: 'X@Contoso.com', action: 'complete' }]);
  });

  it('adds a row for the first holder when the later action is Edit, with the later object type', () => {
    const found = rows([user('A', { mail: 'x@contoso.com' }), testObject('contact', 'B', { displayName: 'B', mail: 'x@contoso.com' })]);
    expect(found).toEqual([
      { cn: 'A', objectClass: 'contact', attribute: 'mail', value: 'x@contoso.com', errors: 'duplicate', update: 'x@contoso.com', action: 'edit' },
      { cn: 'B', objectClass: 'contact', attribute: 'mail', value: 'x@contoso.com', errors: 'duplicate', update: 'x@contoso.com', action: 'edit' },
    ]);
  });

  it('repeats the first holder row for every later holder', () => {
    const found = rows([user('A', { mail: 'x@c.com' }), user('B', { mail: 'x@c.com' }), user('C', { mail: 'x@c.com' })]);
    expect(found.map((r) => r.cn)).toEqual(['A', 'A', 'B', 'C']);
  });

  it('includes the prefix: SMTP: and smtp: collide, smtp: and sip: do not', () => {
    const found = rows([user('A', { proxyAddresses: ['SMTP:a@contoso.com'], mailNickname: 'a' }), user('B', { proxyAddresses: ['smtp:a@contoso.com', 'sip:a@contoso.com'], mailNickname: 'b' })]);
    expect(found).toEqual([{ cn: 'B', objectClass: 'user', attribute: 'proxyAddresses', value: 'smtp:a@contoso.com', errors: 'duplicate', update: 'smtp:a@contoso.com', action: 'complete' }]);
  });

  it.each([
    ['proxy SMTP: with mailNickname → complete', { proxyAddresses: ['SMTP:a@c.com'], mailNickname: 'n' }, 'complete'],
    ['proxy smtp without mailNickname → remove', { proxyAddresses: ['SMTP:a@c.com'] }, 'remove'],
    ['UPN with mailNickname → complete', { userPrincipalName: 'a@c.com', mailNickname: 'n' }, 'complete'],
    ['UPN without mailNickname → edit', { userPrincipalName: 'a@c.com' }, 'edit'],
    ['mailNickname with homeMDB → complete', { mailNickname: 'n', homeMDB: 'CN=DB1' }, 'complete'],
    ['mailNickname without homeMDB → edit', { mailNickname: 'n' }, 'edit'],
  ])('proposed action: %s', (_name, attributes, action) => {
    const attribute = Object.keys(attributes)[0];
    const found = rows([user('A', attributes), user('B', attributes)]).filter((r) => r.cn === 'B' && r.attribute === attribute);
    expect(found.map((r) => r.action)).toEqual([action]);
  });

  it('a duplicate proxy that is not the first proxy value always gets edit (IdFix compares with value [0])', () => {
    const found = rows([user('A', { proxyAddresses: ['smtp:x@c.com'], mailNickname: 'a' }), user('B', { proxyAddresses: ['SMTP:b@c.com', 'smtp:x@c.com'], mailNickname: 'b' })]);
    expect(found.filter((r) => r.cn === 'B').map((r) => r.action)).toEqual(['edit']);
    expect(found.filter((r) => r.cn === 'A')).toHaveLength(1);
  });

  it('compares the chained value: UPN duplicates are found after character fixes, with action edit', () => {
    const found = rows([user('A', { userPrincipalName: 'ann@contoso.com' }), user('B', { userPrincipalName: 'a nn@contoso.com' })]);
    // The fixed value "ann@contoso.com" collides; the first-holder lookup uses B's original value and finds nothing.
    expect(found).toEqual([{ cn: 'B', objectClass: 'user', attribute: 'userPrincipalName', value: 'a nn@contoso.com', errors: 'character, duplicate', update: 'ann@contoso.com', action: 'edit' }]);
  });

  it('proxy duplicates are tested before character fixes', () => {
    const found = rows([user('A', { proxyAddresses: ['smtp:ann@contoso.com'], mailNickname: 'a' }), user('B', { proxyAddresses: ['smtp:a nn@contoso.com'], mailNickname: 'b' })]);
    expect(found).toEqual([{ cn: 'B', objectClass: 'user', attribute: 'proxyAddresses', value: 'smtp:a nn@contoso.com', errors: 'character', update: 'smtp:ann@contoso.com', action: 'edit' }]);
  });

  it('sAMAccountName duplicates only when the entry has no UPN', () => {
    const withUpn = rows([user('A', { sAMAccountName: 'ann', userPrincipalName: 'a@c.com' }), user('B', { sAMAccountName: 'ann', userPrincipalName: 'b@c.com' })]);
    expect(withUpn).toEqual([]);
    const withoutUpn = rows([user('A', { sAMAccountName: 'ann' }), user('B', { sAMAccountName: 'ann' })]);
    expect(withoutUpn.map((r) => [r.cn, r.errors])).toEqual([['A', 'duplicate'], ['B', 'duplicate']]);
  });

  it('never compares across attributes', () => {
    expect(rows([user('A', { userPrincipalName: 'x@contoso.com' }), user('B', { mail: 'x@contoso.com', proxyAddresses: ['smtp:x@contoso.com'] })])).toEqual([]);
  });
});

describe('idfix skip rules', () => {
  it.each<[string, DirectoryObject]>([
    ['cn ending with $', user('SVC$', { displayName: '' })],
    ['cn "Guest Smith" (prefix Guest)', user('Guest Smith', { userPrincipalName: 'a b@c' })],
    ['cn "Administration Office" (prefix Admini)', user('Administration Office', { userPrincipalName: 'a b@c' })],
    ['cn HealthMailbox…', user('HealthMailbox0a1b', { userPrincipalName: 'a b@c' })],
    ['replication conflict', testObject('user', 'Ann', { userPrincipalName: 'a b@c', sAMAccountName: 'ann' }, 'CN=Ann\\0ACNF:0a1b,OU=Staff,DC=contoso,DC=com')],
    ['critical system object', user('Ann', { isCriticalSystemObject: 'TRUE', userPrincipalName: 'a b@c' })],
    ['user sAMAccountName MSOL_', user('Sync', { sAMAccountName: 'MSOL_0a1b', userPrincipalName: 'a b@c' })],
    ['user sAMAccountName SUPPORT_', user('Help', { sAMAccountName: 'SUPPORT_388945a0', userPrincipalName: 'a b@c' })],
    ['user mailNickname SystemMailbox', user('Sys', { mailNickname: 'SystemMailbox{abc}', userPrincipalName: 'a b@c' })],
    ['user hidden with MSOL displayName', testUser('Sync', { displayName: 'MSOL sync', msExchHideFromAddressLists: 'TRUE', userPrincipalName: 'a b@c' })],
    ['user msExchRecipientTypeDetails "0x2000" (string compare)', user('Arb', { msExchRecipientTypeDetails: '0x2000', userPrincipalName: 'a b@c' })],
    ['security group without mail', testObject('group', 'Sec', { groupType: '-2147483646', proxyAddresses: ['smtp:a b@c.com'] })],
    ['distribution group without proxyAddresses', testObject('group', 'Dist', { groupType: '8', mail: 'a b@c.com' })],
  ])('skips %s', (_name, object) => {
    const result = checkDirectory([object], { ruleSet: 'idfix' });
    expect(result.findings).toEqual([]);
    expect(result.summary).toMatchObject({ objectsChecked: 0, objectsSkipped: 1 });
  });

  it('does not skip msExchRecipientTypeDetails as AD really returns it (decimal)', () => {
    expect(rows([user('Arb', { msExchRecipientTypeDetails: '8192', userPrincipalName: 'a b@contoso.com' })])).toHaveLength(1);
  });
});
