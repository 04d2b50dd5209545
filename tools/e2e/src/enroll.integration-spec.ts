/**
 * Enrollment and agent identity against the real control plane over TLS (a test CA made with
 * openssl here) and the real agent binary: tokens that are expired, revoked, used up, unknown
 * or malformed are refused with their own code and audited; a single-use token enrolls one
 * agent however many race for it; sessions are authenticated before the WebSocket exists.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloseCode } from '@syncready/protocol';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { openStore, type AuditEvent, type Store } from '@syncready/store';
import { createToken, enroll, enrolledAgentId } from './agent-enrollment';
import { runAgent, runServerCommand, startServer, tempDir, writeAgentConfig, type ServerProcess } from './processes';
import { RawAgent, RawAgentIdentity, UpgradeRefused, fetchNonce } from './raw-agent';
import { createTestCa, type TestCa } from './test-ca';

const ORG = 'e2e-enroll';
const FIXTURE = { ou: 'E2E-Enroll', users: 12, groups: 3, contacts: 3, computers: 3 };
/** Per test and hook: the root jest run does not apply the e2e project's timeout. */
const TIMEOUT_MS = 120_000;

let dc: DcConnection;
let ca: TestCa;
let caPem: Buffer;
let server: ServerProcess;
let dir: string;
let store: Store;

function agentConfig(stateDir: string, server: object = {}): string {
  return writeAgentConfig(
    dir,
    {
      server: { caFile: ca.caFile, ...server },
      stateDir,
      ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'pw'), tls: { caFile: dc.caFile }, baseDn: `OU=${FIXTURE.ou},${dc.baseDn}` },
    },
    `agent-${randomUUID()}.json`,
  );
}

async function auditEvents(event: string): Promise<AuditEvent[]> {
  const { items } = await store.audit.list({ organizationIds: '*', limit: 1000 });
  return items.filter((e) => e.event === event);
}

async function agentsOfToken(tokenId: string): Promise<number> {
  return (await store.agents.list({ organizationIds: '*' })).filter((a) => a.tokenId === tokenId).length;
}

function tokenIdOf(token: string): string {
  return token.slice('set_'.length, 'set_'.length + 28);
}

beforeAll(async () => {
  dc = readDcConnection();
  await ensureFixture(FIXTURE);
  dir = tempDir('enroll');
  writeFileSync(join(dir, 'pw'), dc.password, { mode: 0o600 });
  ca = createTestCa(dir);
  caPem = readFileSync(ca.caFile);
  server = await startServer({ storeFile: join(dir, 'syncready.sqlite'), config: { tls: { certFile: ca.certFile, keyFile: ca.keyFile } } });
  expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  store = await openStore({ dialect: 'sqlite', filename: join(dir, 'syncready.sqlite') });
}, TIMEOUT_MS);

afterAll(async () => {
  await store?.close();
  await server?.stop();
});

describe('enroll → run → data visible', () => {
  let stateDir: string;
  let agentId: string;

  beforeAll(async () => {
    stateDir = join(dir, 'hq-state');
    const token = await createToken(server, { org: ORG, site: 'enroll-hq', labels: ['hq'] });
    const run = await enroll(server, token, stateDir, ['--ca-pin', ca.serverPin]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout + run.stderr).not.toContain(token);
    agentId = enrolledAgentId(run);
  }, TIMEOUT_MS);

  it('keeps a private key only the service account can read, an install id and the identity', () => {
    expect(statSync(join(stateDir, 'agent-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(stateDir, 'agent-key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(readFileSync(join(stateDir, 'install-id'), 'utf8').trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8'))).toMatchObject({ agentId, siteName: 'enroll-hq', serverUrl: server.url, caPin: ca.serverPin });
  });

  it('runs a snapshot over wss, pinned, and the data is stored for its site', async () => {
    const run = await runAgent(['run', '--once', '--config', agentConfig(stateDir, { caFile: undefined })]);
    expect(run).toMatchObject({ code: 0 });
    const agent = await store.agents.get(agentId);
    // fetch() does not trust the test CA: read what the server stored through the store itself.
    const summary = await store.objects.summary(agent?.siteId ?? '', { organizationIds: '*' });
    expect(summary?.total).toBe(FIXTURE.users + FIXTURE.groups + FIXTURE.contacts + FIXTURE.computers);
    expect(agent).toMatchObject({ labels: ['hq'], revokedAt: null });
    expect(agent?.lastSeenAt).not.toBeNull();
  }, TIMEOUT_MS);

  it('re-running enroll without --force is a no-op; --force enrolls anew with the same install id', async () => {
    const installId = readFileSync(join(stateDir, 'install-id'), 'utf8');
    const again = await enroll(server, 'set_not-even-a-token', stateDir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already enrolled as ${agentId}`);
    const token = await createToken(server, { org: ORG, site: 'enroll-hq' });
    const forced = await enroll(server, token, stateDir, ['--ca-pin', ca.serverPin, '--force']);
    expect(forced.code).toBe(0);
    expect(enrolledAgentId(forced)).not.toBe(agentId);
    expect(readFileSync(join(stateDir, 'install-id'), 'utf8')).toBe(installId);
  }, TIMEOUT_MS);
});

describe('refused tokens: a distinct code each, and an audit entry', () => {
  it.each<[string, string, () => Promise<string>]>([
    ['malformed', 'ENROLL.MALFORMED', async () => 'not-a-token'],
    ['unknown', 'ENROLL.TOKEN_UNKNOWN', async () => `set_etk_${'0'.repeat(24)}_${'A'.repeat(43)}`],
    [
      'expired',
      'ENROLL.TOKEN_EXPIRED',
      async () => {
        const token = await createToken(server, { org: ORG, site: 'enroll-expired', expires: '1s' });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return token;
      },
    ],
    [
      'revoked',
      'ENROLL.TOKEN_REVOKED',
      async () => {
        const token = await createToken(server, { org: ORG, site: 'enroll-revoked' });
        expect((await runServerCommand(['token', 'revoke', tokenIdOf(token)], server.storeFile)).code).toBe(0);
        return token;
      },
    ],
    [
      'reused single-use',
      'ENROLL.TOKEN_USED_UP',
      async () => {
        const token = await createToken(server, { org: ORG, site: 'enroll-reused' });
        expect((await enroll(server, token, join(tempDir('first'), 's'), ['--ca-file', ca.caFile])).code).toBe(0);
        return token;
      },
    ],
  ])('%s token → %s', async (_what, code, makeToken) => {
    const token = await makeToken();
    const before = (await auditEvents('enrollment_token.rejected')).length;
    const run = await enroll(server, token, join(tempDir('refused'), 's'), ['--ca-file', ca.caFile]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(code);
    const rejected = await auditEvents('enrollment_token.rejected');
    expect(rejected.length).toBe(before + 1);
    expect(rejected[0]?.detail).toMatchObject({ code });
    expect(rejected[0]?.sourceAddress).toBe('127.0.0.1');
  }, TIMEOUT_MS);

  it('lets exactly one of several racing agents enroll with a single-use token', async () => {
    const token = await createToken(server, { org: ORG, site: 'enroll-race' });
    const runs = await Promise.all(Array.from({ length: 4 }, () => enroll(server, token, join(tempDir('race'), 's'), ['--ca-file', ca.caFile])));
    expect(runs.filter((r) => r.code === 0)).toHaveLength(1);
    expect(runs.filter((r) => r.code === 3 && r.stderr.includes('ENROLL.TOKEN_USED_UP'))).toHaveLength(3);
    expect(await agentsOfToken(tokenIdOf(token))).toBe(1);
  }, TIMEOUT_MS);
});

describe('agent sessions', () => {
  let identity: RawAgentIdentity;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = join(tempDir('session'), 's');
    const token = await createToken(server, { org: ORG, site: 'enroll-sessions' });
    expect((await enroll(server, token, stateDir, ['--ca-file', ca.caFile])).code).toBe(0);
    identity = RawAgentIdentity.load(stateDir);
  }, TIMEOUT_MS);

  async function refusal(promise: Promise<RawAgent>): Promise<{ status: number; code: string }> {
    const err = await promise.then(
      (agent) => {
        agent.socket.terminate();
        return undefined;
      },
      (e: unknown) => e,
    );
    if (!(err instanceof UpgradeRefused)) throw new Error(`expected a refused upgrade, got ${String(err)}`);
    return { status: err.status, code: err.code };
  }

  it('refuses a forged signature before the WebSocket exists (401)', async () => {
    const other = RawAgentIdentity.load(join(dir, 'hq-state'));
    const nonce = await fetchNonce(server.wsUrl, caPem);
    expect(await refusal(RawAgent.connect(server.wsUrl, identity, { ca: caPem, nonce, signature: other.sign(nonce) }))).toEqual({ status: 401, code: 'AGENT.SIGNATURE_INVALID' });
    expect(await refusal(RawAgent.connect(server.wsUrl, undefined, { ca: caPem }))).toEqual({ status: 401, code: 'AGENT.UNAUTHENTICATED' });
    expect((await auditEvents('agent.auth_failed')).some((e) => e.detail['code'] === 'AGENT.SIGNATURE_INVALID' && e.sourceAddress === '127.0.0.1')).toBe(true);
  }, TIMEOUT_MS);

  it('refuses a replayed challenge', async () => {
    const nonce = await fetchNonce(server.wsUrl, caPem);
    const first = await RawAgent.connect(server.wsUrl, identity, { ca: caPem, nonce });
    first.socket.close();
    await first.closed;
    expect(await refusal(RawAgent.connect(server.wsUrl, identity, { ca: caPem, nonce }))).toEqual({ status: 401, code: 'AGENT.NONCE_INVALID' });
    expect(await refusal(RawAgent.connect(server.wsUrl, identity, { ca: caPem, nonce: 'made-up-nonce' }))).toEqual({ status: 401, code: 'AGENT.NONCE_INVALID' });
  }, TIMEOUT_MS);

  it('refuses a clone (same agent, another installation) with DUPLICATE_SESSION and audits it', async () => {
    const original = await RawAgent.connect(server.wsUrl, identity, { ca: caPem });
    original.hello();
    await original.waitFor('welcome');
    const clone = await RawAgent.connect(server.wsUrl, identity.cloned(randomUUID(), 'cloned-vm'), { ca: caPem });
    expect((await clone.closed).code).toBe(CloseCode.DUPLICATE_SESSION);
    expect((await auditEvents('agent.clone_detected')).some((e) => e.actor === identity.agentId)).toBe(true);
    // The original keeps its session.
    original.send({ type: 'heartbeat', sentAtMs: Date.now() });
    await original.waitFor('heartbeat');
    original.socket.close();
    await original.closed;
  }, TIMEOUT_MS);

  it('refuses the wrong CA pin before sending the token, and plain text where TLS is required', async () => {
    const token = await createToken(server, { org: ORG, site: 'enroll-pin' });
    const wrongPin = await enroll(server, token, join(tempDir('pin'), 's'), ['--ca-pin', 'ab'.repeat(32)]);
    expect(wrongPin.code).toBe(3);
    expect(wrongPin.stderr).toContain('CONTROL_PLANE.UNTRUSTED');
    expect(await agentsOfToken(tokenIdOf(token))).toBe(0);
    // No CA given at all: the system roots do not know the test CA.
    expect((await enroll(server, token, join(tempDir('pin'), 's'))).stderr).toContain('CONTROL_PLANE.UNTRUSTED');
    // ws:// to the TLS port: no WebSocket; and the agent will not even try without allowInsecure.
    await expect(RawAgent.connect(server.wsUrl.replace('wss:', 'ws:'), identity, { nonce: 'x' })).rejects.toBeDefined();
    const plain = await runAgent(['run', '--once', '--config', agentConfig(stateDir, { url: server.wsUrl.replace('wss:', 'ws:') })]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('allowInsecure');
    const httpEnroll = await runAgent(['enroll', '--server', server.url.replace('https:', 'http:'), '--token', token, '--state-dir', join(tempDir('pin'), 's')]);
    expect(httpEnroll.code).toBe(2);
    expect(await agentsOfToken(tokenIdOf(token))).toBe(0);
  }, TIMEOUT_MS);

  it('disconnects a revoked agent at once with AGENT_REVOKED and refuses it afterwards', async () => {
    const live = await RawAgent.connect(server.wsUrl, identity, { ca: caPem });
    live.hello();
    await live.waitFor('welcome');
    const revoke = await runServerCommand(['agent', 'revoke', identity.agentId], server.storeFile);
    expect(revoke.code).toBe(0);
    expect((await live.closed).code).toBe(CloseCode.AGENT_REVOKED);
    expect(await refusal(RawAgent.connect(server.wsUrl, identity, { ca: caPem }))).toEqual({ status: 403, code: 'AGENT.REVOKED' });
    const run = await runAgent(['run', '--once', '--config', agentConfig(stateDir)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('CONTROL_PLANE.REFUSED');
    expect((await auditEvents('agent.revoked')).some((e) => e.detail['agentId'] === identity.agentId)).toBe(true);
    expect(existsSync(join(stateDir, 'identity.json'))).toBe(true);
  }, TIMEOUT_MS);
});
