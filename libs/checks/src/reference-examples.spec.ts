import { type DirectoryObject } from '@syncready/directory';
import { checkDirectory } from './readiness-check';
import { type TestAttributes, testForest, testObject, testUser } from './testing/directory-objects';

/**
 * Table-driven coverage of the reference (../shared/reference/entra-sync-facts.md): every
 * character of every character set, every skip rule, every scoping filter and every forest
 * value it lists, in the rule set(s) it applies to.
 */

/** idfix rows: attribute, value, ERROR, UPDATE, PROPOSEDACTION. */
function idfix(objects: DirectoryObject[]) {
  return checkDirectory(objects, { ruleSet: 'idfix' }).findings.map((f) => [f.attribute, f.value, f.errors.join(', '), f.suggestedValue, f.action]);
}

/** entra object-level rows: ruleId, severity, value, suggestedValue, action. */
function entra(objects: DirectoryObject[]) {
  return checkDirectory(objects, { ruleSet: 'entra' })
    .findings.filter((f) => f.objectClass !== 'forest')
    .map((f) => [f.ruleId, f.severity, f.value, f.suggestedValue, f.action]);
}

const user = (attributes: TestAttributes): DirectoryObject => testUser('Ann Lee', { displayName: 'Ann Lee', ...attributes });
const chars = (list: string): string[] => [...list];
const show = (c: string): string => JSON.stringify(c);

describe('§1.4 IdFix multi-tenant character sets, character by character', () => {
  // InvalidUpnRegExRegex = @"[\s\\%&*+/=?'{}|<>\(\)\;\:\,\[\]""äëïöüÿÄËÏÖÜŸ]"
  it.each(chars(' \t\u0085\u00a0\u3000\\%&*+/=?\'{}|<>();:,[]"äëïöüÿÄËÏÖÜŸ').map(show))('userPrincipalName %s is character', (json) => {
    const c = JSON.parse(json) as string;
    expect(idfix([user({ userPrincipalName: `a${c}b@contoso.com` })])).toEqual([['userPrincipalName', `a${c}b@contoso.com`, 'character', 'ab@contoso.com', 'edit']]);
  });

  it('userPrincipalName: U+FEFF is not .NET whitespace, so the character rule passes and the local part fails', () => {
    expect(idfix([user({ userPrincipalName: 'a\ufeffb@contoso.com' })])).toEqual([['userPrincipalName', 'a\ufeffb@contoso.com', 'localpart', 'ab@contoso.com', 'edit']]);
  });

  // InvalidProxyAddressSMTPRegex = @"[\s<>\(\)\;\,\[\]""]"
  it.each(chars(' \t\u0085<>();,[]"').map(show))('smtp proxyAddresses %s is character', (json) => {
    const c = JSON.parse(json) as string;
    expect(idfix([user({ proxyAddresses: [`smtp:a${c}b@contoso.com`] })])).toEqual([['proxyAddresses', `smtp:a${c}b@contoso.com`, 'character', 'smtp:ab@contoso.com', 'edit']]);
  });

  it.each([
    // apostrophe: allowed again in proxies since 2.6.0.0 (#46)
    ["smtp:o'neil@contoso.com", []],
    // backslash is not in the SMTP proxy set; the RFC 2822 local part catches it
    ['smtp:a\\b@contoso.com', [['proxyAddresses', 'smtp:a\\b@contoso.com', 'localpart', 'smtp:ab@contoso.com', 'edit']]],
    // InvalidProxyAddressRegex (other types) = SMTP set minus ;
    ['SIP:a;b@contoso.com', []],
    ['EUM:1234;phone-context=Dial.contoso.com', []],
    ['SIP:a(b)@contoso.com', [['proxyAddresses', 'SIP:a(b)@contoso.com', 'character', 'SIP:ab@contoso.com', 'edit']]],
    ['SIP:a,b', [['proxyAddresses', 'SIP:a,b', 'character', 'SIP:ab', 'edit']]],
    // InvalidX400/X500ProxyAddressRegex = @"[\f\n\r\t\v\[\]""']": not space, not ( ) ; ,
    ['X500:/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients;x,y', []],
    ['X400:c=US;a= ;p=Org;o=Exchange;s=Lee;', []],
    ['X.400:c=US;a= ;p=Org;o=Exchange;s=Lee;', []],
    ['x500:/o=Org\t/cn=A', [['proxyAddresses', 'x500:/o=Org\t/cn=A', 'character', 'x500:/o=Org/cn=A', 'edit']]],
    ['x500:/o=Org\f/cn=A', [['proxyAddresses', 'x500:/o=Org\f/cn=A', 'character', 'x500:/o=Org/cn=A', 'edit']]],
    ['x500:/o=Org\v/cn=A', [['proxyAddresses', 'x500:/o=Org\v/cn=A', 'character', 'x500:/o=Org/cn=A', 'edit']]],
    ['x500:/o=Org\r\n/cn=A', [['proxyAddresses', 'x500:/o=Org\r\n/cn=A', 'character', 'x500:/o=Org/cn=A', 'edit']]],
    ['X.500:/o=[Org]/cn="A"', [['proxyAddresses', 'X.500:/o=[Org]/cn="A"', 'character', 'X.500:/o=Org/cn=A', 'edit']]],
    // FixProxyTargetAddressRule: colon at index 0 is not a type prefix
    [':a:b', []],
  ])('proxyAddresses %j', (value, expected) => {
    expect(idfix([user({ proxyAddresses: [value] })])).toEqual(expected);
  });

  // InvalidTargetAddressSMTPRegEx = @"[\s\\<>\(\)\;\,\[\]""]"
  it.each(chars(' \\<>();,[]"').map(show))('smtp targetAddress %s is character', (json) => {
    const c = JSON.parse(json) as string;
    expect(idfix([user({ targetAddress: `SMTP:a${c}b@contoso.com` })])).toEqual([['targetAddress', `SMTP:a${c}b@contoso.com`, 'character', 'SMTP:ab@contoso.com', 'edit']]);
  });

  it.each([
    // InvalidTargetAddressRegEx (non-SMTP) = SMTP set minus ;
    ['X400:c=US;a=x;p=Org', []],
    ['X400:c=US;a=x y', [['targetAddress', 'X400:c=US;a=x y', 'character', 'X400:c=US;a=xy', 'edit']]],
    // FixProxyTargetAddressRule on targetAddress
    ['SMTP:tom:x@contoso.com', [['targetAddress', 'SMTP:tom:x@contoso.com', 'character', 'SMTP:tomx@contoso.com', 'edit']]],
    // the reference's example value
    ['SMTP:tom@contoso.com', []],
  ])('targetAddress %j', (value, expected) => {
    expect(idfix([user({ targetAddress: value })])).toEqual(expected);
  });

  // sAMAccountName: @"[\\""|,/\[\]:<>+=;?*]"
  it.each(chars('\\"|,/[]:<>+=;?*').map(show))('sAMAccountName %s is character', (json) => {
    const c = JSON.parse(json) as string;
    expect(idfix([user({ sAMAccountName: `a${c}b` })])).toEqual([['sAMAccountName', `a${c}b`, 'character', 'ab', 'edit']]);
  });

  it('sAMAccountName: apostrophe and space are not in IdFix\'s set', () => {
    expect(idfix([user({ sAMAccountName: "o'neil" }), testUser('Bo Ng', { displayName: 'B', sAMAccountName: 'bo ng' })])).toEqual([]);
  });

  it('sAMAccountName of a group may be 256 long, not 257', () => {
    const group = (sam: string): DirectoryObject => testObject('group', 'Team', { displayName: 'Team', groupType: '8', proxyAddresses: ['SMTP:team@contoso.com'], sAMAccountName: sam });
    expect(idfix([group('s'.repeat(256))])).toEqual([]);
    expect(idfix([group('s'.repeat(257))])).toEqual([['sAMAccountName', 's'.repeat(257), 'length', 's'.repeat(256), 'edit']]);
  });

  it('mailNickname: only leading periods (^[.]+), nothing else', () => {
    expect(idfix([user({ mailNickname: 'a b(c)' })])).toEqual([]);
    expect(idfix([user({ mailNickname: '.a.b.' })])).toEqual([['mailNickname', '.a.b.', 'character', 'a.b.', 'edit']]);
  });

  it('reference proxy examples: SMTP:User@contso.com passes; SMTP:user:M@contoso.com loses its second colon', () => {
    expect(idfix([user({ proxyAddresses: ['SMTP:User@contso.com'] })])).toEqual([]);
    expect(idfix([user({ proxyAddresses: ['SMTP:user:M@contoso.com'] })])).toEqual([['proxyAddresses', 'SMTP:user:M@contoso.com', 'character', 'SMTP:userM@contoso.com', 'edit']]);
  });

  it('non-routable UPN example billa@contoso.local: topleveldomain', () => {
    expect(idfix([user({ userPrincipalName: 'billa@contoso.local' })])).toEqual([['userPrincipalName', 'billa@contoso.local', 'topleveldomain', 'billa@contoso.local', 'edit']]);
  });
});

describe('§2.3 Microsoft character sets (entra), character by character', () => {
  // UPN invalid: \ % & * + / = ? { } | < > ( ) ; : , [ ] " and spaces; `$` and `` ` `` are in neither list
  it.each(chars(' \\%&*+/=?{}|<>();:,[]"$`').map(show))('userPrincipalName %s is not allowed', (json) => {
    const c = JSON.parse(json) as string;
    expect(entra([user({ userPrincipalName: `a${c}b@contoso.com` })])).toEqual([['entra.upn.character', 'error', `a${c}b@contoso.com`, 'ab@contoso.com', 'edit']]);
  });

  // UPN allowed: A–Z a–z 0–9 ' . - _ ! # ^ ~
  it.each(chars("'.-_!#^~"))('userPrincipalName %s is allowed', (c) => {
    expect(entra([user({ userPrincipalName: `Az09${c}b@contoso.com` })])).toEqual([]);
  });

  // sAMAccountName invalid: [ \ " | , / : < > + = ; ? * '
  it.each(chars('[\\"|,/:<>+=;?*\'').map(show))('sAMAccountName %s is not allowed', (json) => {
    const c = JSON.parse(json) as string;
    expect(entra([user({ sAMAccountName: `a${c}b` })])).toEqual([['entra.sam.character', 'error', `a${c}b`, 'ab', 'edit']]);
  });

  // proxyAddresses invalid after the type prefix: < > ( ) ; , [ ] " and spaces
  it.each(chars(' <>();,[]"').map(show))('smtp proxyAddresses %s is not allowed', (json) => {
    const c = JSON.parse(json) as string;
    expect(entra([user({ proxyAddresses: [`smtp:a${c}b@contoso.com`] })])).toEqual([['entra.proxy.character', 'error', `smtp:a${c}b@contoso.com`, 'smtp:ab@contoso.com', 'edit']]);
  });

  // targetAddress invalid: \ < > ( ) ; , [ ] " and spaces
  it.each(chars(' \\<>();,[]"').map(show))('smtp targetAddress %s is not allowed', (json) => {
    const c = JSON.parse(json) as string;
    expect(entra([user({ targetAddress: `SMTP:a${c}b@contoso.com` })])).toEqual([['entra.target-address.character', 'error', `SMTP:a${c}b@contoso.com`, 'SMTP:ab@contoso.com', 'edit']]);
  });

  it('UPN username ending with a space', () => {
    expect(entra([user({ userPrincipalName: 'ann @contoso.com' })]).map((f) => f[0])).toEqual(['entra.upn.character', 'entra.upn.local-part-end']);
  });

  it('non-routable UPN example billa@contoso.local: synced to .onmicrosoft.com (warning)', () => {
    expect(entra([user({ userPrincipalName: 'billa@contoso.local' })])).toEqual([['entra.upn.non-routable-suffix', 'warning', 'billa@contoso.local', null, 'edit']]);
  });
});

describe('§1.2 IdFix skip rules, each listed value', () => {
  const prefixes = ['Admini', 'CAS_{', 'DiscoverySearchMailbox', 'FederatedEmail', 'Guest', 'HTTPConnector', 'krbtgt', 'iusr_', 'iwam', 'msol', 'support_', 'SystemMailbox', 'WWIOadmini', 'HealthMailbox', 'Exchange Online-ApplicationAccount'];
  const bad = { displayName: 'x', userPrincipalName: 'a b@contoso.com' };
  const skipped = (object: DirectoryObject): void => {
    const result = checkDirectory([object], { ruleSet: 'idfix' });
    expect(result.findings).toEqual([]);
    expect(result.summary).toMatchObject({ objectsChecked: 0, objectsSkipped: 1 });
  };

  it.each(prefixes)('cn prefix %s (as listed, upper- and lower-case)', (prefix) => {
    skipped(testUser(`${prefix}X`, bad));
    skipped(testUser(`${prefix.toUpperCase()}x`, bad));
    skipped(testUser(`${prefix.toLowerCase()}x`, bad));
    skipped(testObject('contact', `${prefix}X`, bad));
  });

  it.each(['CAS_x', 'SUPPORT_x', 'MSOL_x'])('user sAMAccountName %s', (sam) => skipped(testUser('Ann', { ...bad, sAMAccountName: sam })));
  it.each(['CAS_x', 'SYSTEMMAILBOX{x}'])('user mailNickname %s', (nickname) => skipped(testUser('Ann', { ...bad, mailNickname: nickname })));
  it.each(['0x1000', '0x2000', '0x4000', '0x400000', '0x800000', '0x1000000', '0x20000000'])('user msExchRecipientTypeDetails string %s', (type) => skipped(testUser('Ann', { ...bad, msExchRecipientTypeDetails: type })));

  it.each([
    ['a contact with sAMAccountName MSOL_ (user-only rule)', testObject('contact', 'Ext', { ...bad, sAMAccountName: 'MSOL_x' })],
    ['a contact with mailNickname CAS_ (user-only rule)', testObject('contact', 'Ext', { ...bad, mailNickname: 'CAS_x' })],
    ['a user with sAMAccountName starting "xMSOL_"', testUser('Ann', { ...bad, sAMAccountName: 'xMSOL_' })],
    ['a hidden user whose displayName does not start with MSOL', testUser('Ann', { ...bad, displayName: 'Ann MSOL', msExchHideFromAddressLists: 'TRUE' })],
    ['a visible user whose displayName starts with MSOL', testUser('Ann', { ...bad, displayName: 'MSOL x' })],
    ['isCriticalSystemObject FALSE', testUser('Ann', { ...bad, isCriticalSystemObject: 'FALSE' })],
    ['cn with $ inside, not at the end', testUser('A$nn', bad)],
    ['security group with mail', testObject('group', 'Sec', { displayName: 'x', groupType: '-2147483646', mail: 'sec@contoso.com' })],
    ['distribution group with proxyAddresses', testObject('group', 'Dist', { displayName: 'x', groupType: '8', proxyAddresses: ['SMTP:dist@contoso.com'] })],
  ])('does not skip %s', (_name, object) => {
    expect(checkDirectory([object], { ruleSet: 'idfix' }).summary).toMatchObject({ objectsChecked: 1, objectsSkipped: 0 });
  });
});

describe('§2.8 Connect scoping vs §1.2: msExchRecipientTypeDetails bitmask &H21C07000, in both modes', () => {
  const bad = { displayName: 'A', userPrincipalName: 'a b@contoso.com' };
  // decimal as AD returns it: each bit of &H21C07000 (= IdFix's hex list)
  it.each([0x1000, 0x2000, 0x4000, 0x400000, 0x800000, 0x1000000, 0x20000000, 0x21c07000, 0x2001])('decimal %i: Connect excludes it, IdFix (string compare) checks it', (type) => {
    const object = (): DirectoryObject => testUser('Arb', { ...bad, msExchRecipientTypeDetails: String(type) });
    expect(checkDirectory([object()], { ruleSet: 'entra' }).summary).toMatchObject({ objectsChecked: 0, objectsSkipped: 1 });
    expect(idfix([object()]).map((r) => r[2])).toEqual(['character']);
  });

  it.each([1, 2, 4, 128, 0x800, 0x8000, 0x200000, 0x40000000, 0x80000000, 2147483648 * 2])('decimal %i (no bit of the mask): both modes check it', (type) => {
    const object = (): DirectoryObject => testUser('Box', { ...bad, msExchRecipientTypeDetails: String(type) });
    expect(entra([object()]).map((r) => r[0])).toEqual(['entra.upn.character']);
    expect(idfix([object()]).map((r) => r[2])).toEqual(['character']);
  });
});

describe('§2.8 Connect scoping: remaining listed filters', () => {
  const bad = { displayName: ' ', proxyAddresses: ['SMTP:a b@contoso.com'] };
  it.each<[string, DirectoryObject]>([
    ['a user with isCriticalSystemObject present, even FALSE (IsPresent)', testUser('Ann', { userPrincipalName: 'a b@contoso.com', isCriticalSystemObject: 'FALSE' })],
    ['a critical contact', testObject('contact', 'Ext', { ...bad, isCriticalSystemObject: 'TRUE' })],
    ['a conflict contact', testObject('contact', 'Ext', bad, 'CN=Ext\\0ACNF:0a1b,OU=Staff,DC=contoso,DC=com')],
    ['a CAS_…} contact', testObject('contact', 'Ext', { ...bad, mailNickname: 'CAS_{abc}' })],
    ['a contact with proxyAddresses but no SMTP address with @ and no mail with @', testObject('contact', 'Ext', { displayName: ' ', proxyAddresses: ['X500:/o=Org/cn=Ext', 'smtp:ext'], mail: 'ext' })],
    ['a critical group', testObject('group', 'Team', { ...bad, groupType: '8', isCriticalSystemObject: 'TRUE' })],
    ['a conflict group', testObject('group', 'Team', { ...bad, groupType: '8' }, 'CN=Team\\0ACNF:0a1b,OU=Staff,DC=contoso,DC=com')],
    ['a computer without userCertificate', testObject('computer', 'PC1$', { displayName: ' ' })],
    ['a user whose mailNickname starts with CAS_ and contains }', testUser('Ann', { userPrincipalName: 'a b@contoso.com', mailNickname: 'CAS_{x}' })],
  ])('does not sync %s', (_name, object) => {
    const result = checkDirectory([object]);
    expect(result.findings.filter((f) => f.objectClass !== 'forest')).toEqual([]);
    expect(result.summary).toMatchObject({ objectsChecked: 0, objectsSkipped: 1 });
  });

  it.each<[string, DirectoryObject]>([
    ['a user whose sAMAccountName starts with CAS_ but has no }', testUser('Ann', { displayName: ' ', sAMAccountName: 'CAS_x' })],
    ['a contact with only mail@ among proxies: SMTP with @ required, or mail with @', testObject('contact', 'Ext', { displayName: ' ', proxyAddresses: ['X500:/o=Org/cn=Ext'], mail: 'ext@fabrikam.com' })],
    ['a mail-enabled contact whose displayName has (MSOL) but is not hidden', testObject('contact', 'Ext', { displayName: ' (MSOL)', proxyAddresses: ['SMTP:ext@fabrikam.com'] })],
  ])('syncs %s', (_name, object) => {
    expect(checkDirectory([object]).summary).toMatchObject({ objectsChecked: 1, objectsSkipped: 0 });
  });

  it('a computer with userCertificate is synced (counts toward the object total) but has no attribute findings', () => {
    const result = checkDirectory([testObject('computer', 'PC1$', { displayName: ' ', userCertificate: 'AA11BB22' })]);
    expect(result.summary).toMatchObject({ objectsChecked: 1, objectsSkipped: 0 });
    expect(result.findings.filter((f) => f.objectClass !== 'forest')).toEqual([]);
  });
});

describe('§1.6 IdFix duplicate proposed actions (value not changed by earlier rules)', () => {
  it.each<[string, TestAttributes, string]>([
    ['mail with mailNickname → complete', { mail: 'x@c.com', mailNickname: 'n' }, 'complete'],
    ['mail without mailNickname → edit', { mail: 'x@c.com' }, 'edit'],
    ['sAMAccountName (no UPN) with mailNickname → complete', { sAMAccountName: 'ann', mailNickname: 'n' }, 'complete'],
    ['sAMAccountName (no UPN) without mailNickname → edit', { sAMAccountName: 'ann' }, 'edit'],
    ['proxy lower-case smtp: with mailNickname → complete', { proxyAddresses: ['smtp:x@c.com'], mailNickname: 'n' }, 'complete'],
    ['proxy containing but not starting with smtp:, with mailNickname → edit', { proxyAddresses: ['XSMTP:x@c.com'], mailNickname: 'n' }, 'edit'],
    ['proxy containing but not starting with smtp:, without mailNickname → remove', { proxyAddresses: ['XSMTP:x@c.com'] }, 'remove'],
    ['non-SMTP proxy → edit', { proxyAddresses: ['sip:x@c.com'], mailNickname: 'n' }, 'edit'],
    ['targetAddress → edit', { targetAddress: 'SMTP:x@c.com', mailNickname: 'n' }, 'edit'],
  ])('%s', (_name, attributes, action) => {
    const attribute = Object.keys(attributes)[0] ?? '';
    const rows = checkDirectory([testUser('A', { displayName: 'A', ...attributes }), testUser('B', { displayName: 'B', ...attributes })], { ruleSet: 'idfix' }).findings;
    const later = rows.filter((f) => f.commonName === 'B' && f.attribute === attribute);
    expect(later.map((f) => [f.errors.join(', '), f.suggestedValue, f.action])).toEqual([['duplicate', f0(attributes[attribute]), action]]);
    // IdFix adds the first holder's row only when the later action is Edit.
    expect(rows.filter((f) => f.commonName === 'A' && f.attribute === attribute).map((f) => f.action)).toEqual(action === 'edit' ? ['edit'] : []);
  });

  it('a value changed by an earlier rule gets edit even with mailNickname', () => {
    const rows = idfix([user({ mail: 'x'.repeat(256), mailNickname: 'a' }), testUser('Bo', { displayName: 'B', mail: `${'x'.repeat(256)}y`, mailNickname: 'b' })]);
    expect(rows).toEqual([['mail', `${'x'.repeat(256)}y`, 'length, duplicate', 'x'.repeat(256), 'edit']]);
  });
});

function f0(value: string | readonly string[] | undefined): string {
  return typeof value === 'string' ? value : (value?.[0] ?? '');
}

describe('§2.1 forest functional level and schema version, every listed value', () => {
  function forestRules(overrides: { forestFunctionality?: number; schemaObjectVersion?: number }) {
    return checkDirectory([testUser('A', { 'mS-DS-ConsistencyGuid': 'x' })], { forest: testForest(overrides) })
      .findings.filter((f) => f.ruleId === 'entra.forest.functional-level' || f.ruleId === 'entra.forest.schema-version')
      .map((f) => [f.ruleId, f.severity, f.value]);
  }
  it.each([
    [0, false], // WIN2000
    [1, false], // WIN2003_WITH_MIXED_DOMAINS
    [2, true], // WIN2003
    [3, true],
    [4, true],
    [5, true],
    [6, true],
    [7, true], // WIN2016 (also 2019/2022)
  ])('forest functional level %i passes: %s', (level, passes) => {
    expect(forestRules({ forestFunctionality: level })).toEqual(passes ? [] : [['entra.forest.functional-level', 'error', String(level)]]);
  });
  it.each([
    [13, false], // 2000
    [29, false],
    [30, true], // 2003
    [31, true], // 2003 R2
    [44, true],
    [47, true],
    [56, true],
    [69, true],
    [87, true],
    [88, true],
    [91, true], // 2025
  ])('schema objectVersion %i passes: %s', (version, passes) => {
    expect(forestRules({ schemaObjectVersion: version })).toEqual(passes ? [] : [['entra.forest.schema-version', 'error', String(version)]]);
  });
  it('unknown forest facts (NaN from an LDIF export) are not findings', () => {
    expect(forestRules({ forestFunctionality: Number.NaN, schemaObjectVersion: Number.NaN })).toEqual([]);
  });
});
