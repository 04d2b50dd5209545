/**
 * Delta suite: after a full snapshot of OU=Bench-<size>, 1 % of its objects change in AD (one
 * ldapmodify batch, as an administrator would). The agent runs as it does at a site
 * (`syncready-agent run`, its session open between cycles), and an operator's
 * `POST /api/v1/sites/:siteId/sync` starts each timed cycle: a full snapshot, then the delta of
 * the changes, both measured in the same running agent and against the same fixture.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DcConnection } from '@syncready/samba-dc';
import { AGENT_BIN, SIZES, benchFixture, enrollAgent, startServer, writeAgentConfig, type Server } from './agent-harness';
import { median, timeProcess } from './timing';

export interface DeltaRow {
  readonly size: string;
  readonly objects: number;
  readonly changed: number;
  /** `syncready-agent run --once`, process start to exit. */
  readonly full: number;
  /** In the running agent: from the API's request until the control plane logged `snapshot.committed`. */
  readonly fullCycle: number;
  /** In the running agent: from the API's request until the control plane logged `delta.committed`. */
  readonly deltaCycle: number;
  /** The delta cycle as the agent logs it (read, frames, commit acknowledged). */
  readonly deltaLogged: number;
  readonly upserts: number;
  /** Peak RSS of the running agent over its cycles (a full snapshot and the delta). */
  readonly agentRssMiB: number;
}

/** One user entry as ldapsearch printed it: raw LDIF lines, so base64 (`dn::`) values survive. */
interface UserEntry {
  readonly dnLine: string;
  readonly descriptionLines: readonly string[];
}

function ldapTool(tool: string, dc: DcConnection, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(tool, ['-x', '-H', dc.ldapUrl, '-D', dc.bindDn, '-w', dc.password, ...args], { timeout: 600_000, maxBuffer: 256 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function listUsers(dc: DcConnection, baseDn: string): Promise<UserEntry[]> {
  const out = await ldapTool('ldapsearch', dc, ['-LLL', '-o', 'ldif-wrap=no', '-E', 'pr=1000/noprompt', '-b', baseDn, '(&(objectCategory=person)(objectClass=user))', 'description']);
  const entries: UserEntry[] = [];
  for (const block of out.split(/\n\n+/)) {
    const lines = block.split('\n').filter((l) => l && !l.startsWith('#'));
    const dnLine = lines.find((l) => /^dn::? /.test(l));
    if (dnLine) entries.push({ dnLine, descriptionLines: lines.filter((l) => /^description::? /i.test(l)) });
  }
  return entries.sort((a, b) => (a.dnLine < b.dnLine ? -1 : a.dnLine > b.dnLine ? 1 : 0));
}

/** `count` users spread evenly over the OU (sorted by DN, so the same ones every run). */
function pickUsers(users: readonly UserEntry[], count: number): UserEntry[] {
  if (users.length < count) throw new Error(`only ${users.length} users to change, need ${count}`);
  const step = users.length / count;
  return Array.from({ length: count }, (_, i) => users[Math.floor(i * step)] as UserEntry);
}

function changeLdif(users: readonly UserEntry[], value: string): string {
  return users.map((u) => `${u.dnLine}\nchangetype: modify\nreplace: description\ndescription: ${value}\n-\n`).join('\n');
}

function restoreLdif(users: readonly UserEntry[]): string {
  return users
    .map((u) => (u.descriptionLines.length ? `${u.dnLine}\nchangetype: modify\nreplace: description\n${u.descriptionLines.join('\n')}\n-\n` : `${u.dnLine}\nchangetype: modify\ndelete: description\n-\n`))
    .join('\n');
}

const DELTA_LINE = /^delta \S+ committed .*: (\d+) upserts, (\d+) deletions .*, ([\d.]+) s$/;
const SNAPSHOT_LINE = /^snapshot \S+ committed as generation \d+ of site \S+: (\d+) objects/;

/** `syncready-agent run` with an interval longer than the bench: every cycle after the first is one the API asks for. */
class RunningAgent {
  private readonly child: ChildProcess;
  private stdout = '';
  private stderr = '';

  constructor(config: string) {
    this.child = spawn(process.execPath, [AGENT_BIN, 'run', '--interval-minutes', '600', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  /** Result lines printed so far. */
  lines(): string[] {
    return this.stdout.split('\n').filter((l) => l.trim() !== '');
  }

  /** Waits for the `count`-th result line and returns it. */
  async line(count: number, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines().length < count) {
      if (this.child.exitCode !== null) throw new Error(`the agent exited with ${this.child.exitCode}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no result line ${count} within ${timeoutMs / 1000} s: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.lines()[count - 1] as string;
  }

  peakRssMiB(): number {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1];
    return Number(hwm ?? 0) / 1024;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

async function benchSiteId(server: Server, credential: string): Promise<string> {
  const sites = (await (await fetch(`${server.url}/api/v1/sites`, { headers: { authorization: `Bearer ${credential}` } })).json()) as { items: { id: string; name: string }[] };
  const site = sites.items.find((s) => s.name === 'bench');
  if (!site) throw new Error('site bench not found');
  return site.id;
}

/**
 * Waits until the checks of the site's current generation are stored (the findings route
 * answers `pending` until then), so the next timed cycle does not share the CPU with them.
 */
async function checksDone(server: Server, credential: string, siteId: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const res = await fetch(`${server.url}/api/v1/sites/${siteId}/findings?limit=1`, { headers: { authorization: `Bearer ${credential}` } });
    if (((await res.json()) as { status?: string }).status === 'complete') return;
    if (Date.now() > deadline) throw new Error('the checks of the current generation did not finish');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asks the site's agent for a cycle now (the operator's "sync now" / "resync"). */
async function requestSync(server: Server, credential: string, siteId: string, mode: 'delta' | 'full'): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/sites/${siteId}/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  if (res.status !== 202) throw new Error(`POST /sync answered ${res.status}: ${await res.text()}`);
}

/** Seconds from `since` (epoch ms) until the control plane logged `event`. */
export async function secondsUntil(server: Server, event: string, since: number): Promise<number> {
  // The line is logged before the agent hears of the commit; give its pipe a moment to deliver it.
  for (let attempt = 0; attempt < 20; attempt++) {
    const at = server.loggedAt(event, since);
    if (at !== undefined) return (at - since) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the control plane logged no ${event}`);
}

export async function benchDelta(dc: DcConnection, label: string, runs: number, work: string): Promise<DeltaRow> {
  const total = SIZES[label] as number;
  const baseDn = await benchFixture(dc, label, total);
  const passwordFile = join(work, 'pw');
  writeFileSync(passwordFile, dc.password, { mode: 0o600 });
  const users = await listUsers(dc, baseDn);
  const changed = pickUsers(users, Math.round(total / 100));

  const full: number[] = [];
  const fullCycle: number[] = [];
  const deltaCycle: number[] = [];
  const deltaLogged: number[] = [];
  let upserts = 0;
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const storeFile = join(work, `delta-${label}-${i}.sqlite`);
    const server = await startServer(storeFile);
    try {
      const stateDir = join(work, `delta-${label}-${i}-state`);
      const credential = enrollAgent(server.url, storeFile, stateDir);
      const config = join(work, `delta-${label}-agent.json`);
      writeAgentConfig(config, dc, stateDir, passwordFile, baseDn);

      // The first generation, as the snapshot suite measures it (a process of its own).
      const snapshot = await timeProcess(process.execPath, [AGENT_BIN, 'run', '--once', '--config', config]);
      if (snapshot.code !== 0) throw new Error(`agent failed: ${snapshot.stderr}`);
      full.push(snapshot.seconds);

      const siteId = await benchSiteId(server, credential);
      // Each timed cycle starts on a control plane that has finished checking the generation
      // before it, as a site's next cycle would, minutes later.
      await checksDone(server, credential, siteId);
      const agent = new RunningAgent(config);
      try {
        // Its first cycle continues from the committed cursor: an empty delta (untimed).
        if (!DELTA_LINE.test(await agent.line(1, 600_000))) throw new Error(`the agent's first cycle was not a delta: ${agent.lines()[0]}`);

        // A full snapshot cycle in the running agent, on request.
        const fullAsked = Date.now();
        await requestSync(server, credential, siteId, 'full');
        const fullLine = await agent.line(2, 600_000);
        if (Number(SNAPSHOT_LINE.exec(fullLine)?.[1]) < total) throw new Error(`expected a full snapshot, the agent printed: ${fullLine}`);
        fullCycle.push(await secondsUntil(server, 'snapshot.committed', fullAsked));
        await checksDone(server, credential, siteId);

        // 1 % of the objects change (untimed); a run-specific value, so every run sends all of them.
        await ldapTool('ldapmodify', dc, [], changeLdif(changed, `syncready bench delta ${Date.now()}-${i}`));
        try {
          const deltaAsked = Date.now();
          await requestSync(server, credential, siteId, 'delta');
          const match = DELTA_LINE.exec(await agent.line(3, 600_000));
          if (!match) throw new Error(`expected a delta, the agent printed: ${agent.lines()[2]}`);
          deltaCycle.push(await secondsUntil(server, 'delta.committed', deltaAsked));
          deltaLogged.push(Number(match[3]));
          upserts = Number(match[1]);
          rss = Math.max(rss, agent.peakRssMiB());
        } finally {
          await ldapTool('ldapmodify', dc, [], restoreLdif(changed));
        }
      } finally {
        await agent.stop();
      }
      process.stderr.write(
        `[delta ${label}] run ${i + 1}/${runs}: run --once ${snapshot.seconds.toFixed(2)} s; in the running agent: full snapshot ${(fullCycle.at(-1) as number).toFixed(2)} s, ` +
          `delta of ${changed.length} changes ${(deltaCycle.at(-1) as number).toFixed(3)} s (logged ${(deltaLogged.at(-1) as number).toFixed(3)} s, ${upserts} upserts), agent peak RSS ${rss.toFixed(0)} MiB\n`,
      );
    } finally {
      await server.stop();
    }
  }
  return { size: label, objects: total, changed: changed.length, full: median(full), fullCycle: median(fullCycle), deltaCycle: median(deltaCycle), deltaLogged: median(deltaLogged), upserts, agentRssMiB: rss };
}

export function deltaTable(rows: readonly DeltaRow[]): string[] {
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  return [
    '| objects | changed (1 %) | objects sent | full snapshot cycle (s) | delta cycle (s) | ratio | delta as the agent logs it (s) | `run --once` full snapshot (s) | delta / `run --once` | running agent peak RSS (MiB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.objects.toLocaleString('en-US')} | ${r.changed.toLocaleString('en-US')} | ${r.upserts.toLocaleString('en-US')} | ${r.fullCycle.toFixed(2)} | ${r.deltaCycle.toFixed(3)} | ${pct(r.deltaCycle, r.fullCycle)} | ` +
        `${r.deltaLogged.toFixed(3)} | ${r.full.toFixed(2)} | ${pct(r.deltaCycle, r.full)} | ${r.agentRssMiB ? r.agentRssMiB.toFixed(0) : 'n/a'} |`,
    ),
  ];
}
