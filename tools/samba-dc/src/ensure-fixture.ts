import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultStateDir, readDcConnection, type DcConnection } from './dc-connection';
import { fixtureCounts, fixtureMarker, fixtureOuDn, generateFixtureLdif, type FixtureCounts, type FixtureOptions } from './fixture-ldif';
import { ldapDeleteTree, ldapSearch } from './ldap-cli';
import { runSambaDc } from './run-samba-dc';
import { SambaDcError } from './samba-dc-error';

/** Options for {@link ensureFixture}: the fixture, and where and how to seed it. */
export interface EnsureFixtureOptions extends FixtureOptions {
  /** @default {@link defaultStateDir} */
  readonly stateDir?: string;
  /** Parallel ldapadd streams. @default the script's (`SAMBA_DC_SEED_JOBS`, else 1) */
  readonly jobs?: number;
  /** How long to wait while another process seeds the same fixture. @default 1800000 */
  readonly lockTimeoutMs?: number;
  /** Limit for one seed run. @default 1800000 (a 20,000-object fixture takes minutes) */
  readonly seedTimeoutMs?: number;
  /**
   * Opt-in cache for big benchmark directories: when the fixture is missing, restore the DC
   * saved as `samba-dc save <cache>` if that copy has it, else seed and save the DC under this
   * name. Restoring and saving stop and replace the whole DC, so use it only when nothing else
   * is using the DC (benchmarks, not tests). @default no cache
   */
  readonly cache?: string;
}

/** The fixture as it now is in the DC. */
export interface EnsuredFixture {
  readonly ouDn: string;
  readonly marker: string;
  readonly counts: FixtureCounts;
  /** True when it was seeded now; false when it was there already or came from the cache. */
  readonly created: boolean;
}

const MARKER_PREFIX = 'syncready-fixture/';
const LOCK_POLL_MS = 250;

async function fixtureDescription(connection: DcConnection, ouDn: string): Promise<string | null | undefined> {
  const [entry] = await ldapSearch(connection, { base: ouDn, scope: 'base', attributes: ['description'] });
  // undefined: no such OU; null: an OU without a description.
  return entry ? (entry.text('description') ?? null) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock directory per fixture, so jest workers (and demo, bench) that ask for the same fixture
 * at once seed it once. A lock whose owner process is gone is taken over.
 */
async function withLock<T>(dir: string, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  await mkdir(join(dir, '..'), { recursive: true });
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(join(dir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(join(dir, 'pid'), 'utf8').catch(() => ''));
      if (owner > 0 && !isAlive(owner)) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new SambaDcError('SAMBA_DC.FIXTURE_LOCKED', `${dir} is held by pid ${owner || '?'} for more than ${timeoutMs} ms; remove it if that process is gone`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    return await body();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Makes sure the running test DC holds this fixture: does nothing when OU=<ou> exists and
 * carries the completion marker for the same options; otherwise removes what is there (a
 * seeding that stopped halfway, or a fixture generated with other options) and seeds it with
 * `samba-dc seed`. Refuses to touch an OU that is not a fixture. Needs `samba-dc ensure` to
 * have run (tests call it in beforeAll; `npm test` runs it first).
 */
export async function ensureFixture(options: EnsureFixtureOptions): Promise<EnsuredFixture> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const connection = readDcConnection(stateDir);
  const ouDn = fixtureOuDn(options.ou);
  const marker = fixtureMarker(options);
  const result = (created: boolean): EnsuredFixture => ({ ouDn, marker, counts: fixtureCounts(options), created });

  if ((await fixtureDescription(connection, ouDn)) === marker) return result(false);
  const lockDir = join(stateDir, 'locks', `fixture-${options.ou.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}`);
  return withLock(lockDir, options.lockTimeoutMs ?? 1_800_000, async () => {
    let description = await fixtureDescription(connection, ouDn);
    if (description === marker) return result(false);
    if (options.cache !== undefined) {
      // A missing archive leaves the DC alone; one from another samba-dc version is refused
      // after the state dir was cleared, so make sure a DC is up either way.
      const restored = await runSambaDc(['restore', options.cache], { stateDir }).then(
        () => true,
        () => runSambaDc(['ensure'], { stateDir }).then(() => false),
      );
      if (restored) description = await fixtureDescription(connection, ouDn);
      if (description === marker) return result(false);
    }
    if (description !== undefined) {
      if (description === null || !description.startsWith(MARKER_PREFIX)) {
        throw new SambaDcError('SAMBA_DC.BAD_FIXTURE_OPTIONS', `${ouDn} exists and is not a syncready fixture; pick another OU name`);
      }
      await ldapDeleteTree(connection, ouDn);
    }
    const file = join(stateDir, 'tmp', `fixture-${process.pid}-${Date.now()}.ldif`);
    await mkdir(join(stateDir, 'tmp'), { recursive: true });
    await writeFile(file, generateFixtureLdif(options).ldif);
    try {
      const jobs = options.jobs === undefined ? [] : ['--jobs', String(options.jobs)];
      await runSambaDc(['seed', file, ...jobs], { stateDir, timeoutMs: options.seedTimeoutMs ?? 1_800_000 });
    } finally {
      await rm(file, { force: true });
    }
    if (options.cache !== undefined) await runSambaDc(['save', options.cache], { stateDir });
    return result(true);
  });
}
