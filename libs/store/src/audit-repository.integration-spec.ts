import type { Store } from './store';
import { storeFactories } from './testing';

describe.each(storeFactories())('AuditRepository on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.open(factory.freshConfig());
  });
  afterAll(() => factory.cleanup());

  it('records events and lists them newest first, page by page', async () => {
    for (let i = 0; i < 5; i++) {
      await store.audit.record({ organizationId: 'org_a', actor: 'cred_x', event: 'credential.created', outcome: 'success', detail: { n: i } });
    }
    const first = await store.audit.list({ organizationIds: '*', limit: 2 });
    expect(first.items.map((e) => e.detail['n'])).toEqual([4, 3]);
    expect(first.items[0]).toMatchObject({ organizationId: 'org_a', actor: 'cred_x', event: 'credential.created', outcome: 'success', sourceAddress: null });
    const second = await store.audit.list({ organizationIds: '*', limit: 2, after: first.nextCursor ?? '' });
    expect(second.items.map((e) => e.detail['n'])).toEqual([2, 1]);
    const third = await store.audit.list({ organizationIds: '*', limit: 2, after: second.nextCursor ?? '' });
    expect(third).toMatchObject({ items: [{ detail: { n: 0 } }], nextCursor: null });
  });

  it('shows an organization only its own events; events of no organization only to every-organization scope', async () => {
    await store.audit.record({ organizationId: 'org_b', actor: 'cred_b', event: 'credential.revoked', outcome: 'success' });
    await store.audit.record({ organizationId: null, actor: 'anonymous', event: 'credential.auth_failed', outcome: 'failure', sourceAddress: '192.0.2.7' });
    const b = await store.audit.list({ organizationIds: ['org_b'], limit: 100 });
    expect(b.items.map((e) => e.event)).toEqual(['credential.revoked']);
    expect((await store.audit.list({ organizationIds: [], limit: 100 })).items).toEqual([]);
    const all = await store.audit.list({ organizationIds: '*', limit: 100 });
    expect(all.items[0]).toMatchObject({ organizationId: null, event: 'credential.auth_failed', outcome: 'failure', sourceAddress: '192.0.2.7' });
  });

  it('rejects a bad limit or cursor with a code', async () => {
    await expect(store.audit.list({ organizationIds: '*', limit: 0 })).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
    await expect(store.audit.list({ organizationIds: '*', limit: 1, after: 'x' })).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
