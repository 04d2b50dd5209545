import { type DirectoryObject } from '@syncready/directory';
import { checkDirectory } from '../readiness-check';
import { type TestAttributes, testObject, testUser } from '../testing/directory-objects';

/** IdFix rows as its grid shows them: COMMONNAME, ATTRIBUTE, VALUE, ERROR, UPDATE, PROPOSEDACTION. */
function rows(objects: DirectoryObject[], ignoreUpn = false) {
  return checkDirectory(objects, { ruleSet: 'idfix', ignoreUpn }).findings.map((f) => ({
    cn: f.commonName,
    attribute: f.attribute,
    value: f.value,
    errors: f.errors.join(', '),
    update: f.suggestedValue,
    action: f.action,
  }));
}

/** A user with a displayName (so the blank rule stays quiet) plus `attributes`. */
function user(attributes: TestAttributes, cn = 'Ann Lee'): DirectoryObject {
  return testUser(cn, { displayName: cn, ...attributes });
}

const long = (n: number, c = 'a'): string => c.repeat(n);

describe('idfix rule set: one attribute at a time', () => {
  it.each<[string, TestAttributes, { attribute: string; value: string; errors: string; update: string | null; action: string } | undefined]>([
    // displayName: MaxLength 255 → Blank (fix = cn)
    ['displayName 255 passes', { displayName: long(255) }, undefined],
    ['displayName 256 is truncated to 255', { displayName: long(256) }, { attribute: 'displayName', value: long(256), errors: 'length', update: long(255), action: 'edit' }],
    // givenName: MaxLength 63
    ['givenName 63 passes', { givenName: long(63) }, undefined],
    ['givenName 64 is too long for IdFix', { givenName: long(64) }, { attribute: 'givenName', value: long(64), errors: 'length', update: long(63), action: 'edit' }],
    // mail: MaxLength 256, no character or RFC check in multi-tenant mode
    ['mail with a space is not checked', { mail: 'ann lee@contoso' }, undefined],
    ['mail 257 is truncated', { mail: long(257) }, { attribute: 'mail', value: long(257), errors: 'length', update: long(256), action: 'edit' }],
    // mailNickname: MaxLength 64 → leading periods
    ['mailNickname leading periods are removed', { mailNickname: '..ann' }, { attribute: 'mailNickname', value: '..ann', errors: 'character', update: 'ann', action: 'edit' }],
    ['mailNickname of periods only falls back to cn', { mailNickname: '...' }, { attribute: 'mailNickname', value: '...', errors: 'character', update: 'Ann Lee', action: 'edit' }],
    ['mailNickname trailing period passes', { mailNickname: 'ann.' }, undefined],
    ['mailNickname 65 then leading period: chained', { mailNickname: `.${long(64)}` }, { attribute: 'mailNickname', value: `.${long(64)}`, errors: 'length, character', update: long(63), action: 'edit' }],
    // proxyAddresses
    ['smtp proxy with space: character, then RFC on the fixed value', { proxyAddresses: ['SMTP:ann lee@contoso.com'] }, { attribute: 'proxyAddresses', value: 'SMTP:ann lee@contoso.com', errors: 'character', update: 'SMTP:annlee@contoso.com', action: 'edit' }],
    ['second colon: FixProxyTargetAddress', { proxyAddresses: ['SMTP:user:M@contoso.com'] }, { attribute: 'proxyAddresses', value: 'SMTP:user:M@contoso.com', errors: 'character', update: 'SMTP:userM@contoso.com', action: 'edit' }],
    ['smtp proxy apostrophe allowed since 2.6.0.0', { proxyAddresses: ["smtp:ann.o'neil@contoso.com"] }, undefined],
    ['smtp proxy with unknown TLD', { proxyAddresses: ['smtp:ann@contoso.local'] }, { attribute: 'proxyAddresses', value: 'smtp:ann@contoso.local', errors: 'topleveldomain', update: 'smtp:ann@contoso.local', action: 'edit' }],
    ['x500 with spaces and parentheses passes (#12, #16)', { proxyAddresses: ['X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients'] }, undefined],
    ["x500 with an apostrophe is flagged (#79)", { proxyAddresses: ["x500:/o=Org/cn=O'Neil"] }, { attribute: 'proxyAddresses', value: "x500:/o=Org/cn=O'Neil", errors: 'character', update: 'x500:/o=Org/cn=ONeil', action: 'edit' }],
    ['x.400 is matched with or without the dot', { proxyAddresses: ['X400:c=US;a= ;p=Org;o=Exchange;s=Lee;'] }, undefined],
    ['sip proxy: semicolon allowed, space not', { proxyAddresses: ['SIP:ann lee@contoso.com;x'] }, { attribute: 'proxyAddresses', value: 'SIP:ann lee@contoso.com;x', errors: 'character', update: 'SIP:annlee@contoso.com;x', action: 'edit' }],
    ['proxy 257 long', { proxyAddresses: [`smtp:${long(248)}@b.com`] }, { attribute: 'proxyAddresses', value: `smtp:${long(248)}@b.com`, errors: 'length, format, domainpart', update: `smtp:${long(248)}@b.`, action: 'edit' }],
    // sAMAccountName: 20 for user, characters, duplicates only without UPN
    ['sAMAccountName 21 for a user', { sAMAccountName: long(21) }, { attribute: 'sAMAccountName', value: long(21), errors: 'length', update: long(20), action: 'edit' }],
    ['sAMAccountName characters', { sAMAccountName: 'ann+lee' }, { attribute: 'sAMAccountName', value: 'ann+lee', errors: 'character', update: 'annlee', action: 'edit' }],
    // targetAddress: MaxLength 255
    ['targetAddress smtp with backslash', { targetAddress: 'SMTP:ann\\lee@contoso.com' }, { attribute: 'targetAddress', value: 'SMTP:ann\\lee@contoso.com', errors: 'character', update: 'SMTP:annlee@contoso.com', action: 'edit' }],
    ['targetAddress 256 is too long for IdFix', { targetAddress: `x400:${long(251)}` }, { attribute: 'targetAddress', value: `x400:${long(251)}`, errors: 'length', update: `x400:${long(250)}`, action: 'edit' }],
    // userPrincipalName: MaxLength 113 → invalid characters → RFC 2822 → duplicates
    ['UPN with a space', { userPrincipalName: 'ann lee@contoso.com' }, { attribute: 'userPrincipalName', value: 'ann lee@contoso.com', errors: 'character', update: 'annlee@contoso.com', action: 'edit' }],
    ['UPN with umlaut is character', { userPrincipalName: 'jürgen@contoso.com' }, { attribute: 'userPrincipalName', value: 'jürgen@contoso.com', errors: 'character', update: 'jrgen@contoso.com', action: 'edit' }],
    ['UPN without a TLD', { userPrincipalName: 'ann@contoso' }, { attribute: 'userPrincipalName', value: 'ann@contoso', errors: 'format, domainpart', update: 'ann@contoso', action: 'edit' }],
    ['UPN .local', { userPrincipalName: 'ann@contoso.local' }, { attribute: 'userPrincipalName', value: 'ann@contoso.local', errors: 'topleveldomain', update: 'ann@contoso.local', action: 'edit' }],
    ['UPN 114 truncated to 113 happens to end in .co', { userPrincipalName: `${long(102)}@contoso.com` }, { attribute: 'userPrincipalName', value: `${long(102)}@contoso.com`, errors: 'length', update: `${long(102)}@contoso.co`, action: 'edit' }],
    ['UPN 115 truncation cuts the domain', { userPrincipalName: `${long(103)}@contoso.com` }, { attribute: 'userPrincipalName', value: `${long(103)}@contoso.com`, errors: 'length, format, topleveldomain, domainpart', update: `${long(103)}@contoso.c`, action: 'edit' }],
    ['UPN of invalid characters only falls back to cn', { userPrincipalName: '()' }, { attribute: 'userPrincipalName', value: '()', errors: 'character, format, domainpart, localpart', update: 'Ann Lee', action: 'edit' }],
  ])('%s', (_name, attributes, expected) => {
    const found = rows([user(attributes)]);
    expect(found).toEqual(expected ? [{ cn: 'Ann Lee', ...expected }] : []);
  });

  it('IdFix multi-tenant does not look at sn', () => {
    expect(rows([user({ sn: long(300) })])).toEqual([]);
  });

  it('checks only the first value of single-valued attributes, every value of proxyAddresses', () => {
    const found = rows([user({ proxyAddresses: ['SMTP:a b@contoso.com', 'smtp:c d@contoso.com'] })]);
    expect(found.map((r) => r.update)).toEqual(['SMTP:ab@contoso.com', 'smtp:cd@contoso.com']);
  });

  it('"Ignore UPN errors" drops the UPN rule', () => {
    expect(rows([user({ userPrincipalName: 'a b@contoso' })], true)).toEqual([]);
  });

  it('sAMAccountName of a non-user object type may be 256 long (inetOrgPerson is not "user")', () => {
    const person = testObject('user', 'Ann Lee', { objectClass: ['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson'], displayName: 'x', sAMAccountName: long(21) });
    expect(rows([person])).toEqual([]);
  });
});
