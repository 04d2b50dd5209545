import type { Store } from './store';
import { storeFactories } from './testing';

describe.each(storeFactories())('OrganizationRepository on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(() => factory.cleanup());

  it('creates an organization once; a second create of the name is refused with a code', async () => {
    const acme = await store.organizations.create('Acme AG');
    expect(acme).toEqual({ id: expect.stringMatching(/^org_[0-9a-f]{32}$/), name: 'Acme AG', createdAt: expect.any(String) });
    await expect(store.organizations.create('Acme AG')).rejects.toMatchObject({ code: 'STORE.ALREADY_EXISTS' });
    expect(await store.organizations.getByName('Acme AG')).toEqual(acme);
    expect(await store.organizations.ensure('Acme AG')).toEqual(acme);
  });

  it('yields one organization when ten callers ensure the same name at once', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => store.organizations.ensure('race-org')));
    expect(new Set(all.map((o) => o.id)).size).toBe(1);
  });

  it('lists and gets only the organizations of the scope', async () => {
    const a = await store.organizations.ensure('scope-a');
    const b = await store.organizations.ensure('scope-b');
    expect((await store.organizations.list({ organizationIds: [a.id] })).map((o) => o.name)).toEqual(['scope-a']);
    expect(await store.organizations.list({ organizationIds: [] })).toEqual([]);
    expect((await store.organizations.list({ organizationIds: '*' })).map((o) => o.name)).toEqual(expect.arrayContaining(['scope-a', 'scope-b']));
    expect(await store.organizations.get(b.id, { organizationIds: [a.id] })).toBeUndefined();
    expect(await store.organizations.get(b.id, { organizationIds: [b.id] })).toEqual(b);
  });

  it('rejects a blank name with a code', async () => {
    await expect(store.organizations.create(' ')).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
