import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type DeletedObjects } from './deleted-objects';

/** What an earlier full read of the same base on the same DC learnt, to read faster; never needed for a correct read. */
export interface ReadHints {
  /** {@link usnQuantiles} of the objects that read returned with a uSNChanged up to `readUpToUsn`. */
  readonly usnQuantiles?: readonly number[];
  /** The highestCommittedUSN that read started from. */
  readonly readUpToUsn?: number;
  /** How many objects it returned with a uSNChanged up to `readUpToUsn`. */
  readonly objectCount?: number;
  /**
   * How many objects it found right below each parent ({@link parentKey} of the objects' DNs),
   * for the parents that held the most: a read split by parent starts with the biggest and
   * reads each big one in slices.
   */
  readonly parentCounts?: Readonly<Record<string, number>>;
}

/**
 * The port the agent reads a directory through. The LDAP implementation talks to a DC; tests
 * of the session loop may use an in-memory one.
 */
export interface DirectoryReader {
  /** Forest and DC facts (rootDSE, partitions, schema version, UPN suffixes). */
  readForest(): Promise<ForestInfo>;
  /**
   * Every user, group, contact and computer under the configured base, one page at a time.
   * The next page is requested only when the consumer asks for it, so a consumer that stops
   * pulling (a full socket) pauses the search and memory stays bounded by one page.
   */
  readObjects(hints?: ReadHints): AsyncIterable<readonly DirectoryObject[]>;
  /**
   * Objects under the base with uSNChanged in `(afterUsn, upToUsn]` (added, modified, renamed
   * or moved in), and every object below an OU or container under the base created, renamed or
   * moved (in) in that range (the objects below keep their uSNChanged), one page at a time: a
   * delta's upserts. USNs are per DC, so both must come from this DC. Bounding the range by
   * the highestCommittedUSN read first sends a change made during the read once, with the next
   * delta, rather than twice.
   */
  readChangedSince(afterUsn: number, upToUsn: number, outside?: OutsideTheBase): AsyncIterable<readonly DirectoryObject[]>;
  /**
   * objectGUIDs of objects deleted with uSNChanged in `(afterUsn, upToUsn]` under
   * `namingContext` (tombstones, read with the show-deleted control), or `readable: false`
   * when the DC or the account refuses them.
   */
  readDeletedSince(afterUsn: number, upToUsn: number, namingContext: string): Promise<DeletedObjects>;
  /** The base DN objects are read from. */
  readonly baseDn: string;
  close(): Promise<void>;
}

/**
 * Where a delta also looks for objects that left the base. With it, readChangedSince searches
 * the whole naming context for changed objects (one search, as costly as one under the base:
 * the DC finds the candidates by uSNChanged either way) and reports the objectGUID of every
 * object of the kinds read that lies outside the base and either changed in the range itself
 * or lies below an OU or container outside the base that was moved or renamed in it: moved
 * out of the base, alone or with its container. It cannot tell them from objects that were
 * never under the base; the control plane removes only what it holds. They are reported once
 * the read is complete, after a check that the base is still where it was (a base that moved
 * would make all its objects look outside): a read that fails reports none.
 */
export interface OutsideTheBase {
  /** The naming context the base lies in (the domain's). */
  readonly namingContext: string;
  /** Called once or more per objectGUID found outside the base. */
  readonly found: (objectGuid: string) => void;
}
