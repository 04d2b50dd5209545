import type { DirectoryObject } from '@syncready/directory';

/** What a site's current generation holds: the point a delta continues from. */
export interface SyncCursor {
  /** invocationId of the DC the generation was read from. */
  invocationId: string;
  /** Every change up to and including this uSNChanged on that DC is stored. */
  highestUsn: number;
  /** The site's current generation. */
  generation: number;
  /** Search base the generation was read from. */
  baseDn: string;
}

/** A delta read by uSNChanged, to apply on top of `baseGeneration`. */
export interface DeltaInput {
  /** The agent's delta id (logs, lastDelta). */
  deltaId: string;
  /** The generation the agent read the cursor of; must still be current. */
  baseGeneration: number;
  /** invocationId of the DC the changes come from; must equal the cursor's. */
  invocationId: string;
  /** First uSNChanged read; at most the cursor's highestUsn + 1, or changes would be missed. */
  fromUsn: number;
  /** The DC's highestCommittedUSN read before the changes: the cursor afterwards. */
  toUsn: number;
  /** Objects added, modified, renamed or moved, in their full current state. */
  upserts: readonly DirectoryObject[];
  /** objectGUIDs of deleted objects. */
  deletions: readonly string[];
}

/** What the latest delta of a generation did. */
export interface DeltaRecord {
  deltaId: string;
  fromUsn: number;
  toUsn: number;
  /** Objects the agent sent. */
  upserts: number;
  /** Deletions the agent sent. */
  deletions: number;
  /** Objects written (new, or a higher uSNChanged than stored); re-sent ones are not. */
  applied: number;
  /** Objects removed. */
  removed: number;
  /** ISO-8601. */
  appliedAt: string;
}

/** Why a delta was refused; nothing was written and the agent sends a full snapshot. */
export type DeltaRefusal = 'base-mismatch' | 'unknown-cursor';

/** Outcome of {@link SyncRepository.applyDelta}: a refusal is a value, not a throw. */
export type DeltaResult =
  | { ok: true; generation: number; record: DeltaRecord }
  | { ok: false; reason: DeltaRefusal; message: string };

/**
 * Deltas on top of a site's current generation, keyed by objectGUID and uSNChanged.
 */
export interface SyncRepository {
  /** The cursor of the site's current generation, or undefined before the first commit. */
  getCursor(siteId: string): Promise<SyncCursor | undefined>;
  /**
   * Applies a delta to the current generation in one transaction: an upsert replaces a stored
   * object only when its uSNChanged is higher (so re-applying a delta, or a stale one, changes
   * nothing), deletions remove by objectGUID, and the cursor moves to `toUsn` (never back).
   * Refused with `base-mismatch` when `baseGeneration` is not current, `unknown-cursor` when
   * the site has no cursor, the invocationId differs, or `fromUsn` leaves a gap after it.
   * STORE.INVALID_ARGUMENT (nothing written) when an object breaks the model.
   */
  applyDelta(siteId: string, delta: DeltaInput): Promise<DeltaResult>;
  /** The latest delta applied to the site's current generation, or undefined. */
  lastDelta(siteId: string): Promise<DeltaRecord | undefined>;
}
