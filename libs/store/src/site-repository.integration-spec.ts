import type { Store } from './store';
import { storeFactories } from './testing';
import { ALL_ORGANIZATIONS as ALL } from './access-scope';

describe.each(storeFactories())('SiteRepository on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(() => factory.cleanup());

  it('creates a site once and returns it on later calls', async () => {
    const created = await store.sites.ensureSite('Contoso – Zürich');
    expect(created).toEqual({
      id: expect.stringMatching(/^site_[0-9a-f]{32}$/),
      name: 'Contoso – Zürich',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      currentGenerationId: null,
      lastSnapshotAt: null,
      tenant: null,
      organizationId: null,
    });
    expect(await store.sites.ensureSite('Contoso – Zürich')).toEqual(created);
    expect(await store.sites.getSite(created.id, ALL)).toEqual(created);
  });

  it('yields one site when ten callers ensure the same name at once', async () => {
    const sites = await Promise.all(Array.from({ length: 10 }, () => store.sites.ensureSite('race')));
    expect(new Set(sites.map((site) => site.id)).size).toBe(1);
    expect((await store.sites.listSites(ALL)).filter((site) => site.name === 'race')).toHaveLength(1);
  });

  it('yields one site when two stores on the same database race', async () => {
    const other = await factory.open();
    const sites = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).sites.ensureSite('race-two-stores')),
    );
    expect(new Set(sites.map((site) => site.id)).size).toBe(1);
  });

  it('lists sites ordered by name', async () => {
    for (const name of ['list-c', 'list-a', 'list-b']) await store.sites.ensureSite(name);
    const names = (await store.sites.listSites(ALL)).map((site) => site.name).filter((name) => name.startsWith('list-'));
    expect(names).toEqual(['list-a', 'list-b', 'list-c']);
  });

  it('records the tenant a site syncs to and lists the sites of one tenant', async () => {
    await store.sites.ensureSite('tenant-a-1', { tenant: 'contoso.onmicrosoft.com' });
    await store.sites.ensureSite('tenant-a-2');
    await store.sites.ensureSite('tenant-a-2', { tenant: 'contoso.onmicrosoft.com' });
    await store.sites.ensureSite('tenant-b-1', { tenant: 'fabrikam.onmicrosoft.com' });
    expect((await store.sites.ensureSite('tenant-a-1')).tenant).toBe('contoso.onmicrosoft.com');
    const names = (await store.sites.listSites({ ...ALL, tenant: 'contoso.onmicrosoft.com' })).map((site) => site.name);
    expect(names).toEqual(['tenant-a-1', 'tenant-a-2']);
    expect((await store.sites.ensureSite('tenant-a-1', { tenant: null })).tenant).toBeNull();
  });

  it('returns undefined for an unknown id', async () => {
    expect(await store.sites.getSite('site_doesnotexist', ALL)).toBeUndefined();
  });

  it('rejects an empty name with a code', async () => {
    await expect(store.sites.ensureSite('  ')).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
