import { checkDirectory } from '../readiness-check';
import { testObject, testUser } from '../testing/directory-objects';
import { MAX_LISTED_HOLDERS } from './uniqueness-index';

function duplicates(objects: Parameters<typeof checkDirectory>[0]) {
  return checkDirectory(objects)
    .findings.filter((f) => f.errors.includes('duplicate'))
    .map((f) => ({ ruleId: f.ruleId, cn: f.commonName, attribute: f.attribute, value: f.value, others: (f.duplicates ?? []).map((d) => `${d.dn.split(',')[0]}/${d.attribute}`), suggestedValue: f.suggestedValue, action: f.action }));
}

describe('entra tenant-wide uniqueness', () => {
  it("a user's UPN equal to a group's smtp: proxy is a duplicate (Duplicate Attribute Resiliency example)", () => {
    const joe = testUser('Joe', { userPrincipalName: 'Joe@contoso.com', proxyAddresses: ['smtp:Joe@contoso.com'] });
    const group = testObject('group', 'Team', { groupType: '8', proxyAddresses: ['SMTP:Joe@contoso.com'] });
    expect(duplicates([joe, group])).toEqual([
      { ruleId: 'entra.address.duplicate', cn: 'Joe', attribute: 'proxyAddresses', value: 'smtp:Joe@contoso.com', others: ['CN=Team/proxyAddresses'], suggestedValue: null, action: 'edit' },
      { ruleId: 'entra.address.duplicate', cn: 'Joe', attribute: 'userPrincipalName', value: 'Joe@contoso.com', others: ['CN=Team/proxyAddresses'], suggestedValue: null, action: 'edit' },
      { ruleId: 'entra.address.duplicate', cn: 'Team', attribute: 'proxyAddresses', value: 'SMTP:Joe@contoso.com', others: ['CN=Joe/proxyAddresses', 'CN=Joe/userPrincipalName'], suggestedValue: null, action: 'edit' },
    ]);
  });

  it('the same object holding one address in mail, proxy and UPN is not a duplicate', () => {
    expect(duplicates([testUser('Ann', { userPrincipalName: 'ann@contoso.com', mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com'], targetAddress: 'SMTP:ann@contoso.com' })])).toEqual([]);
  });

  it('compares mail, contacts and SMTP targetAddress too; non-SMTP values are not addresses', () => {
    const contact = testObject('contact', 'Ext', { proxyAddresses: ['SMTP:ext@fabrikam.com'], targetAddress: 'SMTP:ann@contoso.com' });
    const ann = testUser('Ann', { mail: 'ANN@contoso.com', proxyAddresses: ['sip:ext@fabrikam.com'] });
    expect(duplicates([contact, ann]).map((d) => [d.cn, d.attribute])).toEqual([['Ann', 'mail'], ['Ext', 'targetAddress']]);
  });

  it('sAMAccountName unique among users, mailNickname unique', () => {
    const found = duplicates([testUser('A', { sAMAccountName: 'ann', mailNickname: 'ann' }), testUser('B', { sAMAccountName: 'ANN', mailNickname: 'Ann' })]);
    expect(found.map((d) => [d.ruleId, d.cn])).toEqual([
      ['entra.mail-nickname.duplicate', 'A'],
      ['entra.sam.duplicate', 'A'],
      ['entra.mail-nickname.duplicate', 'B'],
      ['entra.sam.duplicate', 'B'],
    ]);
  });

  it(`lists at most ${MAX_LISTED_HOLDERS} other holders`, () => {
    const many = Array.from({ length: 40 }, (_, i) => testUser(`U${i}`, { mail: 'shared@contoso.com' }));
    const found = checkDirectory(many).findings.filter((f) => f.ruleId === 'entra.address.duplicate');
    expect(found).toHaveLength(40);
    expect(found[0]?.duplicates).toHaveLength(MAX_LISTED_HOLDERS);
    expect(found[0]?.message).toContain('and 38 more');
  });
});
