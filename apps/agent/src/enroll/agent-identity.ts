import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../exit-codes';

/** What enrollment left on this host, besides the private key. */
export interface AgentIdentity {
  readonly agentId: string;
  readonly siteId: string;
  readonly siteName: string;
  readonly organizationId: string;
  /** The control plane the agent enrolled with (https:// or http://). */
  readonly serverUrl: string;
  /** SHA-256 pin of the server's SubjectPublicKeyInfo, when enrolled with --ca-pin. */
  readonly caPin?: string;
  /** ISO-8601. */
  readonly enrolledAt: string;
}

/** File names inside the state directory. */
export const IDENTITY_FILE = 'identity.json';
/** PKCS#8 PEM, mode 0600. */
export const PRIVATE_KEY_FILE = 'agent-key.pem';
/** One random id per installation, kept across re-enrollments. */
export const INSTALL_ID_FILE = 'install-id';

/** Where the agent keeps its identity unless told otherwise. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['SYNCREADY_STATE_DIR']) return env['SYNCREADY_STATE_DIR'];
  return platform === 'win32' ? join(env['ProgramData'] ?? 'C:\\ProgramData', 'syncready-agent') : '/var/lib/syncready-agent';
}

/** Creates the state directory, readable by the service account only (mode 0700). */
export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The persisted install id, created on first use. */
export function ensureInstallId(dir: string): string {
  const file = join(dir, INSTALL_ID_FILE);
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  }
  const id = randomUUID();
  writeAtomically(file, `${id}\n`, 0o644);
  return id;
}

/** The install id, or undefined when this host never enrolled. */
export function readInstallId(dir: string): string | undefined {
  const file = join(dir, INSTALL_ID_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The identity written by a previous enrollment, or undefined. */
export function readIdentity(dir: string): AgentIdentity | undefined {
  const file = join(dir, IDENTITY_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<AgentIdentity>;
    if (typeof parsed.agentId !== 'string' || typeof parsed.serverUrl !== 'string') throw new Error('agentId or serverUrl missing');
    return parsed as AgentIdentity;
  } catch (err) {
    throw new UsageError(`identity file ${file} is unreadable (${(err as Error).message}): run syncready-agent enroll --force`);
  }
}

/** The private key PEM; a UsageError when missing or readable by others (POSIX). */
export function readPrivateKey(dir: string): string {
  const file = join(dir, PRIVATE_KEY_FILE);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the agent key ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): run syncready-agent enroll`);
  }
}

/** Writes the key (0600) and the identity. The key goes first: an identity never lacks its key. */
export function writeIdentity(dir: string, identity: AgentIdentity, privateKeyPem: string): void {
  writeAtomically(join(dir, PRIVATE_KEY_FILE), privateKeyPem, 0o600);
  writeAtomically(join(dir, IDENTITY_FILE), `${JSON.stringify(identity, null, 2)}\n`, 0o644);
}

function writeAtomically(file: string, content: string, mode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  // writeFileSync's mode is filtered by the umask; make it exact.
  chmodSync(temp, mode);
  renameSync(temp, file);
}
