/**
 * tools/bench: end-to-end full snapshot (agent read → frames → control plane → committed
 * generation) against a raw `ldapsearch -E pr=1000/noprompt` dump of the same objects and
 * attributes from the same DC, measured in the same run. Prints a table and rewrites the
 * snapshot section of docs/BENCHMARKS.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIRECTORY_ATTRIBUTES } from '@syncready/directory';
import { ensureFixture, readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { writeBenchmarkSection } from './benchmarks-doc';
import { median, timeProcess, type ProcessTiming } from './timing';

const ROOT = resolve(__dirname, '..', '..', '..');
const SERVER_BIN = join(ROOT, 'apps/control-plane/dist/main.js');
const AGENT_BIN = join(ROOT, 'apps/agent/dist/main.js');

/** Directory sizes: objects split 70 % users, 10 % groups, 10 % contacts, 10 % computers. */
const SIZES: Record<string, number> = { '2k': 2_000, '20k': 20_000 };

function fixtureFor(label: string, total: number) {
  const tenth = Math.round(total / 10);
  return { ou: `Bench-${label}`, users: total - 3 * tenth, groups: tenth, contacts: tenth, computers: tenth };
}

async function startServer(storeFile: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [SERVER_BIN, 'start', '--port', '0'], {
    env: { ...process.env, SYNCREADY_STORE_FILE: storeFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`control plane exited with ${code}: ${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolveStop) => {
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

/** Enrolls a fresh agent state directory into site `bench` (not part of the timed run). */
function enrollAgent(url: string, storeFile: string, stateDir: string): void {
  const env = { ...process.env, SYNCREADY_STORE_FILE: storeFile };
  execFileSync(process.execPath, [SERVER_BIN, 'org', 'create', 'bench'], { env, stdio: 'ignore' });
  const token = execFileSync(process.execPath, [SERVER_BIN, 'token', 'create', '--org', 'bench', '--site', 'bench'], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  execFileSync(process.execPath, [AGENT_BIN, 'enroll', '--server', url, '--token', token, '--state-dir', stateDir, '--allow-insecure', '--force'], { stdio: 'ignore' });
}

function ldapsearchArgs(dc: DcConnection, baseDn: string): string[] {
  const filter = '(|(&(objectCategory=person)(objectClass=user))(&(objectCategory=person)(objectClass=contact))(objectCategory=group)(objectCategory=computer))';
  return ['-LLL', '-x', '-E', 'pr=1000/noprompt', '-H', dc.ldapUrl, '-D', dc.bindDn, '-w', dc.password, '-b', baseDn, filter, 'objectGUID', 'uSNChanged', ...DIRECTORY_ATTRIBUTES.map((a) => a.name)];
}

interface Row {
  readonly size: string;
  readonly objects: number;
  readonly baseline: number;
  readonly ours: number;
  readonly agentRssMiB: number;
}

async function benchSize(dc: DcConnection, label: string, total: number, runs: number, work: string): Promise<Row> {
  const fixture = fixtureFor(label, total);
  const started = Date.now();
  // Seeded once, then the whole DC is cached ('bench') and restored on later runs.
  const ensured = await ensureFixture({ ...fixture, cache: 'bench', seedTimeoutMs: 3_600_000 });
  if (ensured.created) process.stderr.write(`[${label}] seeded ${ensured.counts.total} objects in ${((Date.now() - started) / 1000).toFixed(0)} s and cached the DC\n`);
  const baseDn = `OU=${fixture.ou},${dc.baseDn}`;
  const passwordFile = join(work, 'pw');
  writeFileSync(passwordFile, dc.password, { mode: 0o600 });

  const baseline: number[] = [];
  const ours: ProcessTiming[] = [];
  for (let i = 0; i < runs; i++) {
    const raw = await timeProcess('ldapsearch', ldapsearchArgs(dc, baseDn));
    if (raw.code !== 0) throw new Error(`ldapsearch failed: ${raw.stderr}`);
    baseline.push(raw.seconds);

    // A fresh store per run: every run commits a full first generation.
    const storeFile = join(work, `${label}-${i}.sqlite`);
    const server = await startServer(storeFile);
    const stateDir = join(work, `${label}-${i}-state`);
    enrollAgent(server.url, storeFile, stateDir);
    const config = join(work, `${label}-agent.json`);
    writeFileSync(
      config,
      JSON.stringify({
        server: { allowInsecure: true },
        stateDir,
        // Same transport as the ldapsearch baseline: simple bind over loopback LDAP.
        ldap: { url: dc.ldapUrl, bindDn: dc.bindDn, passwordFile, startTls: false, allowPlainLdap: true, baseDn },
      }),
    );
    const run = await timeProcess(process.execPath, [AGENT_BIN, 'run', '--once', '--config', config]);
    await server.stop();
    if (run.code !== 0) throw new Error(`agent failed: ${run.stderr}`);
    ours.push(run);
    process.stderr.write(`[${label}] run ${i + 1}/${runs}: ldapsearch ${raw.seconds.toFixed(2)} s, syncready ${run.seconds.toFixed(2)} s\n`);
  }
  return {
    size: label,
    objects: total,
    baseline: median(baseline),
    ours: median(ours.map((r) => r.seconds)),
    agentRssMiB: Math.max(...ours.map((r) => r.peakRssMiB)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { suite: { type: 'string', default: 'snapshot,checks' }, sizes: { type: 'string', default: '2k,20k' }, runs: { type: 'string', default: '3' }, 'no-write': { type: 'boolean', default: false } },
  });
  const suites = values.suite.split(',').map((s) => s.trim());
  if (suites.includes('checks')) {
    // The checks engine bench runs each case in a child process of its own bundle.
    const args = [join(__dirname, 'checks-bench.js'), ...(values['no-write'] ? [] : ['--write-doc'])];
    const code = await new Promise<number | null>((resolveCode) => spawn(process.execPath, args, { stdio: 'inherit', cwd: ROOT }).once('exit', resolveCode));
    if (code !== 0) throw new Error(`checks bench exited with ${code}`);
  }
  if (!suites.includes('snapshot')) return;
  const labels = values.sizes.split(',').map((s) => s.trim());
  for (const label of labels) if (!SIZES[label]) throw new Error(`unknown size ${label}; known: ${Object.keys(SIZES).join(', ')}`);
  const runs = Number(values.runs);
  const dc = readDcConnection();
  const work = mkdtempSync(join(tmpdir(), 'syncready-bench-'));
  const rows: Row[] = [];
  try {
    for (const label of labels) rows.push(await benchSize(dc, label, SIZES[label] as number, runs, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const header = '| objects | ldapsearch (s) | syncready end-to-end (s) | ratio | agent peak RSS (MiB) |';
  const lines = [header, '|---:|---:|---:|---:|---:|', ...rows.map((r) => `| ${r.objects.toLocaleString('en-US')} | ${r.baseline.toFixed(2)} | ${r.ours.toFixed(2)} | ${(r.ours / r.baseline).toFixed(2)} | ${r.agentRssMiB.toFixed(0)} |`)];
  console.log(lines.join('\n'));
  if (!values['no-write']) {
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    writeBenchmarkSection(join(ROOT, 'docs', 'BENCHMARKS.md'), 'full-snapshot', {
      title: 'Full snapshot end-to-end vs raw ldapsearch',
      command: `npm run bench -- --suite snapshot --sizes ${labels.join(',')} --runs ${runs}`,
      notes: [
        `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, Samba AD DC on loopback.`,
        'ldapsearch: `ldapsearch -LLL -x -E pr=1000/noprompt` of the same base, filter and attributes, output to /dev/null.',
        'syncready: wall time of `syncready-agent run --once` (process start, bind, paged read, protobuf frames over WebSocket, SQLite commit of the generation, acknowledged) against a control plane on the same host. Both over plain LDAP on loopback.',
        `Median of ${runs} runs; ratio = syncready / ldapsearch (below 1.0 means faster than the raw dump).`,
      ],
      table: lines,
    });
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
