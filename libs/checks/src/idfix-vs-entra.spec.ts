import { type DirectoryObject } from '@syncready/directory';
import { checkDirectory } from './readiness-check';
import { testObject, testUser } from './testing/directory-objects';

/** `[ruleId, severity, errors]` of object-level findings in one mode. */
function run(ruleSet: 'idfix' | 'entra', objects: DirectoryObject[]) {
  return checkDirectory(objects, { ruleSet })
    .findings.filter((f) => f.objectClass !== 'forest')
    .map((f) => `${f.ruleId}:${f.severity}:${f.errors.join('+')}`);
}

const long = (n: number): string => 'a'.repeat(n);

/** Each "[IdFix ≠ docs]" note: IdFix's behaviour in `idfix`, Microsoft's in `entra`. */
describe('where IdFix differs from Microsoft docs', () => {
  it.each<[string, () => DirectoryObject[], string[], string[]]>([
    ["apostrophe in UPN: IdFix flags it, Microsoft allows it", () => [testUser('A', { displayName: 'A', userPrincipalName: "o'neil@contoso.com" })], ['idfix.userPrincipalName:error:character'], []],
    ['missing displayName: IdFix flags Blank, Microsoft only a present blank one', () => [testUser('A')], ['idfix.displayName:error:blank'], []],
    ['UPN 64/48 part limits: IdFix dropped them', () => [testUser('A', { displayName: 'A', userPrincipalName: `${long(65)}@contoso.com` })], [], ['entra.upn.local-part-length:error:length']],
    ['UPN suffix over 48: IdFix dropped the check', () => [testUser('A', { displayName: 'A', userPrincipalName: `a@${long(40)}.contoso.com` })], [], ['entra.upn.domain-length:error:length']],
    ['sAMAccountName checked even with a valid UPN: IdFix error, Microsoft says it still syncs (warning)', () => [testUser('A', { displayName: 'A', userPrincipalName: 'a@contoso.com', sAMAccountName: long(21) })], ['idfix.sAMAccountName:error:length'], ['entra.sam.length:warning:length']],
    ["apostrophe in sAMAccountName: only Microsoft's list has it", () => [testUser('A', { displayName: 'A', sAMAccountName: "o'neil" })], [], ['entra.sam.character:error:character']],
    ['givenName 64: IdFix limit 63, Microsoft 64', () => [testUser('A', { displayName: 'A', givenName: long(64) })], ['idfix.givenName:error:length'], []],
    ['displayName 256: IdFix limit 255, Microsoft 256', () => [testUser('A', { displayName: long(256) })], ['idfix.displayName:error:length'], []],
    ['targetAddress 256: IdFix limit 255, Microsoft 256', () => [testUser('A', { displayName: 'A', targetAddress: `SMTP:${long(239)}@contoso.com` })], ['idfix.targetAddress:error:length'], []],
    [
      'cross-attribute duplicates: IdFix compares within one attribute only',
      () => [testUser('A', { displayName: 'A', userPrincipalName: 'joe@contoso.com' }), testObject('group', 'G', { displayName: 'G', groupType: '8', proxyAddresses: ['SMTP:joe@contoso.com'] })],
      [],
      ['entra.address.duplicate:error:duplicate', 'entra.address.duplicate:error:duplicate'],
    ],
    ['cn prefix "Guest": IdFix skips a real user, Connect syncs it', () => [testUser('Guest Speaker', { displayName: 'G', userPrincipalName: 'g s@contoso.com' })], [], ['entra.upn.character:error:character']],
    ['msExchRecipientTypeDetails as decimal: IdFix never matches, Connect excludes the bits', () => [testUser('Arb', { displayName: 'A', msExchRecipientTypeDetails: '8192', userPrincipalName: 'a b@contoso.com' })], ['idfix.userPrincipalName:error:character'], []],
    ['inetOrgPerson is not "user" for IdFix (sAMAccountName limit 256), Connect syncs it as a user', () => [testObject('user', 'P', { objectClass: ['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson'], displayName: 'P', sAMAccountName: long(21) })], [], ['entra.sam.length:error:length']],
    ['frozen TLD list vs public suffix list: .local is invalid for both, reported differently', () => [testUser('A', { displayName: 'A', userPrincipalName: 'a@contoso.local' })], ['idfix.userPrincipalName:error:topleveldomain'], ['entra.upn.non-routable-suffix:warning:']],
    ['X.500 proxy with an apostrophe (#79): IdFix flags it, Microsoft applies no SMTP rules to X.500', () => [testUser('A', { displayName: 'A', proxyAddresses: ["X500:/o=Org/cn=O'Neil"] })], ['idfix.proxyAddresses:error:character'], []],
  ])('%s', (_name, objects, idfix, entra) => {
    expect(run('idfix', objects())).toEqual(idfix);
    expect(run('entra', objects())).toEqual(entra);
  });
});

/** Full rows (errors, suggestedValue, action) for each "[IdFix ≠ docs]" note, both modes. */
function detail(ruleSet: 'idfix' | 'entra', objects: DirectoryObject[]) {
  return checkDirectory(objects, { ruleSet })
    .findings.filter((f) => f.objectClass !== 'forest')
    .map((f) => [f.ruleId, f.attribute, f.errors.join('+'), f.suggestedValue, f.action]);
}

describe('"[IdFix ≠ docs]" notes with UPDATE and proposed action, both modes', () => {
  it.each<[string, () => DirectoryObject[], (string | null)[][], (string | null)[][]]>([
    [
      'displayName absent: IdFix Blank with UPDATE = cn; Microsoft: only a present value must not be blank',
      () => [testUser('Ann Lee')],
      [['idfix.displayName', 'displayName', 'blank', 'Ann Lee', 'edit']],
      [],
    ],
    [
      'displayName present but blank (whitespace): IdFix (IsNullOrEmpty) passes it; Microsoft flags it',
      () => [testUser('Ann Lee', { displayName: ' ' })],
      [],
      [['entra.display-name.blank', 'displayName', 'blank', 'Ann Lee', 'edit']],
    ],
    [
      "UPN apostrophe (2.6.0.0 changelog says allowed, regex still flags it): o'neil@contoso.com",
      () => [testUser('Ann', { displayName: 'A', userPrincipalName: "o'neil@contoso.com" })],
      [['idfix.userPrincipalName', 'userPrincipalName', 'character', 'oneil@contoso.com', 'edit']],
      [],
    ],
    [
      'UPN 65 before @ and 49 after @ but 115 in all: IdFix only truncates to 113 (cutting the domain)',
      () => [testUser('Ann', { displayName: 'A', userPrincipalName: `${long(65)}@${long(37)}.contoso.com` })],
      [['idfix.userPrincipalName', 'userPrincipalName', 'length+format+topleveldomain+domainpart', `${long(65)}@${long(37)}.contoso.c`, 'edit']],
      [
        ['entra.upn.domain-length', 'userPrincipalName', 'length', null, 'edit'],
        ['entra.upn.length', 'userPrincipalName', 'length', null, 'edit'],
        ['entra.upn.local-part-length', 'userPrincipalName', 'length', null, 'edit'],
      ],
    ],
    [
      'sAMAccountName with a valid UPN: IdFix checks it anyway (error); Microsoft: still syncs (warning)',
      () => [testUser('Ann', { displayName: 'A', userPrincipalName: 'ann@contoso.com', sAMAccountName: 'ann+lee' })],
      [['idfix.sAMAccountName', 'sAMAccountName', 'character', 'annlee', 'edit']],
      [['entra.sam.character', 'sAMAccountName', 'character', 'annlee', 'edit']],
    ],
    [
      "sAMAccountName apostrophe: only Microsoft's list has it",
      () => [testUser('Ann', { displayName: 'A', sAMAccountName: "o'neil" })],
      [],
      [['entra.sam.character', 'sAMAccountName', 'character', 'oneil', 'edit']],
    ],
  ])('%s', (_name, objects, idfix, entra) => {
    expect(detail('idfix', objects())).toEqual(idfix);
    expect(detail('entra', objects())).toEqual(entra);
  });

  it('sAMAccountName with a valid UPN is a warning in entra, an error in idfix', () => {
    const objects = (): DirectoryObject[] => [testUser('Ann', { displayName: 'A', userPrincipalName: 'ann@contoso.com', sAMAccountName: 'ann+lee' })];
    expect(run('idfix', objects())).toEqual(['idfix.sAMAccountName:error:character']);
    expect(run('entra', objects())).toEqual(['entra.sam.character:warning:character']);
  });
});
