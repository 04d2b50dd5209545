/**
 * Readiness checks engine throughput: synthetic directories of 100k and 1M objects through the
 * `entra` and `idfix` rule sets, one child process per case (so peak RSS is that case's own),
 * objects generated on the fly so the engine's memory is what grows. Reports objects/s, peak
 * RSS and the 1M/100k time ratio (linear time ⇒ about 10).
 */
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { resourceUsage } from 'node:process';
import { type RuleSetName, createReadinessCheck } from '@syncready/checks';
import { writeBenchmarkSection } from './benchmarks-doc';
import { syntheticDirectory } from './synthetic-directory';

/** One measured case. */
export interface ChecksBenchRow {
  readonly ruleSet: RuleSetName;
  readonly objects: number;
  readonly seconds: number;
  readonly objectsPerSecond: number;
  readonly peakRssMiB: number;
  readonly findings: number;
}

const SIZES = [100_000, 1_000_000];
const RULE_SETS: readonly RuleSetName[] = ['entra', 'idfix'];
const CASE_FLAG = '--checks-bench-case';

/** Runs one case in this process and returns its row. */
function measureCase(ruleSet: RuleSetName, objects: number): ChecksBenchRow {
  let peakRss = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const check = createReadinessCheck({ ruleSet });
  let n = 0;
  for (const object of syntheticDirectory(objects)) {
    check.add(object);
    n += 1;
    if (n % 20_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const result = check.finish();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peakRss = Math.max(peakRss, process.memoryUsage().rss, resourceUsage().maxRSS * 1024);
  return { ruleSet, objects, seconds, objectsPerSecond: objects / seconds, peakRssMiB: peakRss / 2 ** 20, findings: result.findings.length };
}

/** Runs one case in a fresh child process (same script, case flag). */
function runChild(ruleSet: RuleSetName, objects: number): Promise<ChecksBenchRow> {
  return new Promise((resolveRow, reject) => {
    const child = fork(process.argv[1] ?? __filename, [CASE_FLAG, ruleSet, String(objects)], { execArgv: ['--max-semi-space-size=32'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (row) => resolveRow(row as ChecksBenchRow));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`checks bench case ${ruleSet}/${objects} exited with ${code}`))));
  });
}

/** Formats rows as a Markdown table with the 1M/100k time ratio per rule set. */
export function checksBenchTable(rows: readonly ChecksBenchRow[]): string[] {
  const lines = ['| rule set | objects | seconds | objects/s | peak RSS (MiB) | findings | time ratio vs 100k |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    const base = rows.find((r) => r.ruleSet === row.ruleSet && r.objects === SIZES[0]);
    const ratio = base && row.objects !== base.objects ? (row.seconds / base.seconds).toFixed(1) : '—';
    lines.push(`| ${row.ruleSet} | ${row.objects.toLocaleString('en-US')} | ${row.seconds.toFixed(2)} | ${Math.round(row.objectsPerSecond).toLocaleString('en-US')} | ${row.peakRssMiB.toFixed(0)} | ${row.findings.toLocaleString('en-US')} | ${ratio} |`);
  }
  return lines;
}

/** Measures every rule set at every size, one child process each, one after the other. */
export async function runChecksBench(): Promise<ChecksBenchRow[]> {
  const rows: ChecksBenchRow[] = [];
  for (const ruleSet of RULE_SETS) {
    for (const objects of SIZES) rows.push(await runChild(ruleSet, objects));
  }
  return rows;
}

async function main(): Promise<void> {
  const caseAt = process.argv.indexOf(CASE_FLAG);
  if (caseAt >= 0) {
    const row = measureCase(process.argv[caseAt + 1] as RuleSetName, Number(process.argv[caseAt + 2]));
    process.send?.(row);
    return;
  }
  const rows = await runChecksBench();
  const table = checksBenchTable(rows);
  console.log(table.join('\n'));
  if (process.argv.includes('--write-doc')) {
    writeBenchmarkSection(resolve(process.cwd(), 'docs/BENCHMARKS.md'), 'checks', {
      title: 'Readiness checks engine (libs/checks)',
      command: 'npm run bench -- --suite checks',
      notes: [
        `${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; each case in its own process (\`--max-semi-space-size=32\`: fewer young-generation collections while the indexes grow), single-threaded (the engine is synchronous).`,
        'Synthetic directory: 80 % users, 10 % groups, 6 % contacts, 4 % computers; ~3 % defects, ~1 % duplicate mail addresses; objects are generated while they are checked, so RSS is mostly the engine (indexes and findings).',
        'Time covers generating the objects, add() for each, and finish() (duplicates, forest-level findings, sort). Memory is linear: the entra indexes keep one entry per UPN, mail, SMTP proxy and targetAddress, plus each synced object\'s DN, GUID and cn for duplicate reports.',
      ],
      table,
    });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
