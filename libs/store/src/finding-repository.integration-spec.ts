import type { Finding, FindingSummary } from '@syncready/checks';
import type { Store } from './store';
import { expectedFor, storeFactories, testForest, testObjects } from './testing';
import { ALL_ORGANIZATIONS as ALL } from './access-scope';

function finding(i: number, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: i % 3 === 0 ? 'entra.upn.character' : 'entra.address.duplicate',
    severity: i % 3 === 0 ? 'error' : 'warning',
    dn: `CN=User ${i},OU=Zürich,DC=contoso,DC=local`,
    objectGuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    objectClass: 'user',
    commonName: `User ${i}`,
    attribute: i % 2 === 0 ? 'userPrincipalName' : 'proxyAddresses',
    value: `zoë${i}@contoso.com`,
    errors: i % 3 === 0 ? ['character'] : ['duplicate'],
    suggestedValue: i % 3 === 0 ? `zoe${i}@contoso.com` : null,
    action: 'edit',
    message: 'a message',
    ...(i % 3 === 0 ? {} : { duplicates: [{ dn: 'CN=Other,DC=contoso,DC=local', objectGuid: '00000000-0000-4000-8000-999999999999', objectClass: 'contact', attribute: 'proxyAddresses', value: `smtp:zoë${i}@contoso.com` }] }),
    ...overrides,
  };
}

const summary: FindingSummary = { objectsChecked: 10, findings: 2, bySeverity: { error: 1, warning: 1, info: 0 }, byRule: { a: 1, b: 1 } };

describe.each(storeFactories())('FindingRepository on $name', (factory) => {
  let store: Store;
  let generationId: number;

  beforeAll(async () => {
    store = await factory.open();
    const site = await store.sites.ensureSite('findings');
    const objects = testObjects(3);
    ({ generationId } = await store.snapshots.beginGeneration({ siteId: site.id, snapshotId: 'f1', forest: testForest(), baseDn: 'DC=contoso,DC=local' }));
    await store.snapshots.appendObjects(generationId, objects);
    await store.snapshots.commitGeneration(generationId, expectedFor(objects));
  });
  afterAll(() => factory.cleanup());

  it('has no run before findings are saved', async () => {
    expect(await store.findings.getRun(generationId, ALL)).toBeUndefined();
  });

  it('stores findings exactly and pages them in order with filters', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => finding(i));
    await store.findings.saveFindings(generationId, { ruleSet: 'entra', summary }, all);
    expect(await store.findings.getRun(generationId, ALL)).toMatchObject({ generationId, ruleSet: 'entra', findingCount: 2500, summary });

    const seen: Finding[] = [];
    let after: string | undefined;
    do {
      const page = await store.findings.listFindings(generationId, { limit: 1000, ...(after ? { after } : {}) }, ALL);
      seen.push(...page.items);
      after = page.nextCursor ?? undefined;
    } while (after);
    expect(seen).toEqual(all);

    const errors = await store.findings.listFindings(generationId, { severity: 'error', limit: 5000 }, ALL);
    expect(errors.items).toEqual(all.filter((f) => f.severity === 'error'));
    const upnDuplicates = await store.findings.listFindings(generationId, { ruleId: 'entra.address.duplicate', attribute: 'userPrincipalName', limit: 5000 }, ALL);
    expect(upnDuplicates.items).toEqual(all.filter((f) => f.ruleId === 'entra.address.duplicate' && f.attribute === 'userPrincipalName'));
  });

  it('replaces earlier findings of the same generation', async () => {
    await store.findings.saveFindings(generationId, { ruleSet: 'idfix', summary }, [finding(7)]);
    expect((await store.findings.listFindings(generationId, { limit: 10 }, ALL)).items).toEqual([finding(7)]);
    expect((await store.findings.getRun(generationId, ALL))?.ruleSet).toBe('idfix');
  });

  it('refuses an unknown generation, a bad limit and a bad cursor with codes', async () => {
    await expect(store.findings.saveFindings(999_999, { ruleSet: 'entra', summary }, [])).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    await expect(store.findings.listFindings(generationId, { limit: 0 }, ALL)).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
    await expect(store.findings.listFindings(generationId, { limit: 10, after: 'x' }, ALL)).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
