/**
 * Delta suite: after a full snapshot of OU=Bench-<size>, 1 % of its objects change in AD (one
 * ldapmodify batch, as an administrator would), then one delta cycle of the real agent
 * (`syncready-agent run`) is timed against the full snapshot measured in the same run.
 */
import { execFile, spawn } from 'node:child_process';
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
  /** Process start of `syncready-agent run --once` until the control plane logged `snapshot.committed`. */
  readonly fullCommitted: number;
  /** Process start of `syncready-agent run` until it printed `delta … committed`. */
  readonly deltaWall: number;
  /** Process start of `syncready-agent run` until the control plane logged `delta.committed`. */
  readonly deltaCommitted: number;
  /** The cycle's own duration as the agent logs it (session, read, frames, commit, session close). */
  readonly deltaCycle: number;
  readonly upserts: number;
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

/**
 * Starts `syncready-agent run` (an interval long enough that only one cycle runs), waits for
 * its first cycle's result line, reads the process's peak RSS and stops it.
 */
function timeFirstCycle(config: string, timeoutMs: number): Promise<{ startedAt: number; wall: number; cycle: number; upserts: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [AGENT_BIN, 'run', '--interval-minutes', '60', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (err: Error | null, value?: { startedAt: number; wall: number; cycle: number; upserts: number; rssMiB: number }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) {
        child.once('exit', () => (err ? reject(err) : resolve(value as NonNullable<typeof value>)));
        child.kill('SIGTERM');
      } else if (err) reject(err);
      else resolve(value as NonNullable<typeof value>);
    };
    const timer = setTimeout(() => finish(new Error(`no delta within ${timeoutMs / 1000} s: ${stderr}`)), timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const line of stdout.split('\n')) {
        const match = DELTA_LINE.exec(line.trim());
        if (match) {
          const wall = Number(process.hrtime.bigint() - started) / 1e9;
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
          return finish(null, { startedAt, wall, cycle: Number(match[3]), upserts: Number(match[1]), rssMiB: Number(hwm ?? 0) / 1024 });
        }
        if (/^snapshot \S+ committed/.test(line)) return finish(new Error(`the agent sent a full snapshot instead of a delta: ${stderr.trim()}`));
      }
    });
    child.once('exit', (code) => finish(new Error(`agent exited with ${code} before a delta: ${stderr}`)));
  });
}

function checksDoneAt(server: Server, since: number): string {
  const at = server.loggedAt('findings.computed', since);
  return at === undefined ? '?' : ((at - since) / 1000).toFixed(2);
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
  const fullCommitted: number[] = [];
  const wall: number[] = [];
  const committed: number[] = [];
  const cycle: number[] = [];
  let upserts = 0;
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const storeFile = join(work, `delta-${label}-${i}.sqlite`);
    const server = await startServer(storeFile);
    try {
      const stateDir = join(work, `delta-${label}-${i}-state`);
      enrollAgent(server.url, storeFile, stateDir);
      const config = join(work, `delta-${label}-agent.json`);
      writeAgentConfig(config, dc, stateDir, passwordFile, baseDn);

      // The full snapshot this delta is compared with, same fixture, same run.
      const snapshotStarted = Date.now();
      const snapshot = await timeProcess(process.execPath, [AGENT_BIN, 'run', '--once', '--config', config]);
      if (snapshot.code !== 0) throw new Error(`agent failed: ${snapshot.stderr}`);
      full.push(snapshot.seconds);
      fullCommitted.push(await secondsUntil(server, 'snapshot.committed', snapshotStarted));

      // 1 % of the objects change (untimed); a run-specific value, so every run sends all of them.
      await ldapTool('ldapmodify', dc, [], changeLdif(changed, `syncready bench delta ${Date.now()}-${i}`));
      try {
        const delta = await timeFirstCycle(config, 600_000);
        wall.push(delta.wall);
        committed.push(await secondsUntil(server, 'delta.committed', delta.startedAt));
        cycle.push(delta.cycle);
        upserts = delta.upserts;
        rss = Math.max(rss, delta.rssMiB);
        process.stderr.write(
          `[delta ${label}] run ${i + 1}/${runs}: full snapshot ${snapshot.seconds.toFixed(2)} s (committed at ${(fullCommitted.at(-1) as number).toFixed(2)} s), ` +
            `delta of ${changed.length} changes ${delta.wall.toFixed(2)} s (committed at ${(committed.at(-1) as number).toFixed(2)} s, ` +
            `control plane checks done at ${checksDoneAt(server, delta.startedAt)} s, cycle ${delta.cycle.toFixed(1)} s, ${delta.upserts} upserts)\n`,
        );
      } finally {
        await ldapTool('ldapmodify', dc, [], restoreLdif(changed));
      }
    } finally {
      await server.stop();
    }
  }
  return { size: label, objects: total, changed: changed.length, full: median(full), fullCommitted: median(fullCommitted), deltaWall: median(wall), deltaCommitted: median(committed), deltaCycle: median(cycle), upserts, agentRssMiB: rss };
}

export function deltaTable(rows: readonly DeltaRow[]): string[] {
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  return [
    '| objects | changed (1 %) | objects sent | full snapshot (s) | delta (s) | ratio | full, to commit (s) | delta, to commit (s) | ratio to commit | delta cycle as logged (s) | agent peak RSS in delta (MiB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.objects.toLocaleString('en-US')} | ${r.changed.toLocaleString('en-US')} | ${r.upserts.toLocaleString('en-US')} | ${r.full.toFixed(2)} | ${r.deltaWall.toFixed(2)} | ${pct(r.deltaWall, r.full)} | ` +
        `${r.fullCommitted.toFixed(2)} | ${r.deltaCommitted.toFixed(2)} | ${pct(r.deltaCommitted, r.fullCommitted)} | ${r.deltaCycle.toFixed(1)} | ${r.agentRssMiB ? r.agentRssMiB.toFixed(0) : 'n/a'} |`,
    ),
  ];
}
