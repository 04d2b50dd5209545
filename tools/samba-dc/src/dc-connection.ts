import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SambaDcError } from './samba-dc-error';

/** What `samba-dc provision` writes to `<state dir>/connection.json`. */
export interface DcConnection {
  /** `ldap://127.0.0.1:389` (simple bind allowed without TLS). */
  readonly ldapUrl: string;
  /** `ldaps://127.0.0.1:636`; its certificate names 127.0.0.1, ::1, localhost and dc1.contoso.local. */
  readonly ldapsUrl: string;
  /** `CN=Administrator,CN=Users,DC=contoso,DC=local`. */
  readonly bindDn: string;
  /** `Administrator@contoso.local`: the same account in UPN form. */
  readonly bindUpn: string;
  /** The fixed test password of this loopback-only DC. */
  readonly password: string;
  /** `DC=contoso,DC=local`. */
  readonly baseDn: string;
  /** `CONTOSO.LOCAL`. */
  readonly realm: string;
  /** `CONTOSO` (NetBIOS domain name). */
  readonly domain: string;
  /** PEM file of the CA that signed the LDAPS certificate. */
  readonly caFile: string;
  /** The state directory the DC runs from. */
  readonly stateDir: string;
  /** A krb5.conf that points Kerberos clients at the DC's KDC on 127.0.0.1. */
  readonly krb5Config: string;
}

const STRING_FIELDS = ['ldapUrl', 'ldapsUrl', 'bindDn', 'bindUpn', 'password', 'baseDn', 'realm', 'domain', 'caFile'] as const;

/** Path of the samba-dc script, found from this file's place in the repository. */
export function sambaDcScript(): string {
  return join(repoRoot(), 'tools', 'samba-dc', 'samba-dc');
}

/**
 * The repository root: the nearest directory above this module (or, when bundled elsewhere,
 * above the working directory) that holds `tools/samba-dc/samba-dc`.
 */
export function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'tools', 'samba-dc', 'samba-dc'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new SambaDcError('SAMBA_DC.SCRIPT_NOT_FOUND', `cannot find the repository (no tools/samba-dc/samba-dc above ${__dirname} or ${process.cwd()})`);
}

/**
 * The DC's state directory, as the script resolves it.
 * @default `$SAMBA_DC_DIR`, else `<repo root>/.tmp/samba-dc`
 */
export function defaultStateDir(): string {
  const fromEnv = process.env['SAMBA_DC_DIR'];
  return fromEnv ? resolve(fromEnv) : join(repoRoot(), '.tmp', 'samba-dc');
}

/**
 * Reads `<stateDir>/connection.json`. Throws {@link SambaDcError} `SAMBA_DC.NOT_RUNNING` when
 * the DC was never provisioned there (run `tools/samba-dc/samba-dc ensure`), and
 * `SAMBA_DC.BAD_CONNECTION_FILE` when the file is not what the script writes. It does not
 * check that the DC is up: `runSambaDc(['status'])` does.
 * @param stateDir @default {@link defaultStateDir}
 */
export function readDcConnection(stateDir: string = defaultStateDir()): DcConnection {
  const file = join(stateDir, 'connection.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SambaDcError('SAMBA_DC.NOT_RUNNING', `no test DC in ${stateDir} (${file} is missing): run tools/samba-dc/samba-dc ensure`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SambaDcError('SAMBA_DC.BAD_CONNECTION_FILE', `${file} is not JSON (${(error as Error).message}): run tools/samba-dc/samba-dc destroy, then ensure`);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new SambaDcError('SAMBA_DC.BAD_CONNECTION_FILE', `${file} does not hold an object`);
  }
  const record = parsed as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new SambaDcError('SAMBA_DC.BAD_CONNECTION_FILE', `${file} has no "${field}": run tools/samba-dc/samba-dc destroy, then ensure`);
    }
  }
  // Fields added after the first version: older files fall back to where the script puts them.
  const optional = (field: string, fallback: string): string => (typeof record[field] === 'string' ? (record[field] as string) : fallback);
  return {
    ldapUrl: record['ldapUrl'] as string,
    ldapsUrl: record['ldapsUrl'] as string,
    bindDn: record['bindDn'] as string,
    bindUpn: record['bindUpn'] as string,
    password: record['password'] as string,
    baseDn: record['baseDn'] as string,
    realm: record['realm'] as string,
    domain: record['domain'] as string,
    caFile: record['caFile'] as string,
    stateDir: optional('stateDir', stateDir),
    krb5Config: optional('krb5Config', join(stateDir, 'etc', 'krb5.conf')),
  };
}
