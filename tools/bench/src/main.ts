/**
 * tools/bench: end-to-end full snapshot (agent read → frames → control plane → committed
 * generation) against a raw `ldapsearch -E pr=1000/noprompt` dump of the same objects and
 * attributes from the same DC, and a 1 % change delta against the full snapshot, measured in
 * the same run. Prints tables and rewrites their sections of docs/BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readDcConnection, type DcConnection } from '@syncready/samba-dc';
import { AGENT_BIN, ROOT, SIZES, benchFixture, enrollAgent, ldapsearchArgs, machineLine, startServer, useDcCache, writeAgentConfig } from './agent-harness';
import { writeBenchmarkSection } from './benchmarks-doc';
import { benchDelta, deltaTable, secondsUntil, type DeltaRow } from './delta-bench';
import { median, timeProcess, type ProcessTiming } from './timing';

interface Row {
  readonly size: string;
  readonly objects: number;
  readonly baseline: number;
  readonly ours: number;
  /** Agent process start until the control plane logged `snapshot.committed`. */
  readonly oursCommitted: number;
  /** The same again from the first snapshot's agent state directory (a later full snapshot). */
  readonly repeat: number;
  readonly repeatCommitted: number;
  readonly agentRssMiB: number;
}

interface TimedSnapshot {
  readonly run: ProcessTiming;
  readonly committedAt: number;
  readonly checksAt: number | undefined;
}

/**
 * One `run --once` full snapshot into a fresh store, timed under GNU time. A snapshot that
 * committed another number of objects than the OU holds fails the bench: a fast wrong read
 * is no figure.
 */
async function timedSnapshot(storeFile: string, stateDir: string, config: string, total: number): Promise<TimedSnapshot> {
  const server = await startServer(storeFile);
  try {
    enrollAgent(server.url, storeFile, stateDir);
    // Its peak RSS is the agent process's own (the control plane is a separate process,
    // started above and not measured).
    const started = Date.now();
    const run = await timeProcess(process.execPath, [AGENT_BIN, 'run', '--once', '--config', config]);
    if (run.code !== 0) throw new Error(`agent failed: ${run.stderr}`);
    const committedAt = await secondsUntil(server, 'snapshot.committed', started);
    const objects = server.logged('snapshot.committed', started)?.['objects'];
    if (objects !== total) throw new Error(`the snapshot committed ${String(objects)} objects where the OU holds ${total}`);
    const checksAt = server.loggedAt('findings.computed', started);
    return { run, committedAt, checksAt: checksAt === undefined ? undefined : (checksAt - started) / 1000 };
  } finally {
    await server.stop();
  }
}

function describe(t: TimedSnapshot): string {
  return `${t.run.seconds.toFixed(2)} s (committed at ${t.committedAt.toFixed(2)} s, checks done at ${t.checksAt === undefined ? '?' : t.checksAt.toFixed(2)} s, peak RSS ${t.run.peakRssMiB.toFixed(0)} MiB)`;
}

async function benchSize(dc: DcConnection, label: string, total: number, runs: number, work: string): Promise<Row> {
  const baseDn = await benchFixture(dc, label, total);
  const passwordFile = join(work, 'pw');
  writeFileSync(passwordFile, dc.password, { mode: 0o600 });

  const baseline: number[] = [];
  const first: TimedSnapshot[] = [];
  const repeat: TimedSnapshot[] = [];
  for (let i = 0; i < runs; i++) {
    const raw = await timeProcess('ldapsearch', ldapsearchArgs(dc, baseDn));
    if (raw.code !== 0) throw new Error(`ldapsearch failed: ${raw.stderr}`);
    baseline.push(raw.seconds);

    // A fresh store and a fresh agent state directory: the site's first snapshot.
    const stateDir = join(work, `${label}-${i}-state`);
    const config = join(work, `${label}-agent.json`);
    writeAgentConfig(config, dc, stateDir, passwordFile, baseDn);
    first.push(await timedSnapshot(join(work, `${label}-${i}.sqlite`), stateDir, config, total));
    // Another fresh store (so again a full snapshot, not a delta) with the same agent state
    // directory, as every later full snapshot of a site (periodic reconcile, resync) has it:
    // with the USN profile the first one left (used where a read is split by USN).
    repeat.push(await timedSnapshot(join(work, `${label}-${i}-again.sqlite`), stateDir, config, total));
    process.stderr.write(
      `[${label}] run ${i + 1}/${runs}: ldapsearch ${raw.seconds.toFixed(2)} s, first snapshot ${describe(first[i] as TimedSnapshot)}; later snapshot ${describe(repeat[i] as TimedSnapshot)}\n`,
    );
  }
  const all = [...first, ...repeat];
  return {
    size: label,
    objects: total,
    baseline: median(baseline),
    ours: median(first.map((r) => r.run.seconds)),
    oursCommitted: median(first.map((r) => r.committedAt)),
    repeat: median(repeat.map((r) => r.run.seconds)),
    repeatCommitted: median(repeat.map((r) => r.committedAt)),
    agentRssMiB: Math.max(...all.map((r) => r.run.peakRssMiB)),
  };
}

/** `agent peak RSS at 100k / at 20k`, the flat-memory target (within 20 %). */
function rssNote(rows: readonly Row[]): string | undefined {
  const small = rows.find((r) => r.size === '20k');
  const big = rows.find((r) => r.size === '100k');
  if (!small?.agentRssMiB || !big?.agentRssMiB) return undefined;
  const ratio = big.agentRssMiB / small.agentRssMiB;
  return (
    `Agent memory target: peak RSS at 100,000 objects within 20 % of that at 20,000 (ratio ≤ 1.20). ` +
    `Measured ${big.agentRssMiB.toFixed(0)} / ${small.agentRssMiB.toFixed(0)} MiB = ${ratio.toFixed(2)}: ${ratio <= 1.2 ? 'met' : 'not met'}.`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { suite: { type: 'string', default: 'snapshot,delta,checks' }, sizes: { type: 'string', default: '2k,20k' }, runs: { type: 'string', default: '3' }, 'no-write': { type: 'boolean', default: false }, 'dc-cache': { type: 'string', default: 'bench' } },
  });
  const suites = values.suite.split(',').map((s) => s.trim());
  for (const suite of suites) if (!['snapshot', 'delta', 'checks'].includes(suite)) throw new Error(`unknown suite ${suite}; known: snapshot, delta, checks`);
  if (suites.includes('checks')) {
    // The checks engine bench runs each case in a child process of its own bundle.
    const args = [join(__dirname, 'checks-bench.js'), ...(values['no-write'] ? [] : ['--write-doc'])];
    const code = await new Promise<number | null>((resolveCode) => spawn(process.execPath, args, { stdio: 'inherit', cwd: ROOT }).once('exit', resolveCode));
    if (code !== 0) throw new Error(`checks bench exited with ${code}`);
  }
  if (!suites.includes('snapshot') && !suites.includes('delta')) return;
  const labels = values.sizes.split(',').map((s) => s.trim());
  for (const label of labels) if (!SIZES[label]) throw new Error(`unknown size ${label}; known: ${Object.keys(SIZES).join(', ')}`);
  // A 1 % delta of 2,000 objects is 20 changes: too small to say anything; deltas start at 20k.
  const deltaLabels = labels.filter((l) => (SIZES[l] as number) >= 20_000);
  if (suites.includes('delta') && deltaLabels.length === 0) throw new Error('the delta suite needs --sizes with 20k or 100k');
  const runs = Number(values.runs);
  useDcCache(values['dc-cache'] === 'off' ? undefined : values['dc-cache']);
  const dc = readDcConnection();
  const work = mkdtempSync(join(tmpdir(), 'syncready-bench-'));
  const rows: Row[] = [];
  const deltaRows: DeltaRow[] = [];
  try {
    if (suites.includes('snapshot')) for (const label of labels) rows.push(await benchSize(dc, label, SIZES[label] as number, runs, work));
    if (suites.includes('delta')) for (const label of deltaLabels) deltaRows.push(await benchDelta(dc, label, runs, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const measured = `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine(cpus().length, totalmem())}, Samba AD DC on loopback.`;
  const doc = join(ROOT, 'docs', 'BENCHMARKS.md');
  // Both sections name the command that produced them (snapshot and delta in one run when both ran).
  const measuredSuites = suites.filter((s) => s !== 'checks').join(',');

  if (rows.length) {
    const header =
      '| objects | ldapsearch (s) | first snapshot end-to-end (s) | ratio | later snapshot end-to-end (s) | ratio | first / later to commit (s) | ratios to commit | agent peak RSS (MiB) |';
    const lines = [
      header,
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.objects.toLocaleString('en-US')} | ${r.baseline.toFixed(2)} | ${r.ours.toFixed(2)} | ${(r.ours / r.baseline).toFixed(2)} | ${r.repeat.toFixed(2)} | ${(r.repeat / r.baseline).toFixed(2)} | ` +
          `${r.oursCommitted.toFixed(2)} / ${r.repeatCommitted.toFixed(2)} | ${(r.oursCommitted / r.baseline).toFixed(2)} / ${(r.repeatCommitted / r.baseline).toFixed(2)} | ${r.agentRssMiB ? r.agentRssMiB.toFixed(0) : 'n/a'} |`,
      ),
    ];
    const rss = rssNote(rows);
    console.log([...lines, ...(rss ? ['', rss] : [])].join('\n'));
    if (!values['no-write']) {
      writeBenchmarkSection(doc, 'full-snapshot', {
        title: 'Full snapshot end-to-end vs raw ldapsearch',
        command: `npm run bench -- --suite ${measuredSuites} --sizes ${labels.join(',')} --runs ${runs}`,
        notes: [
          measured,
          'ldapsearch: `ldapsearch -LLL -x -E pr=1000/noprompt` of the same base, filter and attributes, output to /dev/null.',
          'syncready: wall time of `syncready-agent run --once` (process start, bind, paged read, protobuf frames over WebSocket, SQLite commit of the generation, acknowledged) against a control plane on the same host, with a fresh store each time. Both over plain LDAP on loopback.',
          '"first snapshot": a freshly enrolled agent. "later snapshot": the same agent state directory again (enrolled anew into another fresh store), as every later full snapshot of a site has it (periodic reconcile, resync, a new store): with the USN profile the first one left, which a read split by USN uses. Both read split by parent (`ldap.parallelism` 2: one level below each OU and container of the base that may hold the objects read).',
          `Median of ${runs} runs; ratio = syncready / ldapsearch (below 1.0 means faster than the raw dump).`,
          '"to commit": from the agent process start until the control plane logged `snapshot.committed` (its JSON log line, ms resolution). The end-to-end time also holds what follows the commit: the agent sends its close frame, closes its LDAP connections and exits; the control plane runs the checks beside the session.',
          'Agent peak RSS: maximum resident set of the agent process alone over the runs (GNU time `%M`); the control plane is a separate process and not included.',
          rss ?? 'Agent memory target: peak RSS at 100,000 objects within 20 % of that at 20,000; run with `--sizes 2k,20k,100k` to measure it.',
        ],
        table: lines,
      });
    }
  }

  if (deltaRows.length) {
    const lines = deltaTable(deltaRows);
    console.log(lines.join('\n'));
    if (!values['no-write']) {
      writeBenchmarkSection(doc, 'delta', {
        title: '1 % change delta vs full snapshot',
        command: `npm run bench -- --suite ${measuredSuites} --sizes ${(rows.length ? labels : deltaLabels).join(',')} --runs ${runs}`,
        notes: [
          measured,
          'Per run: a fresh control plane store; `syncready-agent run --once` commits the first generation of `OU=Bench-<size>` (timed as in the snapshot suite: "`run --once` full snapshot"). Then `syncready-agent run` starts as it runs at a site, its session open between cycles (its first cycle, an empty delta, is not timed). `POST /api/v1/sites/:siteId/sync` with `{"mode": "full"}` asks it for a full snapshot ("full snapshot cycle"); one ldapmodify batch replaces `description` of 1 % of the objects (users spread evenly over the OU) with a run-specific value (untimed); `{"mode": "delta"}` asks for the delta ("delta cycle"). The original values are written back after each run.',
          'Both cycles: from the API request until the control plane logged `snapshot.committed` / `delta.committed` (its JSON log line, ms resolution): the time until the change is current in the control plane, in the same running agent (forest read, LDAP bind, `uSNChanged` searches of changed and deleted objects, frames, commit). Each timed cycle starts once the control plane has stored the checks of the generation before it (its findings route no longer answers `pending`), as a site\'s next cycle comes minutes later. "delta as the agent logs it": the cycle from its start until the commit was acknowledged.',
          '"objects sent": upserts the agent reports for the delta (equal to the changed objects when only the changed objects are sent). "delta / `run --once`" compares the delta cycle with a full snapshot that includes starting a process and connecting.',
          'Running agent peak RSS: the agent process\'s VmHWM after both cycles (a full snapshot and the delta).',
          `Median of ${runs} runs; ratio = delta / full snapshot. Target: below 5 %.`,
        ],
        table: lines,
      });
    }
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
