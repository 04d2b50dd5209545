import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckOptions, CheckResult, Finding, ReadinessCheck } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { UsageError } from '../exit-codes';
import { exitCodeForFindings, runScan, type ScanDependencies } from './scan-command';
import { parseScanArgs } from './scan-options';

/** A stand-in engine behind the same contract: one warning per user without a UPN. */
class FakeCheck implements ReadinessCheck {
  readonly objects: DirectoryObject[] = [];
  constructor(readonly options: CheckOptions) {}
  add(object: DirectoryObject): void {
    this.objects.push(object);
  }
  finish(): CheckResult {
    const findings: Finding[] = this.objects
      .filter((o) => !o.attributes['userPrincipalName'])
      .map((o) => ({ ruleId: 'fake.upn', severity: 'warning', dn: o.distinguishedName, objectGuid: o.objectGuid, objectClass: o.kind, commonName: '', attribute: 'userPrincipalName', value: '', errors: ['blank'], suggestedValue: null, action: 'edit', message: 'no UPN' }));
    return { findings, summary: { objectsChecked: this.objects.length, findings: findings.length, bySeverity: { error: 0, warning: findings.length, info: 0 }, byRule: { 'fake.upn': findings.length } } } as CheckResult;
  }
}

let dir: string;
let checks: FakeCheck[];
let stdout: string;
let stderr: string;
const deps = (): ScanDependencies => ({
  createCheck: (options) => {
    const check = new FakeCheck(options);
    checks.push(check);
    return check;
  },
  connectLdap: () => Promise.reject(new Error('no LDAP in unit tests')),
  stderr: { isTTY: false, write: (text: string) => (stderr += text) },
  writeStdout: async (text) => void (stdout += text),
  color: false,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scan-command-'));
  checks = [];
  stdout = '';
  stderr = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function ldif(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const TWO_USERS = 'dn: CN=A,DC=x\nobjectClass: user\nuserPrincipalName: a@x.com\n\ndn: CN=B,DC=x\nobjectClass: user\n\n';

describe('runScan', () => {
  it('feeds every object to the engine with the rule set and verified domains, and prints the report', async () => {
    const file = ldif('two.ldf', TWO_USERS);
    const code = await runScan(parseScanArgs(['--ldif', file, '--rules', 'idfix', '--verified-domain', 'x.com', '--format', 'json']), deps());
    expect(code).toBe(0);
    expect(checks[0]?.options).toEqual({ ruleSet: 'idfix', ignoreUpn: false, tenant: { verifiedDomains: ['x.com'] } });
    expect(checks[0]?.objects.map((o) => o.distinguishedName)).toEqual(['CN=A,DC=x', 'CN=B,DC=x']);
    expect(JSON.parse(stdout).summary).toMatchObject({ objectsRead: 2, findings: 1, inputWarnings: 2 });
    expect(stderr).toMatch(/2 input warning\(s\) \(LDIF.NO_OBJECT_GUID 2\)/);
  });

  it('exits 1 only with --fail-on at or below the worst severity found', async () => {
    const file = ldif('two.ldf', TWO_USERS);
    expect(await runScan(parseScanArgs(['--ldif', file, '--fail-on', 'warning']), deps())).toBe(1);
    expect(await runScan(parseScanArgs(['--ldif', file, '--fail-on', 'error']), deps())).toBe(0);
    const none = { summary: { bySeverity: { error: 0, warning: 0, info: 5 } } } as CheckResult;
    expect(exitCodeForFindings(none, 'warning')).toBe(0);
  });

  it('writes --out atomically and leaves nothing behind when the input is bad', async () => {
    const out = join(dir, 'report.csv');
    expect(await runScan(parseScanArgs(['--ldif', ldif('two.ldf', TWO_USERS), '--format', 'csv', '--out', out]), deps())).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^DISTINGUISHEDNAME,/);
    expect(stdout).toBe('');
    const broken = join(dir, 'broken.csv');
    await expect(runScan(parseScanArgs(['--ldif', ldif('cut.ldf', 'dn: CN=A,DC=x\nobjectClass: us'), '--out', broken]), deps())).rejects.toMatchObject({ code: 'LDIF.MALFORMED', line: 2 });
    expect(existsSync(broken)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says what to do about a missing file, a directory, or an export without objects', async () => {
    await expect(runScan(parseScanArgs(['--ldif', join(dir, 'missing.ldf')]), deps())).rejects.toThrow(/no such file.*ldifde -f FILE/);
    await expect(runScan(parseScanArgs(['--ldif', dir]), deps())).rejects.toThrow(/is not a file/);
    await expect(runScan(parseScanArgs(['--ldif', ldif('ou.ldf', 'dn: OU=A,DC=x\nobjectClass: organizationalUnit\n\n')]), deps())).rejects.toThrow(UsageError);
  });

  it('an LDAP scan without a password file or SYNCREADY_LDAP_PASSWORD is a usage error', async () => {
    await expect(runScan(parseScanArgs(['--ldap', 'ldaps://dc', '--bind-dn', 'x']), { ...deps(), env: {} })).rejects.toThrow(/--password-file FILE/);
  });
});
