import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type CredentialRole, type Store } from '@syncready/store';
import { expectedFor, sqliteFactory, testForest, testObjects } from '@syncready/store/testing';
import express from 'express';
import { errorHandler } from './api-error';
import { apiRouter } from './api-router';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { syncRouter, type RequestSync } from './sync-routes';

/**
 * The API's access rules against a real store and a real HTTP listener: every route × every
 * role × own and foreign organization, and the ways authentication fails.
 */
const factory = sqliteFactory();
let store: Store;
let server: Server;
let base: string;
const tokens: Record<string, string> = {};
const sites: Record<'own' | 'foreign', string> = { own: '', foreign: '' };
const syncRequests: { siteId: string; fullSnapshot: boolean; reason: string }[] = [];

interface Route {
  method: 'GET' | 'POST';
  path: (siteId: string) => string;
  needs: CredentialRole;
  /** What a foreign organization's resource answers (list routes answer 200 with only the caller's data). */
  foreign: 200 | 404;
  /** What a permitted caller gets on its own organization. @default 200 */
  own?: number;
}

const ROUTES: Route[] = [
  { method: 'GET', path: () => '/organizations', needs: 'viewer', foreign: 200 },
  { method: 'GET', path: () => '/sites', needs: 'viewer', foreign: 200 },
  { method: 'GET', path: (s) => `/sites/${s}`, needs: 'viewer', foreign: 404 },
  { method: 'GET', path: (s) => `/sites/${s}/objects`, needs: 'viewer', foreign: 404 },
  { method: 'GET', path: (s) => `/sites/${s}/summary`, needs: 'viewer', foreign: 404 },
  { method: 'GET', path: (s) => `/sites/${s}/findings`, needs: 'viewer', foreign: 404 },
  { method: 'POST', path: (s) => `/sites/${s}/checks`, needs: 'operator', foreign: 404 },
  { method: 'POST', path: (s) => `/sites/${s}/sync`, needs: 'operator', foreign: 404, own: 202 },
  { method: 'GET', path: (s) => `/tenants/${s === sites.own ? 'own.onmicrosoft.com' : 'foreign.onmicrosoft.com'}/findings`, needs: 'viewer', foreign: 404 },
  { method: 'GET', path: () => '/audit', needs: 'admin', foreign: 200 },
];
const RANK: Record<CredentialRole, number> = { viewer: 1, operator: 2, admin: 3 };

async function call(method: string, path: string, token?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}/api/v1${path}`, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function committedSite(orgId: string, name: string, tenant: string): Promise<string> {
  const site = await store.sites.ensureSite(name, { organizationId: orgId, tenant });
  const objects = testObjects(8);
  const { generationId } = await store.snapshots.beginGeneration({ siteId: site.id, snapshotId: 's1', forest: testForest(), baseDn: 'DC=corp,DC=example,DC=com' });
  await store.snapshots.appendObjects(generationId, objects);
  await store.snapshots.commitGeneration(generationId, expectedFor(objects));
  return site.id;
}

beforeAll(async () => {
  store = await factory.open();
  const own = await store.organizations.create('own');
  const foreign = await store.organizations.create('foreign');
  sites.own = await committedSite(own.id, 'own-site', 'own.onmicrosoft.com');
  sites.foreign = await committedSite(foreign.id, 'foreign-site', 'foreign.onmicrosoft.com');
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    tokens[role] = (await store.credentials.create({ name: role, role, scope: { organizationId: own.id } })).token;
  }
  tokens['provider'] = (await store.credentials.create({ name: 'msp', role: 'admin', scope: { provider: true, organizationIds: [own.id] } })).token;
  const revoked = await store.credentials.create({ name: 'gone', role: 'admin', scope: { organizationId: own.id } });
  await store.credentials.revoke(revoked.credential.id);
  tokens['revoked'] = revoked.token;

  const app = express();
  app.use(express.json({ limit: '64kb' }));
  const limiter = new AuthFailureLimiter({ maxFailures: 1000 });
  // The own site has a connected agent; any other site has none.
  const requestSync: RequestSync = (siteId, fullSnapshot, reason) => {
    syncRequests.push({ siteId, fullSnapshot, reason });
    return siteId === sites.own ? [{ agentId: 'agent_own', hostName: 'dc1.own.example' }] : [];
  };
  app.use('/api/v1', apiRouter({ store, limiter, recomputeFindings: () => Promise.resolve({ findings: 0, generation: 1 }), authenticatedRoutes: [syncRouter(store, requestSync)] }));
  app.use(errorHandler(() => undefined));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await factory.cleanup();
});

describe('every /api/v1 route', () => {
  const roles = ['viewer', 'operator', 'admin', 'provider'] as const;
  const cases = ROUTES.flatMap((route) =>
    roles.flatMap((role) =>
      (['own', 'foreign'] as const).map((whose) => {
        const granted = RANK[role === 'provider' ? 'admin' : role] >= RANK[route.needs];
        const expected = !granted ? 403 : whose === 'own' ? (route.own ?? 200) : route.foreign;
        return [route.method, route.path(':siteId'), role, whose, expected, route] as const;
      }),
    ),
  );

  it.each(cases)('%s %s as %s on the %s organization → %i', async (method, _label, role, whose, expected, route) => {
    const { status, body } = await call(method, route.path(sites[whose]), tokens[role]);
    expect(status).toBe(expected);
    if (expected === 403) expect(body).toMatchObject({ error: { code: 'API.FORBIDDEN' } });
    if (expected === 404) expect(body).toMatchObject({ error: { code: 'API.NOT_FOUND' } });
    // Never a trace of the other organization, on any route.
    expect(JSON.stringify(body)).not.toContain(sites.foreign);
  });

  const bad = { none: undefined, garbage: 'srk_not-a-credential', revoked: 'revoked' } as const;
  it.each(ROUTES.flatMap((route) => Object.keys(bad).map((kind) => [route.method, route.path(':siteId'), kind, route] as const)))(
    '%s %s with %s credential → 401',
    async (method, _label, kind, route) => {
      const token = kind === 'revoked' ? tokens['revoked'] : bad[kind as keyof typeof bad];
      const { status, body, headers } = await call(method, route.path(sites.own), token);
      expect(status).toBe(401);
      expect(body).toMatchObject({ error: { code: 'API.UNAUTHENTICATED' } });
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
    },
  );

  it('keeps openapi.json public', async () => {
    expect((await call('GET', '/openapi.json')).status).toBe(200);
  });

  it('audits failed authentications with the source address', async () => {
    await call('GET', '/sites', 'srk_cred_00000000000000000000000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    const { items } = await store.audit.list({ organizationIds: '*', limit: 1 });
    expect(items[0]).toMatchObject({ event: 'credential.auth_failed', outcome: 'failure', sourceAddress: expect.stringMatching(/127\.0\.0\.1/), detail: { reason: 'unknown_or_revoked', path: '/api/v1/sites' } });
  });
});

describe('POST /sites/:siteId/sync', () => {
  async function post(siteId: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}/api/v1/sites/${siteId}/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['operator']}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('asks the connected agent for a full snapshot with {"mode": "full"}, and audits who asked', async () => {
    syncRequests.length = 0;
    const answer = await post(sites.own, { mode: 'full' });
    expect(answer).toEqual({ status: 202, body: { siteId: sites.own, mode: 'full', agents: [{ agentId: 'agent_own', hostName: 'dc1.own.example' }] } });
    expect(syncRequests).toEqual([{ siteId: sites.own, fullSnapshot: true, reason: expect.stringMatching(/^resync requested by credential \S+$/) }]);
    const { items } = await store.audit.list({ organizationIds: '*', limit: 1 });
    expect(items[0]).toMatchObject({ event: 'site.sync_requested', outcome: 'success', detail: { siteId: sites.own, mode: 'full', agents: ['agent_own'] } });
  });

  it('asks for a delta when the body is empty', async () => {
    syncRequests.length = 0;
    expect((await post(sites.own, {})).body).toMatchObject({ mode: 'delta' });
    expect(syncRequests).toEqual([{ siteId: sites.own, fullSnapshot: false, reason: expect.stringMatching(/^sync now requested by credential /) }]);
  });

  it.each([[{ mode: 'everything' }], [{ mode: 'full', extra: 1 }], [[]], [{ mode: true }]])('refuses the body %j with 400 and asks no agent', async (body) => {
    syncRequests.length = 0;
    const answer = await post(sites.own, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'API.INVALID_BODY', message: expect.stringContaining('{"mode": "full"}') } });
    expect(syncRequests).toEqual([]);
  });

  it('answers 409 when no agent of the site is connected, and audits the failure', async () => {
    const lonely = await committedSite((await store.organizations.list({ organizationIds: '*' }))[0]?.id as string, 'no-agent-site', 'own.onmicrosoft.com');
    const tokenFor = await store.credentials.create({ name: 'ops-all', role: 'operator', scope: { provider: true, organizationIds: '*' } });
    const res = await fetch(`${base}/api/v1/sites/${lonely}/sync`, { method: 'POST', headers: { authorization: `Bearer ${tokenFor.token}` } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'API.AGENT_NOT_CONNECTED' } });
    const { items } = await store.audit.list({ organizationIds: '*', limit: 1 });
    expect(items[0]).toMatchObject({ event: 'site.sync_requested', outcome: 'failure', detail: { siteId: lonely, agents: [] } });
  });
});
