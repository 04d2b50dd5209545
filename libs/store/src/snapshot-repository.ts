import type { DirectoryObject, ForestInfo } from '@syncready/directory';
import type { GenerationStatus } from './database-schema';

export type { GenerationStatus } from './database-schema';

/** One snapshot of one site, from its first object to its commit or discard. */
export interface Generation {
  id: number;
  siteId: string;
  /** The agent's snapshot id; unique per site. */
  snapshotId: string;
  status: GenerationStatus;
  baseDn: string;
  forest: ForestInfo;
  /** ISO-8601. */
  startedAt: string;
  /** When it was committed (ISO-8601); null unless it was ever complete. */
  completedAt: string | null;
  /** Objects it was committed with; null unless it was ever complete. */
  objectCount: number | null;
  /** ObjectSetDigest it was committed with; null unless it was ever complete. */
  digest: string | null;
  /** Why it was discarded (`count-mismatch`, `digest-mismatch`, or the caller's reason). */
  discardReason: string | null;
}

/** What {@link SnapshotRepository.beginGeneration} needs to know about a snapshot. */
export interface BeginGenerationInput {
  siteId: string;
  snapshotId: string;
  forest: ForestInfo;
  baseDn: string;
}

/** Counts and digest the agent computed while it read; compared at commit. */
export interface ExpectedContent {
  objectCount: number;
  /** ObjectSetDigest as 16 hex digits (case-insensitive). */
  digest: string;
}

/** Why a commit was refused; the generation is then discarded. */
export type CommitMismatch = 'count-mismatch' | 'digest-mismatch';

/** Outcome of {@link SnapshotRepository.commitGeneration}: a mismatch is a value, not a throw. */
export type CommitResult =
  | { ok: true; generation: number; objectCount: number }
  | { ok: false; reason: CommitMismatch; actualCount: number; actualDigest: string };

/**
 * Writes snapshots as generations. A generation is `receiving` while objects arrive, becomes
 * `complete` (the site's current generation) when its commit matches, and `superseded` when a
 * newer one of the same site completes; `discarded` when its commit did not match, or when it
 * was abandoned. Readers only ever see complete generations.
 */
export interface SnapshotRepository {
  /**
   * Opens a `receiving` generation. Calling it again with the same site and snapshot id while
   * that generation is still receiving returns the same id (an agent resuming after a drop);
   * once that generation is closed it throws STORE.GENERATION_CLOSED, and the agent must start
   * a new snapshot. STORE.NOT_FOUND when the site does not exist.
   */
  beginGeneration(input: BeginGenerationInput): Promise<{ generationId: number }>;
  /**
   * Adds objects in one transaction. Idempotent: an object already stored with the same or a
   * higher uSNChanged is left as it is, a higher uSNChanged replaces it. STORE.GENERATION_CLOSED
   * unless the generation is receiving; STORE.NOT_FOUND when it does not exist;
   * STORE.INVALID_ARGUMENT (nothing written) when an object breaks the model.
   */
  appendObjects(generationId: number, objects: readonly DirectoryObject[]): Promise<void>;
  /**
   * Counts the generation's objects and recomputes their ObjectSetDigest in one transaction.
   * On a match the generation becomes the site's current one: older generations of the site
   * that are complete or receiving become `superseded` and lose their objects. On a mismatch
   * it is discarded and the current generation stays. Committing a complete generation again
   * with the same expectations returns the same result; any other commit of a closed
   * generation throws STORE.GENERATION_CLOSED.
   */
  commitGeneration(generationId: number, expected: ExpectedContent): Promise<CommitResult>;
  /**
   * Marks a receiving generation `discarded` and deletes its objects. Idempotent: a discarded
   * or superseded generation is left alone. Throws STORE.GENERATION_CLOSED for a complete one
   * (it is what readers see), STORE.NOT_FOUND when it does not exist.
   */
  discardGeneration(generationId: number, reason: string): Promise<void>;
  /**
   * Discards every generation still receiving (of one site, or of all sites) and returns how
   * many. For start-up of a single server: with PostgreSQL shared by several replicas, call it
   * only with the `siteId` of an agent this replica now owns, or it would discard snapshots
   * other replicas are receiving.
   */
  discardIncompleteGenerations(siteId?: string): Promise<number>;
  /** The generation, or undefined when no generation has this id. */
  getGeneration(generationId: number): Promise<Generation | undefined>;
}

/** Discard reason recorded by {@link SnapshotRepository.discardIncompleteGenerations}. */
export const ABANDONED_REASON = 'abandoned-incomplete';
