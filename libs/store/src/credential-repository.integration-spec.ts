import type { Store } from './store';
import { storeFactories } from './testing';

describe.each(storeFactories())('CredentialRepository on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(() => factory.cleanup());

  it('bootstraps exactly one admin over every organization, only while no credential exists', async () => {
    const fresh = await factory.open(factory.freshConfig());
    const results = await Promise.all(Array.from({ length: 6 }, () => fresh.credentials.createBootstrap()));
    const issued = results.filter((r) => r !== undefined);
    expect(issued).toHaveLength(1);
    expect(issued[0]?.credential).toMatchObject({ role: 'admin', organizationId: null, organizationIds: '*', revokedAt: null });
    expect(issued[0]?.token).toMatch(/^srk_cred_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    // Revoked, it is still never bootstrapped again: recovery goes through the CLI.
    await fresh.credentials.revoke(issued[0]?.credential.id ?? '');
    expect(await fresh.credentials.createBootstrap()).toBeUndefined();
  });

  it('does not bootstrap when a credential was created before the first start', async () => {
    const fresh = await factory.open(factory.freshConfig());
    const org = await fresh.organizations.create('pre-made');
    await fresh.credentials.create({ name: 'first', role: 'admin', scope: { organizationId: org.id } });
    expect(await fresh.credentials.createBootstrap()).toBeUndefined();
  });

  it('authenticates its token, and nothing else', async () => {
    const org = await store.organizations.create('auth-org');
    const { credential, token } = await store.credentials.create({ name: 'ci', role: 'viewer', scope: { organizationId: org.id } });
    expect(credential).toMatchObject({ name: 'ci', role: 'viewer', organizationId: org.id, organizationIds: [org.id], revokedAt: null });
    expect(await store.credentials.authenticate(token)).toEqual(credential);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    for (const wrong of [`${token.slice(0, -1)}${last}`, token.slice(0, -1), '', 'garbage', `Bearer ${token}`, token.replace(/^srk_cred_[0-9a-f]{32}/, `srk_cred_${'0'.repeat(32)}`)]) {
      expect(await store.credentials.authenticate(wrong)).toBeUndefined();
    }
  });

  it('refuses a revoked credential at once; revoking twice says so; unknown ids have a code', async () => {
    const org = await store.organizations.create('revoke-org');
    const { credential, token } = await store.credentials.create({ name: 'temp', role: 'admin', scope: { organizationId: org.id } });
    expect(await store.credentials.revoke(credential.id)).toBe(true);
    expect(await store.credentials.authenticate(token)).toBeUndefined();
    expect(await store.credentials.revoke(credential.id)).toBe(false);
    expect((await store.credentials.get(credential.id, { organizationIds: '*' }))?.revokedAt).toEqual(expect.any(String));
    await expect(store.credentials.revoke(`cred_${'f'.repeat(32)}`)).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
  });

  it('keeps the organizations of a provider-level credential, and lists by scope', async () => {
    const a = await store.organizations.create('provider-a');
    const b = await store.organizations.create('provider-b');
    const c = await store.organizations.create('provider-c');
    const { credential } = await store.credentials.create({ name: 'msp', role: 'operator', scope: { provider: true, organizationIds: [b.id, a.id] } });
    expect(credential.organizationId).toBeNull();
    expect([...credential.organizationIds]).toEqual([a.id, b.id].sort());
    const all = await store.credentials.create({ name: 'msp-all', role: 'admin', scope: { provider: true, organizationIds: '*' } });
    expect(all.credential.organizationIds).toBe('*');
    const inC = await store.credentials.create({ name: 'c-viewer', role: 'viewer', scope: { organizationId: c.id } });
    expect((await store.credentials.list({ organizationIds: [c.id] })).map((x) => x.id)).toEqual([inC.credential.id]);
    expect(await store.credentials.get(inC.credential.id, { organizationIds: [a.id] })).toBeUndefined();
    expect((await store.credentials.list({ organizationIds: '*' })).map((x) => x.name)).toEqual(expect.arrayContaining(['msp', 'msp-all', 'c-viewer']));
  });

  it('refuses a scope naming an organization that does not exist, and a bad role', async () => {
    await expect(store.credentials.create({ name: 'x', role: 'viewer', scope: { organizationId: 'org_missing' } })).rejects.toMatchObject({ code: 'STORE.NOT_FOUND' });
    await expect(store.credentials.create({ name: 'x', role: 'root' as never, scope: { provider: true, organizationIds: '*' } })).rejects.toMatchObject({
      code: 'STORE.INVALID_ARGUMENT',
    });
  });
});
