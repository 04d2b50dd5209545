import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CheckOptions, CheckResult, ReadinessCheck } from '@syncready/checks';
import { type DirectoryReader, type LdapDirectoryReaderOptions } from '@syncready/ad-reader';
import { ExitCode, UsageError } from '../exit-codes';
import { renderCsvReport } from './csv-report';
import { renderJsonReport } from './json-report';
import { LdapObjectSource } from './ldap-object-source';
import { LdifObjectSource } from './ldif-object-source';
import { writeReportFile, writeStdout } from './report-output';
import { type ScanReport } from './scan-report';
import { type ScanOptions } from './scan-options';
import { ScanProgress, type ProgressSink } from './scan-progress';
import { type ScanSource } from './scan-source';
import { readSecret } from './secret-file';
import { renderTableReport } from './table-report';

/** What `scan` is given by the composition root. */
export interface ScanDependencies {
  /** The checks engine (`createReadinessCheck` from `@syncready/checks`). */
  createCheck(options: CheckOptions): ReadinessCheck;
  /** Connects the agent's LDAP reader (`LdapDirectoryReader.connect`). */
  connectLdap(options: LdapDirectoryReaderOptions): Promise<DirectoryReader>;
  /** @default process.stderr */
  readonly stderr?: ProgressSink;
  /** Colours in the table when stdout is a terminal. @default process.stdout.isTTY */
  readonly color?: boolean;
  /** Report text goes here when there is no --out. @default process.stdout */
  readonly writeStdout?: (text: string) => Promise<void>;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const LDIF_CHUNK_BYTES = 1024 * 1024;

async function openLdif(file: string): Promise<ScanSource> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new UsageError(`cannot read LDIF file ${file} (${why}): give the path of an export made with ldifde -f FILE or ldapsearch -LLL`);
  }
  if (!info.isFile()) throw new UsageError(`${file} is not a file: give the path of an LDIF export`);
  const source = new LdifObjectSource(() => createReadStream(file, { highWaterMark: LDIF_CHUNK_BYTES }), file);
  return source;
}

async function openLdap(options: ScanOptions, deps: ScanDependencies): Promise<ScanSource> {
  const input = options.input;
  if (input.kind !== 'ldap') throw new Error('not an LDAP scan');
  const password = readSecret(input.passwordFile, deps.env ?? process.env);
  const reader = await deps.connectLdap({
    url: input.url,
    bindDn: input.bindDn,
    password,
    startTls: input.startTls,
    allowPlainLdap: input.allowPlainLdap,
    ...(input.caFile ? { tls: { caFile: input.caFile } } : {}),
    ...(input.baseDn ? { baseDn: input.baseDn } : {}),
  });
  return new LdapObjectSource(reader, input.url);
}

/** Reads every object of the source into the engine; the engine keeps what it needs. */
async function check(source: ScanSource, options: ScanOptions, deps: ScanDependencies, progress: ScanProgress): Promise<{ result: CheckResult; objectsRead: number }> {
  const forest = await source.forest();
  const engine = deps.createCheck({
    ruleSet: options.ruleSet,
    ignoreUpn: options.ignoreUpn,
    ...(forest ? { forest } : {}),
    ...(options.verifiedDomains.length > 0 ? { tenant: { verifiedDomains: options.verifiedDomains } } : {}),
  });
  let objectsRead = 0;
  for await (const batch of source.objects()) {
    for (const object of batch) engine.add(object);
    objectsRead += batch.length;
    progress.add(batch.length);
  }
  return { result: engine.finish(), objectsRead };
}

function render(report: ScanReport, options: ScanOptions, color: boolean): string {
  switch (options.format) {
    case 'json':
      return renderJsonReport(report);
    case 'csv':
      return renderCsvReport(report);
    case 'table':
      return renderTableReport(report, { color: color && options.out === undefined });
  }
}

/** Exit 1 when a finding at or above --fail-on exists; without --fail-on, findings never fail the run. */
export function exitCodeForFindings(result: CheckResult, failOn: ScanOptions['failOn']): number {
  if (failOn === undefined) return ExitCode.OK;
  const { error, warning } = result.summary.bySeverity;
  const failing = failOn === 'error' ? error : error + warning;
  return failing > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}

/**
 * `syncready-agent scan`: source → checks engine → report. The report is rendered only after
 * the whole source was read, so any failure (a truncated LDIF, a DC that drops the connection)
 * leaves no report behind.
 */
export async function runScan(options: ScanOptions, deps: ScanDependencies): Promise<number> {
  const stderr = deps.stderr ?? process.stderr;
  const source = options.input.kind === 'ldif' ? await openLdif(options.input.file) : await openLdap(options, deps);
  const progress = new ScanProgress(stderr);
  let checked;
  try {
    checked = await check(source, options, deps, progress);
  } finally {
    progress.done();
    await source.close();
  }
  if (options.input.kind === 'ldif' && checked.objectsRead === 0) {
    throw new UsageError(`${options.input.file} holds no users, groups, contacts or computers: export the domain with ldifde -f FILE -d "DC=example,DC=com" (or ldapsearch -LLL)`);
  }
  const report: ScanReport = { source: source.description, ruleSet: options.ruleSet, objectsRead: checked.objectsRead, result: checked.result, warnings: source.warnings };
  const text = render(report, options, deps.color ?? process.stdout.isTTY === true);
  if (options.out !== undefined) await writeReportFile(options.out, text);
  else await (deps.writeStdout ?? writeStdout)(text);
  if (source.warnings.count > 0 && options.format !== 'table') {
    stderr.write(`syncready-agent: ${source.warnings.count} input warning(s) (${Object.entries(source.warnings.byCode()).map(([c, n]) => `${c} ${n}`).join(', ')}); --format json lists them with line numbers\n`);
  }
  return exitCodeForFindings(checked.result, options.failOn);
}
