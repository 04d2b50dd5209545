import { type DirectoryObject } from '@syncready/directory';
import { type Finding } from './finding';
import { sortFindings } from './finding-order';
import { checkDirectory, createReadinessCheck } from './index';
import { testForest, testObject, testUser } from './testing/directory-objects';

function sample(): DirectoryObject[] {
  return [
    testUser('Zed', { userPrincipalName: 'zed@contoso.local', mail: 'shared@contoso.com', proxyAddresses: ['SMTP:shared@contoso.com', 'smtp:z ed@contoso.com'] }),
    testUser('amy', { userPrincipalName: "amy o'neil@contoso.com", displayName: ' ', sAMAccountName: 'amy' }),
    testUser('Bob', { userPrincipalName: 'shared@contoso.com', sAMAccountName: 'AMY', mailNickname: '.bob' }),
    testObject('group', 'Team', { groupType: '8', proxyAddresses: ['SMTP:team@contoso.com', 'smtp:Shared@contoso.com'] }),
    testObject('contact', 'Ext', { proxyAddresses: ['SMTP:ext@fabrikam.com'], targetAddress: 'SMTP:ext@fabrikam.com', givenName: 'x'.repeat(70) }),
  ];
}

/** A deterministic permutation (no randomness in tests that must be reproducible). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('createReadinessCheck / checkDirectory', () => {
  it('defaults to the entra rule set and streams objects through add()', () => {
    const objects = sample();
    const check = createReadinessCheck({ forest: testForest() });
    for (const object of objects) check.add(object);
    const streamed = check.finish();
    expect(streamed).toEqual(checkDirectory(objects, { ruleSet: 'entra', forest: testForest() }));
    expect(streamed.findings.every((f) => f.ruleId.startsWith('entra.'))).toBe(true);
  });

  it('sorts by DN case-insensitively, then attribute, value, rule id', () => {
    const { findings } = checkDirectory(sample(), { forest: testForest() });
    const keys = findings.map((f) => [f.dn.toLowerCase(), f.attribute, f.value, f.ruleId].join('\u0000'));
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(findings.findIndex((f) => f.commonName === 'amy')).toBeLessThan(findings.findIndex((f) => f.commonName === 'Bob'));
  });

  it('keeps the production order for findings equal in every sort key (stable)', () => {
    const base = { severity: 'error', objectGuid: '', objectClass: 'user', commonName: '', errors: [], suggestedValue: null, action: 'edit', dn: 'CN=A', attribute: 'mail', value: 'v', ruleId: 'r' } as const;
    const tagged: Finding[] = [{ ...base, message: 'first' }, { ...base, dn: 'cn=a', message: 'second' }, { ...base, message: 'third' }];
    expect(sortFindings(tagged).map((f) => f.message)).toEqual(['first', 'second', 'third']);
  });

  it('summarizes counts by severity and rule', () => {
    const { findings, summary } = checkDirectory(sample(), { forest: testForest() });
    expect(summary.objectsChecked).toBe(5);
    expect(summary.objectsSkipped).toBe(0);
    expect(summary.findings).toBe(findings.length);
    expect(summary.bySeverity.error + summary.bySeverity.warning + summary.bySeverity.info).toBe(findings.length);
    expect(summary.byRule['entra.address.duplicate']).toBe(4);
    expect(summary.byRule['entra.sam.duplicate']).toBe(2);
    expect(Object.values(summary.byRule).reduce((a, b) => a + b, 0)).toBe(findings.length);
  });

  it.each([1, 2, 3, 4, 5, 6])('entra findings do not depend on the order objects arrive in (permutation %i)', (seed) => {
    const objects = sample();
    expect(checkDirectory(shuffled(objects, seed), { forest: testForest() })).toEqual(checkDirectory(objects, { forest: testForest() }));
  });

  it('idfix findings depend on order only through which holder comes first', () => {
    const objects = sample();
    const nonDuplicate = (fs: readonly Finding[]) => fs.filter((f) => !f.errors.includes('duplicate'));
    const forward = checkDirectory(objects, { ruleSet: 'idfix' }).findings;
    const backward = checkDirectory([...objects].reverse(), { ruleSet: 'idfix' }).findings;
    expect(nonDuplicate(backward)).toEqual(nonDuplicate(forward));
    // Zed's SMTP:shared and Team's smtp:Shared collide; whichever comes second is flagged.
    expect(forward.filter((f) => f.errors.includes('duplicate')).map((f) => f.commonName)).not.toEqual(backward.filter((f) => f.errors.includes('duplicate')).map((f) => f.commonName));
  });

  it('rejects an unknown rule set', () => {
    expect(() => createReadinessCheck({ ruleSet: 'dedicated' as 'idfix' })).toThrow(RangeError);
  });

  it('every finding carries the contract fields', () => {
    for (const ruleSet of ['entra', 'idfix'] as const) {
      for (const f of checkDirectory(sample(), { ruleSet, forest: testForest() }).findings) {
        expect(f.message.length).toBeGreaterThan(0);
        expect(['edit', 'remove', 'complete']).toContain(f.action);
        expect(typeof f.objectGuid).toBe('string');
      }
    }
  });
});
