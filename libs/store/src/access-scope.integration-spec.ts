import type { AccessScope } from './access-scope';
import type { Store } from './store';
import { expectedFor, storeFactories, testForest, testObjects } from './testing';

/**
 * Organization scoping is applied in the statements themselves: a site of another
 * organization reads exactly like a site that does not exist.
 */
describe.each(storeFactories())('organization scope of reads on $name', (factory) => {
  let store: Store;
  let own: { siteId: string; generationId: number; scope: AccessScope };
  let foreign: { siteId: string; generationId: number; scope: AccessScope };
  const objects = testObjects(12);

  async function committedSite(orgName: string, siteName: string): Promise<{ siteId: string; generationId: number; scope: AccessScope }> {
    const org = await store.organizations.create(orgName);
    const site = await store.sites.ensureSite(siteName, { organizationId: org.id, tenant: 'shared.onmicrosoft.com' });
    const { generationId } = await store.snapshots.beginGeneration({ siteId: site.id, snapshotId: 's1', forest: testForest(), baseDn: 'DC=corp,DC=example,DC=com' });
    await store.snapshots.appendObjects(generationId, objects);
    await store.snapshots.commitGeneration(generationId, expectedFor(objects));
    await store.findings.saveFindings(generationId, { ruleSet: 'entra', summary: { objectsChecked: 12, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, byRule: {} } }, []);
    return { siteId: site.id, generationId, scope: { organizationIds: [org.id] } };
  }

  beforeAll(async () => {
    store = await factory.open();
    own = await committedSite('own-org', 'own-site');
    foreign = await committedSite('foreign-org', 'foreign-site');
  });
  afterAll(() => factory.cleanup());

  it('records the organization of a site and moves it when told', async () => {
    const site = await store.sites.getSite(own.siteId, own.scope);
    expect(site?.organizationId).toEqual(own.scope.organizationIds[0]);
  });

  it('lists only the sites of the scope, also per tenant', async () => {
    expect((await store.sites.listSites(own.scope)).map((s) => s.name)).toEqual(['own-site']);
    expect((await store.sites.listSites({ ...foreign.scope, tenant: 'shared.onmicrosoft.com' })).map((s) => s.name)).toEqual(['foreign-site']);
    expect(await store.sites.listSites({ organizationIds: [] })).toEqual([]);
    expect((await store.sites.listSites({ organizationIds: '*' })).map((s) => s.name)).toEqual(['foreign-site', 'own-site']);
  });

  it('reads a foreign site as missing: site, summary, objects, one object', async () => {
    expect(await store.sites.getSite(own.siteId, own.scope)).toBeDefined();
    expect(await store.sites.getSite(foreign.siteId, own.scope)).toBeUndefined();
    expect((await store.objects.summary(own.siteId, own.scope))?.total).toBe(12);
    expect(await store.objects.summary(foreign.siteId, own.scope)).toBeUndefined();
    expect((await store.objects.listObjects(own.siteId, { limit: 100 }, own.scope)).items).toHaveLength(12);
    await expect(store.objects.listObjects(foreign.siteId, { limit: 100 }, own.scope)).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    const guid = objects[3]?.objectGuid ?? '';
    expect(await store.objects.getObject(own.siteId, guid, own.scope)).toEqual(objects[3]);
    expect(await store.objects.getObject(foreign.siteId, guid, own.scope)).toBeUndefined();
  });

  it('reads the findings of a foreign generation as not computed and empty', async () => {
    expect(await store.findings.getRun(own.generationId, own.scope)).toMatchObject({ generationId: own.generationId });
    expect(await store.findings.getRun(foreign.generationId, own.scope)).toBeUndefined();
    expect(await store.findings.listFindings(foreign.generationId, { limit: 10 }, own.scope)).toEqual({ items: [], nextCursor: null });
  });

  it('sees nothing with an empty scope and everything with every organization', async () => {
    const none: AccessScope = { organizationIds: [] };
    expect(await store.sites.getSite(own.siteId, none)).toBeUndefined();
    expect(await store.objects.summary(own.siteId, none)).toBeUndefined();
    const all: AccessScope = { organizationIds: '*' };
    expect(await store.sites.getSite(foreign.siteId, all)).toBeDefined();
    expect((await store.objects.listObjects(foreign.siteId, { limit: 100 }, all)).items).toHaveLength(12);
  });
});
