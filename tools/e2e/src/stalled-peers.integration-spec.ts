/**
 * Peers that stop without closing anything, made with SIGSTOP on the real processes:
 * - a slow consumer: the control plane stalls mid-snapshot; the agent must stop reading the DC
 *   (backpressure from the socket) instead of buffering the directory, so its memory stays
 *   bounded; after SIGCONT the snapshot commits equal to ldapsearch;
 * - heartbeats: with a short `gateway.heartbeatIntervalMs`, the agent drops a control plane
 *   that went silent, reconnects and resumes the snapshot; the control plane drops an agent
 *   that went silent (`agent.heartbeat_timeout`), and the agent resumes once it runs again.
 * The fixture's objects are big (40 legacy X500 proxy addresses of 1,000 characters each), so
 * a snapshot is about 75 MB: far more than the loopback socket buffers absorb, so an agent
 * that did not wait would have to hold most of it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DirectoryObject } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { fetchAllObjects, siteIdByName } from './api-client';
import { enrollNewAgent } from './agent-enrollment';
import { byGuid, ldapsearchObjects } from './ldapsearch';
import { fileBytes, ioBytes, mib, residentBytes } from './proc-stats';
import { startAgent, startServer, tempDir, writeAgentConfig, type AgentProcess, type ServerProcess } from './processes';
import { waitUntil } from './wait-until';

const FIXTURE = { ou: 'E2E-SlowConsumer', users: 1600, groups: 10, contacts: 400, computers: 10, extraProxyAddresses: 40 };
const MiB = 1024 * 1024;
/** The agent has sent this much (socket and spool writes) when the test stops a peer: mid-snapshot. */
const STOP_AFTER_WRITTEN = 1 * MiB;
/** The agent counts as paused once its I/O counters and spool stood still this long… */
const STEADY_MS = 2_000;
/** …and must then stay paused this much longer while the control plane is still stopped. */
const HOLD_MS = 3_000;
const SAMPLE_MS = 100;
/**
 * How much the agent's resident memory may grow while the control plane is stopped, over what
 * it held at the moment it stopped. After SIGSTOP the loopback socket buffers still take data
 * (up to tcp_wmem's 4 MiB on the agent's side plus the control plane's receive window: about
 * 7 MB measured), so the agent legitimately reads and sends some 10–15 MB more before the
 * socket's backpressure stops it. It then holds at most 4 MiB of unacknowledged frames in
 * memory (the rest goes to the spool file), 1 MiB queued in the socket above the transport's
 * high-water mark plus one frame (25 objects of ~40 KB), and the reader's queued pages
 * (2 lanes, 50 objects each); V8 grows its heap while it parses those megabytes (measured
 * +22 to +44 MiB). An agent that did not wait for the socket would queue the rest of the
 * ~75 MB snapshot in memory instead (measured: +174 MiB with the wait disabled).
 */
const RSS_GROWTH_BOUND = 96 * MiB;
/** Short heartbeats for the heartbeat tests: a peer silent for 2 × 1 s + 1 s is dead. */
const HEARTBEAT_MS = 1_000;

interface Site {
  readonly name: string;
  readonly server: ServerProcess;
  readonly config: string;
  readonly spoolFile: string;
}

let dc: DcConnection;
let ouDn: string;
let expected: DirectoryObject[];
const servers: ServerProcess[] = [];
const agents: AgentProcess[] = [];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const waitFor = (what: string, done: () => Promise<boolean> | boolean, timeoutMs: number, context: () => string): Promise<void> =>
  waitUntil(what, done, { timeoutMs, intervalMs: SAMPLE_MS, context });

async function startSite(name: string, gateway: object = {}): Promise<Site> {
  const dir = tempDir(`stalled-${name}`);
  writeFileSync(join(dir, 'ldap-password'), `${dc.password}\n`, { mode: 0o600 });
  const server = await startServer({ storeFile: join(dir, 'store', 'syncready.sqlite'), config: { gateway } });
  servers.push(server);
  const { stateDir } = await enrollNewAgent(server, { org: `e2e-stalled-${name}`, site: name });
  const config = writeAgentConfig(dir, {
    // Reconnects from 400 ms, so a resume does not wait out the default backoff.
    server: { allowInsecure: true, reconnectBaseMs: 400, reconnectAfterDropMs: 200 },
    stateDir,
    // Small pages and frames: the agent's working set is a few objects, not a few thousand.
    ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile: join(dir, 'ldap-password'), tls: { caFile: dc.caFile }, baseDn: ouDn, pageSize: 50 },
    snapshot: { batchSize: 25 },
  });
  return { name, server, config, spoolFile: join(stateDir, 'spool', 'snapshot.spool') };
}

function startSnapshot(site: Site): AgentProcess {
  const agent = startAgent(['run', '--once', '--config', site.config]);
  agents.push(agent);
  return agent;
}

function describeRun(agent: AgentProcess, site: Site): string {
  return `agent stdout:\n${agent.stdout()}\nagent stderr:\n${agent.stderr()}\nserver:\n${site.server.output().slice(-4000)}`;
}

async function stored(site: Site): Promise<DirectoryObject[]> {
  const credential = site.server.credential ?? '';
  const id = await siteIdByName(site.server.url, credential, site.name);
  return byGuid(await fetchAllObjects(site.server.url, credential, id));
}

function serverEvents(site: Site, event: string): Record<string, unknown>[] {
  return site.server
    .output()
    .split('\n')
    .filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Ends a `run --once` agent and checks it committed one snapshot equal to ldapsearch. */
async function expectCommittedEqualToDc(agent: AgentProcess, site: Site): Promise<void> {
  const code = await agent.exited();
  expect({ code, stderr: agent.stderr() }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(agent.stdout()).toMatch(new RegExp(`^snapshot \\S+ committed as generation \\d+ of site \\S+: ${expected.length} objects`, 'm'));
  const objects = await stored(site);
  expect(objects.length).toBe(expected.length);
  expect(objects).toEqual(expected);
}

interface Sample {
  readonly rss: number;
  readonly read: number;
  readonly written: number;
  readonly spool: number;
}

function sample(pid: number, site: Site): Sample {
  return { rss: residentBytes(pid), ...ioBytes(pid), spool: fileBytes(site.spoolFile) };
}

const progress = (s: Sample): string => `${s.read}/${s.written}/${s.spool}`;

beforeAll(async () => {
  dc = readDcConnection();
  // Seeded once per DC (about 40 s), then found by its marker.
  ouDn = (await ensureFixture(FIXTURE)).ouDn;
  expected = byGuid(await ldapsearchObjects({ url: dc.ldapUrl, bindDn: dc.bindDn, password: dc.password, baseDn: ouDn }));
}, 600_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  for (const server of servers) await server.stop();
});

describe('a control plane stalled mid-snapshot (slow consumer)', () => {
  it('stops the agent reading, keeps its memory bounded, and the snapshot commits equal to ldapsearch after SIGCONT', async () => {
    const site = await startSite('slow-consumer');
    const agent = startSnapshot(site);
    const pid = agent.pid;
    await waitFor('the agent to start sending', () => ioBytes(pid).written >= STOP_AFTER_WRITTEN, 60_000, () => describeRun(agent, site));
    const atStop = sample(pid, site);
    site.server.signal('SIGSTOP');
    const samples: Sample[] = [];
    let pausedAt: Sample | undefined;
    let sentWhileStalled = '';
    try {
      // Until the agent's reads, writes and spool stand still for STEADY_MS…
      let steadySince = Date.now();
      for (;;) {
        const now = sample(pid, site);
        const last = samples[samples.length - 1];
        samples.push(now);
        if (last && progress(last) !== progress(now)) steadySince = Date.now();
        if (Date.now() - steadySince >= STEADY_MS) break;
        if (samples.length * SAMPLE_MS > 30_000) throw new Error(`the agent never paused while the control plane was stopped\n${describeRun(agent, site)}`);
        await sleep(SAMPLE_MS);
      }
      pausedAt = samples[samples.length - 1] as Sample;
      // …and for HOLD_MS more.
      for (const end = Date.now() + HOLD_MS; Date.now() < end; await sleep(SAMPLE_MS)) samples.push(sample(pid, site));
      sentWhileStalled = agent.stderr();
    } finally {
      site.server.signal('SIGCONT');
    }

    const paused = pausedAt as Sample;
    const held = samples.slice(samples.indexOf(paused));
    const peak = Math.max(...samples.map((s) => s.rss));
    const report = `RSS ${mib(atStop.rss)} at SIGSTOP, peak ${mib(peak)}; read ${mib(atStop.read)} → ${mib(paused.read)}, spool ${mib(paused.spool)}`;
    const growth = peak - atStop.rss;
    if (growth >= RSS_GROWTH_BOUND) throw new Error(`the agent's RSS grew by ${mib(growth)} while the control plane was stopped (bound ${mib(RSS_GROWTH_BOUND)}): ${report}`);
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
    // Paused before the end of the snapshot: it had not read and sent everything.
    expect({ sentWhileStalled, report }).toEqual({ sentWhileStalled: expect.not.stringMatching(/^sent snapshot /m), report });
    // Nothing read, written or spooled while paused.
    expect(held.map(progress)).toEqual(held.map(() => progress(paused)));
    await expectCommittedEqualToDc(agent, site);
  });
});

describe('heartbeats detect a silent peer', () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite('heartbeat', { heartbeatIntervalMs: HEARTBEAT_MS });
  });

  it('the agent drops a control plane that stopped answering mid-snapshot, reconnects after SIGCONT and resumes it', async () => {
    const agent = startSnapshot(site);
    await waitFor('the agent to start sending', () => ioBytes(agent.pid).written >= STOP_AFTER_WRITTEN, 60_000, () => describeRun(agent, site));
    site.server.signal('SIGSTOP');
    try {
      await waitFor('the agent to give up on the control plane', () => /the control plane sent nothing for \d+ ms; dropping the connection/.test(agent.stderr()), 30_000, () => describeRun(agent, site));
      // The agent itself dropped the connection, while the control plane was still stopped (once
      // running again, the control plane would drop the silent session from its side too).
      await waitFor('the agent to drop the connection', () => /^connection lost during snapshot \S+ \(\d+ frames sent/m.test(agent.stderr()), 10_000, () => describeRun(agent, site));
    } finally {
      site.server.signal('SIGCONT');
    }
    await expectCommittedEqualToDc(agent, site);
    // It came back to the same snapshot and continued after what the control plane had stored.
    expect(agent.stderr()).toMatch(/^resumed snapshot \S+ after frame \d+: \d+ unacknowledged frames sent again/m);
    expect(serverEvents(site, 'snapshot.resumed')).toHaveLength(1);
  });

  it('the control plane drops an agent that stopped mid-snapshot (agent.heartbeat_timeout); the agent resumes after SIGCONT', async () => {
    const timeoutsBefore = serverEvents(site, 'agent.heartbeat_timeout').length;
    const resumesBefore = serverEvents(site, 'snapshot.resumed').length;
    const parkedBefore = serverEvents(site, 'snapshot.parked').length;
    const agent = startSnapshot(site);
    await waitFor('the agent to start sending', () => ioBytes(agent.pid).written >= STOP_AFTER_WRITTEN, 60_000, () => describeRun(agent, site));
    agent.signal('SIGSTOP');
    try {
      await waitFor('the control plane to give up on the agent', () => serverEvents(site, 'agent.heartbeat_timeout').length > timeoutsBefore, 30_000, () => describeRun(agent, site));
      // It closed the session and kept the partial snapshot for a resume.
      await waitFor('the partial snapshot to be parked', () => serverEvents(site, 'snapshot.parked').length > parkedBefore, 30_000, () => describeRun(agent, site));
    } finally {
      agent.signal('SIGCONT');
    }
    const [timeout] = serverEvents(site, 'agent.heartbeat_timeout').slice(timeoutsBefore);
    expect(timeout).toEqual(expect.objectContaining({ silentMs: expect.any(Number), sessionId: expect.any(String) }));
    await expectCommittedEqualToDc(agent, site);
    expect(agent.stderr()).toMatch(/^resumed snapshot \S+ after frame \d+: \d+ unacknowledged frames sent again/m);
    expect(serverEvents(site, 'snapshot.resumed').length).toBeGreaterThan(resumesBefore);
  });
});
