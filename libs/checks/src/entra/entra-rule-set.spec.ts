import { type DirectoryObject } from '@syncready/directory';
import { type CheckOptions } from '../readiness-checker';
import { checkDirectory } from '../readiness-check';
import { type TestAttributes, testObject, testUser } from '../testing/directory-objects';

/** Object-level entra findings (forest-level ones left out) as [ruleId, severity, value, suggestedValue]. */
function entra(objects: DirectoryObject[], options: CheckOptions = {}) {
  return checkDirectory(objects, { ruleSet: 'entra', ...options })
    .findings.filter((f) => f.objectClass !== 'forest')
    .map((f) => [f.ruleId, f.severity, f.value, f.suggestedValue]);
}

const long = (n: number, c = 'a'): string => c.repeat(n);
const user = (attributes: TestAttributes): DirectoryObject => testUser('Ann Lee', attributes);

describe('entra rule set: attribute rules', () => {
  it.each<[string, TestAttributes, (string | null)[][]]>([
    // userPrincipalName
    ['UPN valid, apostrophe allowed', { userPrincipalName: "ann.o'neil@contoso.com" }, []],
    ['UPN allowed characters . - _ ! # ^ ~', { userPrincipalName: 'a.b-c_d!e#f^g~h@contoso.com' }, []],
    ['UPN 113 total (64 + @ + 48)', { userPrincipalName: `${long(64)}@${long(36)}.contoso.com` }, []],
    ['UPN 114 total', { userPrincipalName: `${long(65)}@${long(36)}.contoso.com` }, [['entra.upn.length', 'error', `${long(65)}@${long(36)}.contoso.com`, null], ['entra.upn.local-part-length', 'error', `${long(65)}@${long(36)}.contoso.com`, null]]],
    ['UPN 65 before @', { userPrincipalName: `${long(65)}@contoso.com` }, [['entra.upn.local-part-length', 'error', `${long(65)}@contoso.com`, null]]],
    ['UPN 49 after @', { userPrincipalName: `ann@${long(37)}.contoso.com` }, [['entra.upn.domain-length', 'error', `ann@${long(37)}.contoso.com`, null]]],
    ['UPN invalid characters', { userPrincipalName: 'ann lee(x)@contoso.com' }, [['entra.upn.character', 'error', 'ann lee(x)@contoso.com', 'annleex@contoso.com']]],
    ['UPN percent and ampersand', { userPrincipalName: 'a%b&c@contoso.com' }, [['entra.upn.character', 'error', 'a%b&c@contoso.com', 'abc@contoso.com']]],
    ['UPN diacritics', { userPrincipalName: 'josé@contoso.com' }, [['entra.upn.non-ascii', 'error', 'josé@contoso.com', 'jose@contoso.com']]],
    ['UPN without @', { userPrincipalName: 'ann.contoso.com' }, [['entra.upn.format', 'error', 'ann.contoso.com', null]]],
    ['UPN @ first', { userPrincipalName: '@contoso.com' }, [['entra.upn.format', 'error', '@contoso.com', null]]],
    ['UPN two @', { userPrincipalName: 'ann@lee@contoso.com' }, [['entra.upn.format', 'error', 'ann@lee@contoso.com', null]]],
    ['UPN username ending with .', { userPrincipalName: 'ann.@contoso.com' }, [['entra.upn.local-part-end', 'error', 'ann.@contoso.com', 'ann@contoso.com']]],
    ['UPN username ending with &', { userPrincipalName: 'ann&@contoso.com' }, [['entra.upn.character', 'error', 'ann&@contoso.com', 'ann@contoso.com'], ['entra.upn.local-part-end', 'error', 'ann&@contoso.com', 'ann@contoso.com']]],
    // displayName / givenName
    ['displayName missing is fine', {}, []],
    ['displayName blank', { displayName: ' ' }, [['entra.display-name.blank', 'error', ' ', 'Ann Lee']]],
    ['displayName 256 passes', { displayName: long(256) }, []],
    ['displayName 257', { displayName: long(257) }, [['entra.display-name.length', 'error', long(257), long(256)]]],
    ['givenName 64 passes', { givenName: long(64) }, []],
    ['givenName 65', { givenName: long(65) }, [['entra.given-name.length', 'error', long(65), long(64)]]],
    // mail
    ['mail 257', { mail: `${long(245)}@contoso.com` }, [['entra.mail.length', 'error', `${long(245)}@contoso.com`, null]]],
    ['mail with a space', { mail: 'ann lee@contoso.com' }, [['entra.mail.character', 'error', 'ann lee@contoso.com', 'annlee@contoso.com']]],
    ['mail not an address', { mail: 'ann' }, [['entra.mail.format', 'error', 'ann', null]]],
    ['mail diacritics', { mail: 'zoë@contoso.com' }, [['entra.mail.non-ascii', 'error', 'zoë@contoso.com', 'zoe@contoso.com']]],
    // mailNickname
    ['mailNickname leading period', { mailNickname: '.ann' }, [['entra.mail-nickname.leading-period', 'error', '.ann', 'ann']]],
    ['mailNickname 65', { mailNickname: long(65) }, [['entra.mail-nickname.length', 'error', long(65), long(64)]]],
    // proxyAddresses
    ['proxy SMTP:User@contso.com is allowed', { proxyAddresses: ['SMTP:User@contso.com'] }, []],
    ["proxy SMTP:user:M@contoso.com isn't", { proxyAddresses: ['SMTP:user:M@contoso.com'] }, [['entra.proxy.character', 'error', 'SMTP:user:M@contoso.com', 'SMTP:userM@contoso.com']]],
    ['proxy invalid characters after the prefix', { proxyAddresses: ['smtp:ann<lee>@contoso.com'] }, [['entra.proxy.character', 'error', 'smtp:ann<lee>@contoso.com', 'smtp:annlee@contoso.com']]],
    ['proxy diacritics', { proxyAddresses: ['smtp:zoë@contoso.com'] }, [['entra.proxy.non-ascii', 'error', 'smtp:zoë@contoso.com', 'smtp:zoe@contoso.com']]],
    ['proxy 257', { proxyAddresses: [`smtp:${long(240)}@contoso.com`] }, [['entra.proxy.length', 'error', `smtp:${long(240)}@contoso.com`, null]]],
    ['proxy smtp not an address', { proxyAddresses: ['smtp:ann'] }, [['entra.proxy.format', 'error', 'smtp:ann', null]]],
    ['proxy without type prefix', { proxyAddresses: ['ann@contoso.com'] }, [['entra.proxy.format', 'error', 'ann@contoso.com', 'smtp:ann@contoso.com']]],
    ['X.500 is not held to SMTP rules', { proxyAddresses: ["X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=O'Neil"] }, []],
    ['X.400 is not held to SMTP rules', { proxyAddresses: ['X400:c=US;a= ;p=Org;o=Exchange;s=Lee;'] }, []],
    ['EUM proxy may hold ;', { proxyAddresses: ['EUM:1234;phone-context=Dial.contoso.com'] }, []],
    // targetAddress
    ['targetAddress SMTP:tom@contoso.com', { targetAddress: 'SMTP:tom@contoso.com' }, []],
    ['targetAddress backslash', { targetAddress: 'SMTP:tom\\x@contoso.com' }, [['entra.target-address.character', 'error', 'SMTP:tom\\x@contoso.com', 'SMTP:tomx@contoso.com']]],
    ['targetAddress 257', { targetAddress: `SMTP:${long(240)}@contoso.com` }, [['entra.target-address.length', 'error', `SMTP:${long(240)}@contoso.com`, null]]],
    ['targetAddress not an address', { targetAddress: 'SMTP:tom' }, [['entra.target-address.format', 'error', 'SMTP:tom', null]]],
    // sAMAccountName (users)
    ['sAMAccountName 21 with a valid UPN: warning', { sAMAccountName: long(21), userPrincipalName: 'ann@contoso.com' }, [['entra.sam.length', 'warning', long(21), long(20)]]],
    ['sAMAccountName apostrophe without UPN: error', { sAMAccountName: "o'neil" }, [['entra.sam.character', 'error', "o'neil", 'oneil']]],
    ['sAMAccountName characters with an invalid UPN: error', { sAMAccountName: 'a+b', userPrincipalName: 'a b@contoso.com' }, [['entra.sam.character', 'error', 'a+b', 'ab'], ['entra.upn.character', 'error', 'a b@contoso.com', 'ab@contoso.com']]],
  ])('%s', (_name, attributes, expected) => {
    expect(entra([user(attributes)])).toEqual(expected);
  });
});

describe('entra rule set: routable and verified domains', () => {
  it.each([
    ['ann@contoso.local', 'reserved'],
    ['ann@contoso.lan', 'reserved'],
    ['ann@contoso.internal', 'reserved'],
    ['ann@contoso.corp', 'reserved'],
    ['ann@contoso', 'single-label'],
    ['ann@contoso.notatld', 'unknown TLD'],
  ])('%s is non-routable (%s)', (upn) => {
    expect(entra([user({ userPrincipalName: upn })])).toEqual([['entra.upn.non-routable-suffix', 'warning', upn, null]]);
  });

  it.each(['ann@contoso.app', 'ann@contoso.co.uk', 'ann@contoso.xn--p1ai', 'ann@contoso.рф'])('%s is routable', (upn) => {
    expect(entra([user({ userPrincipalName: upn })]).filter((f) => f[0] === 'entra.upn.non-routable-suffix')).toEqual([]);
  });

  it('suggests the one routable, verified forest suffix', () => {
    const forest = { partitions: [{ nCName: 'DC=contoso,DC=local', dnsRoot: 'contoso.local', netbiosName: 'CONTOSO' }], upnSuffixes: ['contoso.com'] };
    const { findings } = checkDirectory([user({ userPrincipalName: 'ann@contoso.local' })], { forest: { ...baseForest(), ...forest } });
    expect(findings.find((f) => f.ruleId === 'entra.upn.non-routable-suffix')?.suggestedValue).toBe('ann@contoso.com');
  });

  it('suggests nothing when several suffixes qualify', () => {
    const forest = { ...baseForest(), upnSuffixes: ['contoso.com', 'fabrikam.com'] };
    const { findings } = checkDirectory([user({ userPrincipalName: 'ann@contoso.local' })], { forest });
    expect(findings.find((f) => f.ruleId === 'entra.upn.non-routable-suffix')?.suggestedValue).toBeNull();
  });

  it('with verified domains: unverified UPN suffixes and SMTP domains are warnings, subdomains of verified ones pass', () => {
    const tenant = { verifiedDomains: ['contoso.com'] };
    const found = entra([user({ userPrincipalName: 'ann@fabrikam.com', mail: 'ann@sales.contoso.com', proxyAddresses: ['SMTP:ann@sales.contoso.com', 'smtp:ann@fabrikam.com'] })], { tenant });
    expect(found).toEqual([
      ['entra.address.unverified-domain', 'warning', 'smtp:ann@fabrikam.com', null],
      ['entra.upn.unverified-suffix', 'warning', 'ann@fabrikam.com', null],
    ]);
    const suggestion = checkDirectory([user({ userPrincipalName: 'ann@contoso.local' })], { tenant }).findings.find((f) => f.ruleId === 'entra.upn.non-routable-suffix');
    expect(suggestion?.suggestedValue).toBe('ann@contoso.com');
  });

  it('SMTP addresses at non-routable domains are info: Exchange Online drops them', () => {
    expect(entra([user({ proxyAddresses: ['smtp:ann@contoso.local'] })])).toEqual([['entra.address.non-routable-domain', 'info', 'smtp:ann@contoso.local', null]]);
  });
});

function baseForest() {
  return {
    dcDnsHostName: 'dc1',
    dsServiceName: '',
    invocationId: '',
    highestCommittedUsn: 1,
    rootDomainNamingContext: 'DC=contoso,DC=com',
    defaultNamingContext: 'DC=contoso,DC=com',
    configurationNamingContext: '',
    schemaNamingContext: '',
    forestFunctionality: 7,
    domainFunctionality: 7,
    domainControllerFunctionality: 7,
    schemaObjectVersion: 88,
    upnSuffixes: [] as string[],
    partitions: [{ nCName: 'DC=contoso,DC=local', dnsRoot: 'contoso.local', netbiosName: 'CONTOSO' }],
  };
}

describe('entra rule set: what Connect syncs', () => {
  const bad = { userPrincipalName: 'a b@contoso.com', displayName: ' ' };
  it.each<[string, DirectoryObject]>([
    ['critical system objects', testUser('Ann', { ...bad, isCriticalSystemObject: 'TRUE' })],
    ['users without sAMAccountName', testObject('user', 'Ann', bad)],
    ['AAD_ sync accounts', testUser('Ann', { ...bad, sAMAccountName: 'AAD_0a1b2c' })],
    ['MSOL_ sync accounts', testUser('Ann', { ...bad, sAMAccountName: 'MSOL_0a1b2c' })],
    ['SUPPORT_388945a0', testUser('Ann', { ...bad, sAMAccountName: 'SUPPORT_388945a0' })],
    ['SystemMailbox{ mailboxes', testUser('Ann', { ...bad, mailNickname: 'SystemMailbox{1f05a927-0a1b}' })],
    ['CAS_…} accounts', testUser('Ann', { ...bad, sAMAccountName: 'CAS_{abc}' })],
    ['msExchRecipientTypeDetails bits &H21C07000 (decimal 8192 = arbitration)', testUser('Ann', { ...bad, msExchRecipientTypeDetails: '8192' })],
    ['replication conflicts', testObject('user', 'Ann', { ...bad, sAMAccountName: 'ann' }, 'CN=Ann\\0ACNF:0a1b,OU=Staff,DC=contoso,DC=com')],
    ['contacts that are not mail-enabled', testObject('contact', 'Ext', { displayName: ' ', mail: 'ext@fabrikam.com' })],
    ['hidden (MSOL) contacts', testObject('contact', 'Ext', { displayName: 'x (MSOL)', msExchHideFromAddressLists: 'TRUE', proxyAddresses: ['SMTP:a b@fabrikam.com'] })],
    ['distribution groups that are not mail-enabled', testObject('group', 'Dist', { groupType: '8', displayName: ' ' })],
    ['role groups', testObject('group', 'Role', { groupType: String(0x40000008), proxyAddresses: ['SMTP:a b@contoso.com'], displayName: ' ' })],
    ['MSOL_AD_Sync_RichCoexistence', testObject('group', 'Rich', { sAMAccountName: 'MSOL_AD_Sync_RichCoexistence', groupType: '-2147483644', displayName: ' ' })],
    ['computers', testObject('computer', 'PC1$', { displayName: ' ', sAMAccountName: 'PC1$' })],
  ])('skips %s', (_name, object) => {
    const result = checkDirectory([object]);
    expect(result.findings.filter((f) => f.objectClass !== 'forest')).toEqual([]);
    expect(result.summary.objectsSkipped).toBe(1);
  });

  it('checks cn "Guest Smith" and other names IdFix skips by prefix', () => {
    expect(entra([testUser('Guest Smith', { userPrincipalName: 'a b@contoso.com' })])).toHaveLength(1);
  });

  it('checks mail-enabled contacts', () => {
    expect(entra([testObject('contact', 'Ext', { proxyAddresses: ['SMTP:ext@fabrikam.com'], mail: 'e xt@fabrikam.com' })])).toEqual([['entra.mail.character', 'error', 'e xt@fabrikam.com', 'ext@fabrikam.com']]);
  });

  it('syncs security groups without mail but does not check their mail attributes', () => {
    const group = testObject('group', 'Sec', { groupType: '-2147483646', displayName: ' ', proxyAddresses: ['smtp:a b@contoso.com'] });
    expect(entra([group])).toEqual([['entra.display-name.blank', 'error', ' ', 'Sec']]);
  });

  it('checks mail attributes of mail-enabled security groups', () => {
    const group = testObject('group', 'Sec', { groupType: '-2147483646', mail: 'sec@contoso.com', proxyAddresses: ['SMTP:s ec@contoso.com'] });
    expect(entra([group])).toEqual([['entra.proxy.character', 'error', 'SMTP:s ec@contoso.com', 'SMTP:sec@contoso.com']]);
  });
});
