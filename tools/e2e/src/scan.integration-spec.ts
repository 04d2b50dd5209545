/**
 * `syncready-agent scan` end to end: the shipped ldifde sample, scanned as a file and (seeded
 * into the Samba DC) over LDAP, must give the same findings for both rule sets; bad input and
 * bad credentials give the documented exit codes and leave no report file behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLdif, type RawValue } from '@syncready/directory';
import { ldapDeleteTree, ldapSearch, readDcConnection, runSambaDc, type DcConnection } from '@syncready/samba-dc';
import { REPO_ROOT, runAgent, tempDir } from './processes';

/** The ldifde sample shipped with the agent. */
const SAMPLE_FILE = join(REPO_ROOT, 'apps', 'agent', 'test-data', 'sample-ldifde-export.ldf');
/** Where the sample's objects live, in the export and in the test DC alike. */
const SAMPLE_OU_DN = 'OU=Scan-Sample,DC=contoso,DC=local';

// What a DC assigns itself: ldapadd must not send these (Samba refuses most of them).
const DC_OWNED = new Set(['objectguid', 'objectsid', 'usnchanged', 'usncreated', 'whenchanged', 'whencreated', 'distinguishedname', 'instancetype', 'objectcategory', 'name']);

function ldifLine(name: string, value: RawValue): string {
  if (typeof value === 'string' && /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(' ')) return `${name}: ${value}`;
  return `${name}:: ${Buffer.from(typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString('base64')}`;
}

/**
 * The sample as an ldapadd LDIF for the test DC: only records under the sample OU (the DC has
 * its own CN=Partitions), without the attributes the DC assigns, and a last record that
 * marks the seeding complete with a digest of the sample.
 */
function sampleSeedLdif(sample: string, marker: string): string {
  const parts: string[] = [];
  for (const record of parseLdif(sample)) {
    if (!record.dn.toLowerCase().endsWith(SAMPLE_OU_DN.toLowerCase())) continue;
    const lines = [ldifLine('dn', record.dn), 'changetype: add'];
    for (const [name, values] of record.attributes) {
      if (DC_OWNED.has(name.toLowerCase())) continue;
      for (const value of values) lines.push(ldifLine(name, value));
    }
    parts.push(`${lines.join('\n')}\n\n`);
  }
  parts.push(`dn: ${SAMPLE_OU_DN}\nchangetype: modify\nreplace: description\ndescription: ${marker}\n-\n\n`);
  return parts.join('');
}

/**
 * Makes the test DC hold the sample's objects under OU=Scan-Sample (seeding only when the OU
 * is missing or was seeded from another version of the sample).
 */
async function ensureSampleSeeded(dc: DcConnection): Promise<void> {
  const sample = readFileSync(SAMPLE_FILE, 'utf8');
  const marker = `syncready-scan-sample/${createHash('sha256').update(sample).digest('hex').slice(0, 16)}`;
  const [ou] = await ldapSearch(dc, { base: SAMPLE_OU_DN, scope: 'base', attributes: ['description'] });
  if (ou?.text('description') === marker) return;
  if (ou) await ldapDeleteTree(dc, SAMPLE_OU_DN);
  const file = join(tempDir('scan-seed'), 'sample-seed.ldif');
  writeFileSync(file, sampleSeedLdif(sample, marker));
  try {
    await runSambaDc(['seed', file], { timeoutMs: 600_000 });
  } finally {
    rmSync(file, { force: true });
  }
}

interface JsonReport {
  findings: Record<string, unknown>[];
  summary: { findings: number; objectsChecked: number; bySeverity: Record<string, number>; byRule: Record<string, number> };
}

/** Everything but the GUIDs, which the DC assigned itself when it was seeded. */
function withoutGuids(findings: readonly Record<string, unknown>[]): unknown[] {
  return findings.map(({ objectGuid: _guid, duplicates, ...rest }) => ({
    ...rest,
    ...(Array.isArray(duplicates) ? { duplicates: duplicates.map(({ objectGuid: _g, ...holder }: Record<string, unknown>) => holder) } : {}),
  }));
}

let dc: DcConnection;
let dir: string;
let ldapArgs: string[];

beforeAll(async () => {
  dc = readDcConnection();
  await ensureSampleSeeded(dc);
  dir = tempDir('scan');
  writeFileSync(join(dir, 'password'), dc.password, { mode: 0o600 });
  writeFileSync(join(dir, 'wrong-password'), 'Not-The-Password-42', { mode: 0o600 });
  ldapArgs = ['--ldap', dc.ldapsUrl, '--bind-dn', dc.bindDn, '--password-file', join(dir, 'password'), '--ca-file', dc.caFile, '--base-dn', SAMPLE_OU_DN];
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * IdFix flags every holder of a duplicate value except the first one it reads, so which holder
 * is left out depends on the order the source lists objects in (file order versus the DC's
 * order). For --rules idfix, duplicates are therefore compared as "how many findings per rule
 * and value", everything else exactly.
 */
function comparable(rules: string, findings: readonly Record<string, unknown>[]): unknown {
  const all = withoutGuids(findings) as Record<string, unknown>[];
  if (rules !== 'idfix') return all;
  const isDuplicate = (f: Record<string, unknown>): boolean => (f['errors'] as string[]).join() === 'duplicate';
  const perValue: Record<string, number> = {};
  for (const f of all.filter(isDuplicate)) {
    const key = `${String(f['ruleId'])} ${String(f['value']).toLowerCase()}`;
    perValue[key] = (perValue[key] ?? 0) + 1;
  }
  return { findings: all.filter((f) => !isDuplicate(f)), duplicatesPerValue: perValue };
}

describe.each(['entra', 'idfix'])('--rules %s', (rules) => {
  it('gives the same findings for the ldifde export and for the DC seeded with it', async () => {
    const fromFile = await runAgent(['scan', '--ldif', SAMPLE_FILE, '--rules', rules, '--format', 'json']);
    const fromDc = await runAgent(['scan', ...ldapArgs, '--rules', rules, '--format', 'json']);
    expect(fromFile.stderr).toBe('');
    expect(fromDc.stderr).toBe('');
    expect([fromFile.code, fromDc.code]).toEqual([0, 0]);
    const file = JSON.parse(fromFile.stdout) as JsonReport;
    const live = JSON.parse(fromDc.stdout) as JsonReport;
    expect(file.findings.length).toBeGreaterThan(50);
    expect(comparable(rules, live.findings)).toEqual(comparable(rules, file.findings));
    expect(live.summary.bySeverity).toEqual(file.summary.bySeverity);
    expect(live.summary.byRule).toEqual(file.summary.byRule);
    expect(live.summary.objectsChecked).toBe(file.summary.objectsChecked);
  });
});

it('finds what only the entra rules find, and what IdFix reports differently', async () => {
  const [entra, idfix] = await Promise.all(['entra', 'idfix'].map((rules) => runAgent(['scan', '--ldif', SAMPLE_FILE, '--rules', rules, '--format', 'json'])));
  const e = (JSON.parse(entra?.stdout ?? '') as JsonReport).findings;
  const i = (JSON.parse(idfix?.stdout ?? '') as JsonReport).findings;
  const about = (findings: Record<string, unknown>[], text: string): Record<string, unknown>[] => findings.filter((f) => String(f['value']).includes(text));
  // A UPN equal to another object's smtp: proxy: a tenant-wide duplicate IdFix never compares.
  expect(about(e, 'no.display.name.sx@contoso.com').some((f) => f['attribute'] === 'proxyAddresses' && (f['errors'] as string[]).includes('duplicate'))).toBe(true);
  // The apostrophe: allowed by Microsoft's docs, still flagged by IdFix's UPN regex.
  expect(about(e, "o'brien").filter((f) => f['attribute'] === 'userPrincipalName')).toEqual([]);
  expect(about(i, "o'brien").some((f) => f['attribute'] === 'userPrincipalName' && (f['errors'] as string[]).includes('character'))).toBe(true);
});

it('writes IdFix\'s CSV header and one row per finding', async () => {
  const out = join(dir, 'idfix.csv');
  const run = await runAgent(['scan', '--ldif', SAMPLE_FILE, '--rules', 'idfix', '--format', 'csv', '--out', out]);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  const lines = readFileSync(out, 'utf8').split('\r\n');
  expect(lines[0]).toBe('DISTINGUISHEDNAME,COMMONNAME,OBJECTCLASS,ATTRIBUTE,ERROR,VALUE,UPDATE,PROPOSEDACTION,ACTION');
  expect(lines.length).toBeGreaterThan(20);
  expect(lines.slice(1, -1).every((l) => /,(EDIT|REMOVE|COMPLETE),$/.test(l))).toBe(true);
});

it('prints the table by default and exits 1 with --fail-on warning', async () => {
  const plain = await runAgent(['scan', '--ldif', SAMPLE_FILE]);
  expect(plain.code).toBe(0);
  expect(plain.stdout).toMatch(/Findings by rule/);
  expect(plain.stdout).toMatch(/Worst objects/);
  expect(plain.stdout).not.toContain('\u001b[');
  const failing = await runAgent(['scan', '--ldif', SAMPLE_FILE, '--fail-on', 'warning', '--format', 'json']);
  expect(failing.code).toBe(1);
  expect(JSON.parse(failing.stdout)).toHaveProperty('findings');
});

describe('bad input', () => {
  it('a truncated export: exit 2 with the line number, and no report file', async () => {
    const sample = readFileSync(SAMPLE_FILE);
    const truncated = join(dir, 'truncated.ldf');
    writeFileSync(truncated, sample.subarray(0, Math.floor(sample.length / 2)));
    const out = join(dir, 'never.json');
    const run = await runAgent(['scan', '--ldif', truncated, '--format', 'json', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/LDIF\.MALFORMED: line \d+: .*truncated/);
    expect(existsSync(out)).toBe(false);
  });

  it('a malformed line: exit 2 with its line number', async () => {
    const broken = join(dir, 'broken.ldf');
    writeFileSync(broken, 'dn: CN=A,DC=contoso,DC=local\r\nobjectClass: user\r\nthis line has no colon\r\n\r\n');
    const run = await runAgent(['scan', '--ldif', broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/line 3:/);
  });

  it('a missing file or a missing argument says what to do', async () => {
    const missing = await runAgent(['scan', '--ldif', join(dir, 'nope.ldf')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file.*ldifde -f/);
    const nothing = await runAgent(['scan']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/--ldif FILE.*--ldap URL/);
    const unknown = await runAgent(['scan', '--ldif', SAMPLE_FILE, '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--colour.*scan --help/);
  });

  it('a wrong password: exit 3 (LDAP.BIND_FAILED), and no report file', async () => {
    const out = join(dir, 'never.csv');
    const args = ldapArgs.map((a) => (a.endsWith('password') ? join(dir, 'wrong-password') : a));
    const run = await runAgent(['scan', ...args, '--format', 'csv', '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/LDAP\.BIND_FAILED/);
    expect(run.stderr).not.toContain(dc.password);
    expect(existsSync(out)).toBe(false);
  });
});
