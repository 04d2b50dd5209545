/**
 * Bad input gets a clear error and leaves no partial state: wrong credentials, a DC or control
 * plane that is not there, and agents that send garbage, oversized frames or vanish halfway.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { CloseCode } from '@syncready/protocol';
import { fetchAllObjects, getJson } from './api-client';
import { byGuid } from './ldapsearch';
import { enrollNewAgent } from './agent-enrollment';
import { RawAgent, RawAgentIdentity } from './raw-agent';
import { runAgent, startServer, tempDir, writeAgentConfig, type ServerProcess } from './processes';

const SITE = 'branch';
const ORG = 'e2e-failures';
const FIXTURE = { ou: 'E2E-Failures', users: 20, groups: 10, contacts: 10, computers: 10 };
const FRAME_LIMIT = 64 * 1024;

let dc: DcConnection;
let server: ServerProcess;
let dir: string;
let stateDir: string;
let identity: RawAgentIdentity;

function config(overrides: { ldap?: object; server?: object } = {}): string {
  return writeAgentConfig(
    dir,
    {
      server: { allowInsecure: true, ...overrides.server },
      stateDir,
      ldap: {
        url: dc.ldapsUrl,
        bindDn: dc.bindDn,
        passwordFile: join(dir, 'ldap-password'),
        tls: { caFile: dc.caFile },
        baseDn: `OU=${FIXTURE.ou},${dc.baseDn}`,
        ...overrides.ldap,
      },
    },
    `agent-${Math.random().toString(36).slice(2)}.json`,
  );
}

async function site(): Promise<{ id: string; currentGenerationId: number | null }> {
  const { body } = await getJson<{ items: { id: string; name: string; currentGenerationId: number | null }[] }>(`${server.url}/api/v1/sites`, server.credential);
  const found = body.items.find((s) => s.name === SITE);
  if (!found) throw new Error('site missing');
  return found;
}

beforeAll(async () => {
  dc = readDcConnection();
  await ensureFixture(FIXTURE);
  dir = tempDir('failures');
  writeFileSync(join(dir, 'ldap-password'), dc.password, { mode: 0o600 });
  writeFileSync(join(dir, 'wrong-password'), 'Not-The-Password-42', { mode: 0o600 });
  server = await startServer({
    storeFile: join(dir, 'syncready.sqlite'),
    config: { gateway: { maxFrameBytes: FRAME_LIMIT, helloTimeoutMs: 1500 } },
  });
  ({ stateDir } = await enrollNewAgent(server, { org: ORG, site: SITE }));
  identity = RawAgentIdentity.load(stateDir);
  // A good generation first: every failure below must leave it current and intact.
  const run = await runAgent(['run', '--once', '--config', config()]);
  expect(run).toMatchObject({ code: 0 });
});

afterAll(async () => {
  await server?.stop();
});

describe('the agent reports what is wrong and exits with the documented code', () => {
  it('wrong LDAP password: exit 3, names the DC and the bind account, never the password', async () => {
    const run = await runAgent(['run', '--once', '--config', config({ ldap: { passwordFile: join(dir, 'wrong-password') } })]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('LDAP.BIND_FAILED');
    expect(run.stderr).toContain(dc.ldapsUrl);
    expect(run.stderr).toContain(dc.bindDn);
    expect(run.stderr).not.toContain('Not-The-Password-42');
  });

  it('DC down (nothing listening): exit 3 with LDAP.UNREACHABLE', async () => {
    const run = await runAgent(['run', '--once', '--config', config({ ldap: { url: 'ldaps://127.0.0.1:1' } })]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('LDAP.UNREACHABLE');
  });

  it('control plane unreachable: exit 3 with CONTROL_PLANE.UNREACHABLE', async () => {
    const run = await runAgent(['run', '--once', '--config', config({ server: { url: 'ws://127.0.0.1:1' } })]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('CONTROL_PLANE.UNREACHABLE');
  });

  it('not enrolled (empty state directory): exit 2, says to enroll', async () => {
    const unenrolled = writeAgentConfig(dir, { server: { allowInsecure: true, url: server.wsUrl }, stateDir: tempDir('unenrolled'), ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'ldap-password'), tls: { caFile: dc.caFile } } }, 'unenrolled.json');
    const refused = await runAgent(['run', '--once', '--config', unenrolled]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('syncready-agent enroll');
  });

  it.each([
    ['a missing config file', ['run', '--once', '--config', '/nonexistent/agent.json']],
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['run', '--once', '--bogus']],
  ])('%s: exit 2', async (_what, args) => {
    const run = await runAgent(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/syncready-agent: .+/);
  });

  it('an invalid config: exit 2 naming the bad field', async () => {
    const run = await runAgent(['run', '--once', '--config', config({ ldap: { pageSize: -5 } })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ldap.pageSize');
  });

  it('plain LDAP without allowPlainLdap: exit 2 before any bind', async () => {
    const run = await runAgent(['run', '--once', '--config', config({ ldap: { url: dc.ldapUrl, startTls: false } })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('LDAP.CONFIG');
  });
});

describe('the gateway closes bad connections with a named code and keeps serving', () => {
  let before: { id: string; currentGenerationId: number | null };
  let objectsBefore: unknown[];

  beforeAll(async () => {
    before = await site();
    objectsBefore = byGuid(await fetchAllObjects(server.url, server.credential ?? '', before.id));
  });

  afterEach(async () => {
    const { status } = await getJson(`${server.url}/api/v1/sites`, server.credential);
    expect(status).toBe(200);
    const now = await site();
    expect(now.currentGenerationId).toBe(before.currentGenerationId);
    expect(byGuid(await fetchAllObjects(server.url, server.credential ?? '', now.id))).toEqual(objectsBefore);
  });

  it('malformed frame → PROTOCOL_ERROR', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    agent.sendRaw(Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect((await agent.closed).code).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it('malformed frame after a valid hello and snapshot begin → PROTOCOL_ERROR, snapshot discarded', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    agent.hello();
    await agent.waitFor('welcome');
    agent.sendRaw(Buffer.from('{"not":"protobuf"}'));
    expect((await agent.closed).code).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it('oversized frame → FRAME_TOO_LARGE', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    agent.hello();
    await agent.waitFor('welcome');
    agent.sendRaw(Buffer.alloc(FRAME_LIMIT + 1));
    expect((await agent.closed).code).toBe(CloseCode.FRAME_TOO_LARGE);
  });

  it('no hello before the deadline → HELLO_TIMEOUT', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    expect((await agent.closed).code).toBe(CloseCode.HELLO_TIMEOUT);
  });

  it('frames before hello → UNAUTHORIZED', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    agent.send({ type: 'heartbeat', sentAtMs: Date.now() });
    expect((await agent.closed).code).toBe(CloseCode.UNAUTHORIZED);
  });

  it('an agent that disconnects mid-snapshot leaves the previous generation current', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    agent.hello();
    await agent.waitFor('welcome');
    const forest = (await getJson<{ forest: never }>(`${server.url}/api/v1/sites/${before.id}/summary`, server.credential)).body.forest;
    agent.send({ type: 'snapshotBegin', snapshotId: 'cut-short', forest, baseDn: 'OU=Nowhere' });
    const object = { objectGuid: '11111111-2222-4333-8444-555555555555', distinguishedName: 'CN=Half,OU=Nowhere', kind: 'user' as const, usnChanged: 1, attributes: { cn: ['Half'] } };
    agent.send({ type: 'objectBatch', snapshotId: 'cut-short', sequence: 1, objects: [object] });
    await agent.waitFor('ack');
    agent.socket.terminate();
    await agent.closed;
    // The discard happens after the close; give the server a moment before afterEach compares.
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  it('a snapshot whose count does not match is rejected and not made current', async () => {
    const agent = await RawAgent.connect(server.wsUrl, identity);
    agent.hello();
    await agent.waitFor('welcome');
    const forest = (await getJson<{ forest: never }>(`${server.url}/api/v1/sites/${before.id}/summary`, server.credential)).body.forest;
    agent.send({ type: 'snapshotBegin', snapshotId: 'lying', forest, baseDn: 'OU=Nowhere' });
    const object = { objectGuid: '11111111-2222-4333-8444-666666666666', distinguishedName: 'CN=One,OU=Nowhere', kind: 'user' as const, usnChanged: 1, attributes: {} };
    agent.send({ type: 'objectBatch', snapshotId: 'lying', sequence: 1, objects: [object] });
    agent.send({ type: 'snapshotEnd', snapshotId: 'lying', sequence: 1, objectCount: 2, digest: '0000000000000000' });
    const rejected = await agent.waitFor('snapshotRejected');
    expect(rejected.reason).toBe('countMismatch');
    agent.socket.close();
    await agent.closed;
  });
});
