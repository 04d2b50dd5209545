import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './store';
import { storeFactories } from './testing';

let clock = new Date('2030-01-01T00:00:00.000Z');

function tokenId(): string {
  return `etk_${randomBytes(12).toString('hex')}`;
}

function agentInput(tokenId: string, overrides: Partial<{ siteName: string; publicKey: string; hostName: string }> = {}) {
  return {
    tokenId,
    publicKey: overrides.publicKey ?? randomBytes(32).toString('base64'),
    hostName: overrides.hostName ?? 'dc01.corp.example.com',
    installId: '7d8f4c0e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
    computerGuid: null,
    ...(overrides.siteName !== undefined ? { siteName: overrides.siteName } : {}),
  };
}

describe.each(storeFactories())('enrollment tokens and agents on $name', (factory) => {
  let store: Store;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    store = await factory.open({ ...factory.config(), now: () => clock });
    orgA = (await store.organizations.ensure('agents-org-a')).id;
    orgB = (await store.organizations.ensure('agents-org-b')).id;
  });
  afterAll(() => factory.cleanup());

  async function newToken(options: { uses?: number; siteName?: string | null; organizationId?: string; expiresInMs?: number; labels?: string[]; tenant?: string } = {}) {
    return store.enrollmentTokens.create({
      id: tokenId(),
      secretHash: createHash('sha256').update('secret').digest('hex'),
      organizationId: options.organizationId ?? orgA,
      siteName: options.siteName === undefined ? `site-${randomBytes(4).toString('hex')}` : options.siteName,
      labels: options.labels ?? [],
      ...(options.tenant ? { tenant: options.tenant } : {}),
      uses: options.uses ?? 1,
      expiresAt: new Date(clock.getTime() + (options.expiresInMs ?? 3_600_000)),
      createdBy: 'test',
    });
  }

  it('stores a token without its secret and finds it for verification', async () => {
    const token = await newToken({ uses: 3, labels: ['branch', 'gpo'] });
    expect(token).toMatchObject({ organizationId: orgA, usesTotal: 3, usesLeft: 3, labels: ['branch', 'gpo'], revokedAt: null });
    expect(JSON.stringify(token)).not.toContain(createHash('sha256').update('secret').digest('hex'));
    const found = await store.enrollmentTokens.getForVerification(token.id);
    expect(found?.secretHash).toBe(createHash('sha256').update('secret').digest('hex'));
    expect(found?.token).toEqual(token);
  });

  it('lets exactly one of ten racing consumers take a single-use token', async () => {
    const token = await newToken();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.enrollmentTokens.consume(token.id)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual(Array(9).fill('used_up'));
  });

  it('enrolls exactly one agent when ten agents race on a single-use token, across two stores', async () => {
    const token = await newToken();
    const other = await factory.open({ ...factory.config(), now: () => clock });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).agents.enroll(agentInput(token.id))));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const agents = (await store.agents.list({ organizationIds: [orgA] })).filter((a) => a.tokenId === token.id);
    expect(agents).toHaveLength(1);
  });

  it('takes every use of a multi-use token once, and no more', async () => {
    const token = await newToken({ uses: 3, siteName: null });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.agents.enroll(agentInput(token.id, { siteName: `multi-${i % 2}` }))));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect((await store.enrollmentTokens.getForVerification(token.id))?.token.usesLeft).toBe(0);
  });

  it('names why a token is refused: unknown, expired, revoked, used up', async () => {
    expect(await store.enrollmentTokens.consume(tokenId())).toEqual({ ok: false, reason: 'unknown' });
    const expired = await newToken({ expiresInMs: 1000 });
    clock = new Date(clock.getTime() + 2000);
    expect(await store.agents.enroll(agentInput(expired.id))).toEqual({ ok: false, reason: 'expired' });
    const revoked = await newToken();
    expect((await store.enrollmentTokens.revoke(revoked.id, { organizationIds: [orgA] }))?.revokedAt).not.toBeNull();
    expect(await store.agents.enroll(agentInput(revoked.id))).toEqual({ ok: false, reason: 'revoked' });
    const once = await newToken();
    expect((await store.agents.enroll(agentInput(once.id))).ok).toBe(true);
    expect(await store.agents.enroll(agentInput(once.id))).toEqual({ ok: false, reason: 'used_up' });
  });

  it('creates the site in the token organization, with its tenant and labels on the agent', async () => {
    const token = await newToken({ siteName: 'enrolled-site', labels: ['hq'], tenant: 'contoso.onmicrosoft.com' });
    const result = await store.agents.enroll(agentInput(token.id));
    if (!result.ok) throw new Error(result.reason);
    expect(result.site.name).toBe('enrolled-site');
    expect(result.agent).toMatchObject({ id: expect.stringMatching(/^agt_[0-9a-f]{32}$/), organizationId: orgA, siteId: result.site.id, labels: ['hq'], revokedAt: null });
    const site = await store.sites.getSite(result.site.id, { organizationIds: [orgA] });
    expect(site).toMatchObject({ organizationId: orgA, tenant: 'contoso.onmicrosoft.com' });
    expect(await store.agents.get(result.agent.id)).toEqual(result.agent);
  });

  it('refuses a site of another organization, another site than the token names, or no site, without taking a use', async () => {
    const b = await newToken({ organizationId: orgB, siteName: 'owned-by-b' });
    expect((await store.agents.enroll(agentInput(b.id))).ok).toBe(true);
    const a = await newToken({ siteName: null, uses: 1 });
    expect(await store.agents.enroll(agentInput(a.id, { siteName: 'owned-by-b' }))).toEqual({ ok: false, reason: 'site_conflict' });
    expect(await store.agents.enroll(agentInput(a.id))).toEqual({ ok: false, reason: 'site_required' });
    const named = await newToken({ siteName: 'named-site' });
    expect(await store.agents.enroll(agentInput(named.id, { siteName: 'elsewhere' }))).toEqual({ ok: false, reason: 'site_not_allowed' });
    expect((await store.enrollmentTokens.getForVerification(a.id))?.token.usesLeft).toBe(1);
  });

  it('refuses a public key that is already enrolled', async () => {
    const publicKey = randomBytes(32).toString('base64');
    const first = await newToken();
    expect((await store.agents.enroll(agentInput(first.id, { publicKey }))).ok).toBe(true);
    const second = await newToken();
    expect(await store.agents.enroll(agentInput(second.id, { publicKey }))).toEqual({ ok: false, reason: 'key_in_use' });
  });

  it('scopes listing and revocation by organization', async () => {
    const token = await newToken({ organizationId: orgB, siteName: 'scoped-b' });
    const result = await store.agents.enroll(agentInput(token.id));
    if (!result.ok) throw new Error(result.reason);
    expect((await store.agents.list({ organizationIds: [orgA] })).some((a) => a.id === result.agent.id)).toBe(false);
    expect((await store.agents.list({ organizationIds: [] })).length).toBe(0);
    expect(await store.agents.revoke(result.agent.id, { organizationIds: [orgA] })).toBeUndefined();
    expect((await store.agents.get(result.agent.id))?.revokedAt).toBeNull();
    expect(await store.agents.revokedAmong([result.agent.id])).toEqual([]);
    expect((await store.agents.revoke(result.agent.id, { organizationIds: [orgB] }))?.revokedAt).toBe(clock.toISOString());
    expect(await store.agents.revokedAmong([result.agent.id, 'agt_other'])).toEqual([result.agent.id]);
    expect(await store.enrollmentTokens.revoke(token.id, { organizationIds: [orgA] })).toBeUndefined();
    expect((await store.enrollmentTokens.list({ organizationIds: [orgB] })).map((t) => t.id)).toContain(token.id);
    expect((await store.enrollmentTokens.list({ organizationIds: [orgA] })).map((t) => t.id)).not.toContain(token.id);
    await store.agents.touch(result.agent.id);
    expect((await store.agents.get(result.agent.id))?.lastSeenAt).toBe(clock.toISOString());
  });

  it('rejects a use count out of range', async () => {
    await expect(newToken({ uses: 0 })).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
