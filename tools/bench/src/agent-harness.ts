/**
 * What the snapshot and delta suites share: the real control plane and agent binaries, the
 * bench fixtures on the Samba DC, enrollment and the agent's config file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DIRECTORY_ATTRIBUTES } from '@syncready/directory';
import { ensureFixture, type DcConnection } from '@syncready/samba-dc';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const SERVER_BIN = join(ROOT, 'apps/control-plane/dist/main.js');
export const AGENT_BIN = join(ROOT, 'apps/agent/dist/main.js');

/** Directory sizes: objects split 70 % users, 10 % groups, 10 % contacts, 10 % computers. */
export const SIZES: Record<string, number> = { '2k': 2_000, '20k': 20_000, '100k': 100_000 };

export function fixtureFor(label: string, total: number) {
  const tenth = Math.round(total / 10);
  return { ou: `Bench-${label}`, users: total - 3 * tenth, groups: tenth, contacts: tenth, computers: tenth };
}

/**
 * The DC cache the fixtures are restored from and saved to (`--dc-cache`); undefined seeds
 * into the running DC without stopping it (save and restore stop the DC for a moment, which
 * other users of the DC would notice).
 */
let dcCache: string | undefined = 'bench';

export function useDcCache(name: string | undefined): void {
  dcCache = name;
}

/**
 * Makes sure OU=Bench-<label> is on the DC and returns its DN. Seeded once, then the whole DC
 * is cached ('bench') and restored on later runs; a fixture already on the DC is used as is.
 */
export async function benchFixture(dc: DcConnection, label: string, total: number): Promise<string> {
  const fixture = fixtureFor(label, total);
  const started = Date.now();
  const ensured = await ensureFixture({ ...fixture, ...(dcCache ? { cache: dcCache } : {}), seedTimeoutMs: 3_600_000 });
  if (ensured.created) process.stderr.write(`[${label}] seeded ${ensured.counts.total} objects in ${((Date.now() - started) / 1000).toFixed(0)} s${dcCache ? ' and cached the DC' : ''}\n`);
  return `OU=${fixture.ou},${dc.baseDn}`;
}

export interface Server {
  readonly url: string;
  readonly stop: () => Promise<void>;
  /**
   * When the control plane logged `event` (epoch ms, from its JSON log line's `time`) at or
   * after `since`; the first such line, or undefined.
   */
  readonly loggedAt: (event: string, since: number) => number | undefined;
  /** The fields of that first line, or undefined. */
  readonly logged: (event: string, since: number) => Record<string, unknown> | undefined;
}

export async function startServer(storeFile: string): Promise<Server> {
  const child = spawn(process.execPath, [SERVER_BIN, 'start', '--port', '0'], {
    env: { ...process.env, SYNCREADY_STORE_FILE: storeFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The control plane logs one JSON object a line ({"time": ISO, "event": …}) on stdout.
  const events: { event: string; at: number; fields: Record<string, unknown> }[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    const lines = (pending + d).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (typeof parsed['event'] === 'string' && typeof parsed['time'] === 'string') events.push({ event: parsed['event'], at: Date.parse(parsed['time']), fields: parsed });
      } catch {
        // not a log line
      }
    }
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`control plane exited with ${code}: ${err}`)));
  });
  return {
    url,
    loggedAt: (event, since) => events.find((e) => e.event === event && e.at >= since)?.at,
    logged: (event, since) => events.find((e) => e.event === event && e.at >= since)?.fields,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Enrolls a fresh agent state directory into site `bench` (not part of any timed run) and
 * returns an operator credential of the organization, for the API.
 */
export function enrollAgent(url: string, storeFile: string, stateDir: string): string {
  const env = { ...process.env, SYNCREADY_STORE_FILE: storeFile };
  execFileSync(process.execPath, [SERVER_BIN, 'org', 'create', 'bench'], { env, stdio: 'ignore' });
  const token = execFileSync(process.execPath, [SERVER_BIN, 'token', 'create', '--org', 'bench', '--site', 'bench'], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  execFileSync(process.execPath, [AGENT_BIN, 'enroll', '--server', url, '--token', token, '--state-dir', stateDir, '--allow-insecure', '--force'], { stdio: 'ignore' });
  const printed = execFileSync(process.execPath, [SERVER_BIN, 'credential', 'create', '--org', 'bench', '--role', 'operator', '--name', 'bench'], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const credential = /srk_\S+/.exec(printed)?.[0];
  if (!credential) throw new Error(`credential create printed no credential: ${printed}`);
  return credential;
}

/** Writes the agent's config file: same transport as the ldapsearch baseline (simple bind, loopback LDAP). */
export function writeAgentConfig(file: string, dc: DcConnection, stateDir: string, passwordFile: string, baseDn: string): void {
  writeFileSync(
    file,
    JSON.stringify({
      server: { allowInsecure: true },
      stateDir,
      ldap: { url: dc.ldapUrl, bindDn: dc.bindDn, passwordFile, startTls: false, allowPlainLdap: true, baseDn },
    }),
  );
}

export const OBJECT_FILTER = '(|(&(objectCategory=person)(objectClass=user))(&(objectCategory=person)(objectClass=contact))(objectCategory=group)(objectCategory=computer))';

export function ldapsearchArgs(dc: DcConnection, baseDn: string): string[] {
  return ['-LLL', '-x', '-E', 'pr=1000/noprompt', '-H', dc.ldapUrl, '-D', dc.bindDn, '-w', dc.password, '-b', baseDn, OBJECT_FILTER, 'objectGUID', 'uSNChanged', ...DIRECTORY_ATTRIBUTES.map((a) => a.name)];
}

/** `2 cores, 24 GiB, Node v20…` */
export function machineLine(cores: number, totalBytes: number): string {
  return `${cores} cores, ${Math.round(totalBytes / 2 ** 30)} GiB, Node ${process.version}`;
}
