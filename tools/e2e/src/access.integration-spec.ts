/**
 * Access control of the HTTP API, against the real control plane and real agents: two
 * organizations, each with an enrolled agent that committed a snapshot; every /api/v1 route
 * tried with every role on its own and on the other organization, and with no, garbage and
 * revoked credentials.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { apiRequest, getJson } from './api-client';
import { runAgent, runServerCommand, startServer, tempDir, writeAgentConfig, type ServerProcess } from './processes';

const OU = 'E2E-Access';
type Whose = 'own' | 'foreign';
type Caller = 'viewer' | 'operator' | 'admin' | 'provider';

interface Org {
  id: string;
  siteId: string;
  agentId: string;
  tokenId: string;
  tenant: string;
}

let dc: DcConnection;
let server: ServerProcess;
let dir: string;
let storeFile: string;
let bootstrap: string;
const orgs: Partial<Record<Whose, Org>> = {};
const credentials: Partial<Record<Caller | 'revoked', string>> = {};

function org(whose: Whose): Org {
  const found = orgs[whose];
  if (!found) throw new Error(`organization ${whose} was not set up`);
  return found;
}

async function cli(args: string[]): Promise<string> {
  const run = await runServerCommand(args, storeFile);
  if (run.code !== 0) throw new Error(`syncready-server ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout.trim();
}

/** Enrolls an agent into `orgId` with a single-use token for `site`, runs one snapshot. */
async function enrolledSite(name: string, orgId: string, tenant: string): Promise<Org> {
  const issued = await apiRequest<{ id: string; token: string }>('POST', `${server.url}/api/v1/enrollment-tokens`, bootstrap, { organizationId: orgId, siteName: name, tenant });
  expect(issued.status).toBe(201);
  const stateDir = join(dir, `${name}-state`);
  const enroll = await runAgent(['enroll', '--server', server.url, '--token', issued.body.token, '--state-dir', stateDir, '--allow-insecure']);
  expect(enroll).toMatchObject({ code: 0 });
  const config = writeAgentConfig(
    dir,
    {
      server: { url: server.wsUrl, allowInsecure: true },
      stateDir,
      ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'pw'), tls: { caFile: dc.caFile }, baseDn: `OU=${OU},${dc.baseDn}` },
    },
    `${name}.json`,
  );
  expect(await runAgent(['run', '--once', '--config', config])).toMatchObject({ code: 0 });
  const sites = await getJson<{ items: { id: string; name: string; currentGenerationId: number | null }[] }>(`${server.url}/api/v1/sites`, bootstrap);
  const site = sites.body.items.find((s) => s.name === name);
  expect(site?.currentGenerationId).toEqual(expect.any(Number));
  const agents = await getJson<{ items: { id: string; siteId: string }[] }>(`${server.url}/api/v1/agents`, bootstrap);
  const agent = agents.body.items.find((a) => a.siteId === site?.id);
  return { id: orgId, siteId: site?.id ?? '', agentId: agent?.id ?? '', tokenId: issued.body.id, tenant };
}

beforeAll(async () => {
  dc = readDcConnection();
  dir = tempDir('access');
  storeFile = join(dir, 'syncready.sqlite');
  writeFileSync(join(dir, 'pw'), dc.password, { mode: 0o600 });
  await ensureFixture({ ou: OU, users: 12, groups: 3, contacts: 2, computers: 2 });
  // The route table alone makes ~100 failed authentications: keep this server's limit high.
  server = await startServer({ storeFile, config: { api: { authFailureLimit: 10_000 } } });
  bootstrap = server.credential ?? '';
  expect(bootstrap).toMatch(/^srk_cred_[0-9a-f]{32}_/);

  // Admin commands run beside the live server on the same SQLite file.
  const acme = await cli(['org', 'create', 'acme']);
  const globex = await cli(['org', 'create', 'globex']);
  for (const role of ['viewer', 'operator', 'admin'] as const) credentials[role] = await cli(['credential', 'create', '--org', 'acme', '--role', role, '--name', `acme ${role}`]);
  credentials.provider = await cli(['credential', 'create', '--provider', '--orgs', 'acme', '--role', 'admin', '--name', 'acme msp']);
  credentials.revoked = await cli(['credential', 'create', '--org', 'acme', '--role', 'admin', '--name', 'leaked']);
  await cli(['credential', 'revoke', /^srk_(cred_[0-9a-f]{32})_/.exec(credentials.revoked)?.[1] ?? '']);

  orgs.own = await enrolledSite('acme-hq', acme, 'acme.onmicrosoft.com');
  orgs.foreign = await enrolledSite('globex-hq', globex, 'globex.onmicrosoft.com');
});

afterAll(async () => {
  await server?.stop();
});

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  label: string;
  path: (whose: Whose) => string;
  body?: (whose: Whose) => unknown;
  needs: 'viewer' | 'operator' | 'admin';
  /** Status for a permitted caller on its own organization and on the other one. */
  own: number;
  foreign: number;
}

/** Every authenticated /api/v1 route. List routes answer 200 on "foreign" with only the caller's items. */
const ROUTES: Route[] = [
  { method: 'GET', label: '/organizations', path: () => '/organizations', needs: 'viewer', own: 200, foreign: 200 },
  { method: 'GET', label: '/sites', path: () => '/sites', needs: 'viewer', own: 200, foreign: 200 },
  { method: 'GET', label: '/sites/:siteId', path: (w) => `/sites/${org(w).siteId}`, needs: 'viewer', own: 200, foreign: 404 },
  { method: 'GET', label: '/sites/:siteId/objects', path: (w) => `/sites/${org(w).siteId}/objects?limit=5`, needs: 'viewer', own: 200, foreign: 404 },
  { method: 'GET', label: '/sites/:siteId/summary', path: (w) => `/sites/${org(w).siteId}/summary`, needs: 'viewer', own: 200, foreign: 404 },
  { method: 'GET', label: '/sites/:siteId/findings', path: (w) => `/sites/${org(w).siteId}/findings?limit=5`, needs: 'viewer', own: 200, foreign: 404 },
  { method: 'POST', label: '/sites/:siteId/checks', path: (w) => `/sites/${org(w).siteId}/checks`, needs: 'operator', own: 200, foreign: 404 },
  // The agents here ran `run --once` and are gone: nobody to ask (the delta spec asks a live one).
  { method: 'POST', label: '/sites/:siteId/sync', path: (w) => `/sites/${org(w).siteId}/sync`, body: () => ({ mode: 'full' }), needs: 'operator', own: 409, foreign: 404 },
  { method: 'GET', label: '/tenants/:tenant/findings', path: (w) => `/tenants/${org(w).tenant}/findings`, needs: 'viewer', own: 200, foreign: 404 },
  { method: 'GET', label: '/audit', path: () => '/audit', needs: 'admin', own: 200, foreign: 200 },
  { method: 'GET', label: '/enrollment-tokens', path: () => '/enrollment-tokens', needs: 'admin', own: 200, foreign: 200 },
  { method: 'POST', label: '/enrollment-tokens', path: () => '/enrollment-tokens', body: (w) => ({ organizationId: org(w).id, siteName: `extra-${w}` }), needs: 'admin', own: 201, foreign: 404 },
  { method: 'DELETE', label: '/enrollment-tokens/:tokenId', path: (w) => `/enrollment-tokens/${org(w).tokenId}`, needs: 'admin', own: 200, foreign: 404 },
  { method: 'GET', label: '/agents', path: () => '/agents', needs: 'admin', own: 200, foreign: 200 },
  { method: 'POST', label: '/agents/:agentId/revoke', path: (w) => `/agents/${org(w).agentId}/revoke`, needs: 'admin', own: 200, foreign: 404 },
];
const RANK = { viewer: 1, operator: 2, admin: 3 } as const;
const CALLERS: Record<Caller, keyof typeof RANK> = { viewer: 'viewer', operator: 'operator', admin: 'admin', provider: 'admin' };

describe('every /api/v1 route × role × organization', () => {
  const cases = ROUTES.flatMap((route) =>
    (Object.keys(CALLERS) as Caller[]).flatMap((caller) =>
      (['own', 'foreign'] as const).map((whose) => {
        const expected = RANK[CALLERS[caller]] < RANK[route.needs] ? 403 : route[whose];
        return [route.method, route.label, caller, whose, expected, route] as const;
      }),
    ),
  );

  it.each(cases)('%s %s as %s on the %s organization → %i', async (method, _label, caller, whose, expected, route) => {
    const res = await apiRequest(method, `${server.url}/api/v1${route.path(whose)}`, credentials[caller], route.body?.(whose));
    expect(res.status).toBe(expected);
    if (expected === 403) expect(res.body).toMatchObject({ error: { code: 'API.FORBIDDEN' } });
    if (expected === 404) expect(res.body).toMatchObject({ error: { code: 'API.NOT_FOUND' } });
    // Nothing of the other organization shows, whatever the route.
    const text = JSON.stringify(res.body);
    for (const value of [org('foreign').id, org('foreign').siteId, org('foreign').agentId]) expect(text).not.toContain(value);
  });

  const bad: Record<string, () => string | undefined> = { no: () => undefined, garbage: () => 'srk_garbage', revoked: () => credentials.revoked };
  it.each(ROUTES.flatMap((route) => Object.keys(bad).map((kind) => [route.method, route.label, kind, route] as const)))(
    '%s %s with %s credential → 401',
    async (method, _label, kind, route) => {
      const res = await apiRequest(method, `${server.url}/api/v1${route.path('own')}`, bad[kind]?.(), route.body?.('own'));
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'API.UNAUTHENTICATED' } });
    },
  );
});

describe('credentials', () => {
  it('refuses a credential the moment it is revoked on the command line', async () => {
    const token = await cli(['credential', 'create', '--org', 'acme', '--role', 'viewer', '--name', 'short-lived']);
    expect((await getJson(`${server.url}/api/v1/sites`, token)).status).toBe(200);
    await cli(['credential', 'revoke', /^srk_(cred_[0-9a-f]{32})_/.exec(token)?.[1] ?? '']);
    expect((await getJson(`${server.url}/api/v1/sites`, token)).status).toBe(401);
  });

  it('lists credentials without their secrets', async () => {
    const list = await cli(['credential', 'list']);
    expect(list).toContain('acme viewer');
    expect(list).not.toMatch(/srk_/);
  });

  it('audits failed authentications with the source address, visible to the provider admin', async () => {
    await getJson(`${server.url}/api/v1/sites`, 'srk_cred_00000000000000000000000000000000_guess');
    const { body } = await getJson<{ items: { event: string; outcome: string; sourceAddress: string | null }[] }>(`${server.url}/api/v1/audit?limit=5`, bootstrap);
    expect(body.items[0]).toMatchObject({ event: 'credential.auth_failed', outcome: 'failure', sourceAddress: expect.stringContaining('127.0.0.1') });
  });

  it('prints the bootstrap credential on the first start only, and never logs a secret', async () => {
    expect(server.output()).not.toContain(credentials.admin ?? 'missing');
    const again = await startServer({ storeFile, config: { api: { authFailureLimit: 3, authFailureWindowSeconds: 60 } } });
    try {
      expect(again.credential).toBeUndefined();
      expect(again.output()).not.toContain('srk_');
      // Over the limit, an address gets 429 with Retry-After, even with a valid credential.
      for (let i = 0; i < 3; i++) expect((await getJson(`${again.url}/api/v1/sites`, 'srk_wrong')).status).toBe(401);
      const limited = await apiRequest('GET', `${again.url}/api/v1/sites`, bootstrap);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ error: { code: 'API.RATE_LIMITED' } });
    } finally {
      await again.stop();
    }
  });
});
