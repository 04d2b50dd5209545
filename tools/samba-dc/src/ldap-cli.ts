import { spawn } from 'node:child_process';
import { parseLdif, type RawValue } from '@syncready/directory';
import { type DcConnection } from './dc-connection';
import { SambaDcError } from './samba-dc-error';

/*
 * OpenLDAP's command-line tools against the test DC: an implementation independent of the
 * agent's LDAP client, so tests that check what the DC holds do not trust the code under test.
 */

/** One entry of an ldapsearch result; attribute names are matched case-insensitively. */
export class LdapEntry {
  private readonly byName = new Map<string, RawValue[]>();

  constructor(
    readonly dn: string,
    attributes: ReadonlyMap<string, RawValue[]>,
  ) {
    for (const [name, values] of attributes) this.byName.set(name.toLowerCase(), values);
  }

  /** Raw values: strings, or bytes where ldapsearch printed base64 (binary or non-ASCII). */
  values(name: string): readonly RawValue[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  /** Every value as UTF-8 text. */
  texts(name: string): string[] {
    return this.values(name).map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8')));
  }

  /** The first value as UTF-8 text. */
  text(name: string): string | undefined {
    return this.texts(name)[0];
  }

  /** The first value as bytes. */
  bytes(name: string): Buffer | undefined {
    const value = this.values(name)[0];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  }
}

/** What to search. */
export interface LdapSearchOptions {
  readonly base: string;
  /** @default 'sub' */
  readonly scope?: 'base' | 'one' | 'sub';
  /** @default '(objectClass=*)' */
  readonly filter?: string;
  /** @default all user attributes */
  readonly attributes?: readonly string[];
  /** @default 60000 */
  readonly timeoutMs?: number;
}

const LDAP_NO_SUCH_OBJECT = 32;
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

function run(tool: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) child.kill('SIGTERM');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new SambaDcError('SAMBA_DC.LDAP_FAILED', `${tool} could not run (${error.message}): install ldap-utils (tools/samba-dc/samba-dc install)`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8').trim() });
    });
  });
}

function bindArgs(connection: DcConnection): string[] {
  return ['-x', '-H', connection.ldapUrl, '-D', connection.bindDn, '-w', connection.password];
}

/**
 * `ldapsearch` as Administrator (paged, 1000 per page). Resolves with no entries when the base
 * does not exist; rejects with `SAMBA_DC.LDAP_FAILED` on any other error.
 */
export async function ldapSearch(connection: DcConnection, options: LdapSearchOptions): Promise<LdapEntry[]> {
  const args = [
    '-LLL', '-o', 'ldif-wrap=no', '-E', 'pr=1000/noprompt', ...bindArgs(connection),
    '-b', options.base, '-s', options.scope ?? 'sub', options.filter ?? '(objectClass=*)', ...(options.attributes ?? []),
  ];
  const { code, stdout, stderr } = await run('ldapsearch', args, options.timeoutMs ?? 60_000);
  if (code === LDAP_NO_SUCH_OBJECT) return [];
  if (code !== 0) throw new SambaDcError('SAMBA_DC.LDAP_FAILED', `ldapsearch -b ${options.base} failed (exit ${code}): ${stderr}`, code);
  return parseLdif(stdout).map((record) => new LdapEntry(record.dn, record.attributes));
}

/** `ldapdelete -r`: removes an entry and everything below it. A missing entry is not an error. */
export async function ldapDeleteTree(connection: DcConnection, dn: string, timeoutMs = 600_000): Promise<void> {
  const { code, stderr } = await run('ldapdelete', [...bindArgs(connection), '-r', dn], timeoutMs);
  if (code !== 0 && code !== LDAP_NO_SUCH_OBJECT) {
    throw new SambaDcError('SAMBA_DC.LDAP_FAILED', `ldapdelete -r ${dn} failed (exit ${code}): ${stderr}`, code);
  }
}
