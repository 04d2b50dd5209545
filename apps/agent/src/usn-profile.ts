import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the objects of the last committed full snapshot lay in the DC's USN space
 * (`usnQuantiles` of their uSNChanged) and below which parents, for the next full read of the
 * same base on the same DC to share the work evenly among its connections. Only a hint: a read
 * without it, or with a stale one, is as complete, just less evenly balanced.
 */
export interface UsnProfile {
  readonly invocationId: string;
  readonly baseDn: string;
  /** The highestCommittedUSN the snapshot started from. */
  readonly readUpToUsn: number;
  /** `usnQuantiles` of the objects it sent with a uSNChanged up to `readUpToUsn`. */
  readonly quantiles: readonly number[];
  /** How many those were. */
  readonly objectCount: number;
  /** How many objects it sent right below each parent (`parentKey`), for the parents that held the most. */
  readonly parentCounts?: Readonly<Record<string, number>>;
}

/** Parents a profile keeps counts of: the biggest, enough to order and slice a read, and a file of some 100 KB at most. */
export const PROFILE_PARENTS = 1000;

/** The `limit` parents with the most objects, as a profile keeps them. */
export function biggestParents(counts: ReadonlyMap<string, number>, limit = PROFILE_PARENTS): Record<string, number> {
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, limit));
}

/** Where the agent keeps its {@link UsnProfile} between snapshots and restarts. */
export interface UsnProfileStore {
  load(): UsnProfile | undefined;
  save(profile: UsnProfile): void;
}

/** The profile that applies to a read of `baseDn` from the DC with `invocationId`, if any. */
export function profileFor(store: UsnProfileStore | undefined, invocationId: string, baseDn: string): UsnProfile | undefined {
  const profile = store?.load();
  return profile && profile.invocationId === invocationId && profile.baseDn.toLowerCase() === baseDn.toLowerCase() ? profile : undefined;
}

function isProfile(value: unknown): value is UsnProfile {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p['invocationId'] === 'string' &&
    typeof p['baseDn'] === 'string' &&
    Number.isSafeInteger(p['readUpToUsn']) &&
    Number.isSafeInteger(p['objectCount']) &&
    (p['objectCount'] as number) >= 0 &&
    Array.isArray(p['quantiles']) &&
    p['quantiles'].every((q) => Number.isSafeInteger(q) && (q as number) >= 1 && (q as number) <= (p['readUpToUsn'] as number)) &&
    (p['parentCounts'] === undefined ||
      (typeof p['parentCounts'] === 'object' && p['parentCounts'] !== null && !Array.isArray(p['parentCounts']) && Object.values(p['parentCounts']).every((n) => Number.isSafeInteger(n) && (n as number) >= 0)))
  );
}

/**
 * A JSON file in the agent's state directory. A missing, unreadable or malformed file reads as
 * no profile, and a failed write is logged and dropped: neither may fail a snapshot.
 */
export class FileUsnProfileStore implements UsnProfileStore {
  constructor(
    private readonly file: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  load(): UsnProfile | undefined {
    try {
      const value: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return isProfile(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  save(profile: UsnProfile): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(profile), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch (err) {
      this.log(`could not keep the USN profile of this snapshot in ${this.file} (${err instanceof Error ? err.message : String(err)}); the next full read splits its ranges evenly`);
    }
  }
}
