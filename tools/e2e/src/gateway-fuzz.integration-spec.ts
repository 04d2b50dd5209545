/**
 * Throws a few thousand random and mutated inputs at the public surfaces (POST /api/v1/enroll,
 * the challenge, the WebSocket upgrade, and frames before and after authentication): the
 * server answers with errors, keeps serving, and stores nothing from them. Seeded, bounded in
 * count, loopback only.
 */
import { join } from 'node:path';
import { encodeAgentMessage, PROTOCOL_VERSION } from '@syncready/protocol';
import { openStore, type Store } from '@syncready/store';
import WebSocket from 'ws';
import { createToken, enroll, enrolledAgentId } from './agent-enrollment';
import { runServerCommand, startServer, tempDir, type ServerProcess } from './processes';
import { RawAgent, RawAgentIdentity, UpgradeRefused, authHeaders, fetchNonce } from './raw-agent';

const ORG = 'e2e-fuzz';
const ENROLL_BODIES = 1500;
const UPGRADES = 300;
const FRAMES_PER_SESSION = 150;
const SESSIONS = 6;
/** Per test: the root jest run does not apply the e2e project's timeout. */
const TIMEOUT_MS = 120_000;

/** Mulberry32: the same inputs on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(0x5eed);
const int = (n: number): number => Math.floor(random() * n);
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

function mutate(input: Buffer): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + int(4);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = int(out.length);
    switch (int(3)) {
      case 0:
        out[at] = int(256);
        break;
      case 1:
        return Buffer.concat([out.subarray(0, at), bytes(1 + int(8)), out.subarray(at)]);
      default:
        return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + int(8)))]);
    }
  }
  return out;
}

/** A mutation that differs from its input: a byte overwritten with its own value changes nothing. */
function mutateSurely(input: Buffer): Buffer {
  for (;;) {
    const out = mutate(input);
    if (!out.equals(input)) return out;
  }
}

let server: ServerProcess;
let store: Store;
let identity: RawAgentIdentity;
let validBody: Buffer;
let stateDir: string;

async function counts(): Promise<{ sites: number; agents: number; generations: number; tokensUsed: number }> {
  const sites = await store.sites.listSites({ organizationIds: '*' });
  const agents = await store.agents.list({ organizationIds: '*' });
  const tokens = await store.enrollmentTokens.list({ organizationIds: '*' });
  let generations = 0;
  for (const site of sites) generations += (await store.objects.summary(site.id, { organizationIds: '*' }))?.generation ?? 0;
  return { sites: sites.length, agents: agents.length, generations, tokensUsed: tokens.reduce((n, t) => n + t.usesTotal - t.usesLeft, 0) };
}

beforeAll(async () => {
  const dir = tempDir('fuzz');
  server = await startServer({
    storeFile: join(dir, 'syncready.sqlite'),
    config: { gateway: { helloTimeoutMs: 2000, authAttemptsPerMinute: 100_000, enrollAttemptsPerMinute: 100_000 } },
  });
  store = await openStore({ dialect: 'sqlite', filename: join(dir, 'syncready.sqlite') });
  stateDir = join(dir, 'state');
  const token = await createToken(server, { org: ORG, site: 'fuzz-site' });
  const run = await enroll(server, token, stateDir);
  expect(run.code).toBe(0);
  expect(enrolledAgentId(run)).toMatch(/^agt_/);
  identity = RawAgentIdentity.load(stateDir);
  // A well-formed request whose token is real but revoked: mutations of it reach every check,
  // down to the atomic consumption, and none of them can enroll.
  const revoked = await createToken(server, { org: ORG, site: 'fuzz-site', uses: 5 });
  expect((await runServerCommand(['token', 'revoke', revoked.slice(4, 32)], server.storeFile)).code).toBe(0);
  validBody = Buffer.from(JSON.stringify({ token: revoked, publicKey: Buffer.alloc(32, 7).toString('base64'), hostName: 'fuzz-host', installId: '00000000-0000-4000-8000-000000000000' }));
}, TIMEOUT_MS);

afterAll(async () => {
  await store?.close();
  await server?.stop();
});

describe('fuzzing the public surfaces', () => {
  let before: Awaited<ReturnType<typeof counts>>;

  beforeAll(async () => {
    before = await counts();
  });

  it('answers every random or mutated enrollment body with a 4xx and enrolls nobody', async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < ENROLL_BODIES; i++) {
      const kind = int(4);
      const body = kind === 0 ? bytes(int(300)) : kind === 1 ? mutate(validBody) : kind === 2 ? Buffer.from(JSON.stringify(pick([null, 1, 'x', [], {}, { token: 'set_' }, { ...JSON.parse(validBody.toString()), extra: 1 }]))) : bytes(9000 + int(4000));
      const res = await fetch(`${server.url}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': pick(['application/json', 'text/plain', 'application/octet-stream']) }, body });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(statuses.size).toBeGreaterThan(1);
  }, TIMEOUT_MS);

  it('refuses random and mutated upgrades before a WebSocket exists', async () => {
    for (let i = 0; i < UPGRADES; i++) {
      const nonce = int(2) ? await fetchNonce(server.wsUrl) : bytes(int(40)).toString('base64url');
      const headers = authHeaders(identity, nonce, mutateSurely(Buffer.from(identity.sign(nonce), 'base64url')).toString('base64url'));
      const key = pick(Object.keys(headers));
      if (int(2)) headers[key] = mutate(Buffer.from(headers[key] ?? '')).toString('latin1').replace(/[^\x20-\x7e]/g, '');
      const err = await RawAgent.connect(server.wsUrl, undefined, { nonce, headers }).then(
        (agent) => {
          agent.socket.terminate();
          return undefined;
        },
        (e: unknown) => e,
      );
      // Whatever the header mutation did, the signature differs from the real one on every
      // attempt, so every upgrade must be refused.
      expect(err).toBeInstanceOf(UpgradeRefused);
      expect([401, 403]).toContain((err as UpgradeRefused).status);
    }
  }, TIMEOUT_MS);

  it('closes authenticated and unauthenticated sessions that send garbage frames, with a named code', async () => {
    const hello = Buffer.from(encodeAgentMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION, agentVersion: 'fuzz', capabilities: [], siteKey: '', hostName: 'fuzz' }));
    for (let s = 0; s < SESSIONS; s++) {
      const agent = await RawAgent.connect(server.wsUrl, identity);
      if (s % 2 === 0) {
        agent.sendRaw(hello);
        await agent.waitFor('welcome');
      }
      for (let i = 0; i < FRAMES_PER_SESSION && agent.socket.readyState === WebSocket.OPEN; i++) {
        agent.sendRaw(int(2) ? bytes(int(200)) : mutate(hello));
      }
      const { code } = await agent.closed;
      expect(code).toBeGreaterThanOrEqual(4000);
    }
    // Without credentials there is no socket to send frames on at all.
    const unauthenticated = await RawAgent.connect(server.wsUrl, undefined).catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(UpgradeRefused);
  }, TIMEOUT_MS);

  it('stored nothing from any of it, and a good agent still works afterwards', async () => {
    expect(await counts()).toEqual(before);
    const good = await RawAgent.connect(server.wsUrl, identity);
    good.hello();
    expect((await good.waitFor('welcome')).siteId).toBe((await store.agents.get(identity.agentId))?.siteId);
    good.socket.close();
    await good.closed;
    const token = await createToken(server, { org: ORG, site: 'fuzz-after' });
    expect((await enroll(server, token, join(tempDir('after'), 's'))).code).toBe(0);
    expect((await runServerCommand(['agent', 'list'], server.storeFile)).stdout.split('\n').filter(Boolean)).toHaveLength(before.agents + 1);
  }, TIMEOUT_MS);
});
