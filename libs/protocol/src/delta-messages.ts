import { type DirectoryObject } from '@syncready/directory';

/*
 * The "delta.v1" messages: changes read by uSNChanged on top of the site's current generation.
 * A delta is deltaBegin, deltaBatch (sequence 1, 2, …), deltaEnd; the control plane applies it
 * in one transaction at deltaEnd and answers deltaCommitted or deltaRejected.
 */

/** What the control plane has committed for a site: the point a delta continues from. */
export interface SyncCursor {
  /** invocationId of the DC the generation was read from. */
  readonly invocationId: string;
  /** Every change up to and including this uSNChanged on that DC is stored. */
  readonly highestUsn: number;
  /** The site's current generation. */
  readonly generation: number;
  /** Search base the generation was read from. */
  readonly baseDn: string;
}

/** Start of a delta on top of `baseGeneration`. */
export interface DeltaBeginMessage {
  readonly type: 'deltaBegin';
  readonly deltaId: string;
  readonly baseGeneration: number;
  readonly invocationId: string;
  /** First uSNChanged read: the cursor's highestUsn + 1. */
  readonly fromUsn: number;
  /** highestCommittedUSN read before the changes: the cursor after this delta. */
  readonly toUsn: number;
}

/** Changed objects (full current state) and deleted objectGUIDs. */
export interface DeltaBatchMessage {
  readonly type: 'deltaBatch';
  readonly deltaId: string;
  /** Starts at 1, +1 per batch of a delta. */
  readonly sequence: number;
  readonly upserts: readonly DirectoryObject[];
  readonly deletions: readonly string[];
}

/** End of a delta: the totals the control plane checks before it applies. */
export interface DeltaEndMessage {
  readonly type: 'deltaEnd';
  readonly deltaId: string;
  /** Sequence of the last batch (0 when nothing changed). */
  readonly sequence: number;
  readonly upsertCount: number;
  readonly deletionCount: number;
}

/** The delta is applied; the site's cursor is now `toUsn`. */
export interface DeltaCommittedMessage {
  readonly type: 'deltaCommitted';
  readonly deltaId: string;
  readonly generation: number;
  readonly toUsn: number;
}

/**
 * Why a delta was not applied. Whatever the reason, the agent answers with a full snapshot; a
 * reason added by a newer control plane arrives as `'unspecified'`.
 */
export type DeltaRejectReason = 'unspecified' | 'baseMismatch' | 'unknownCursor' | 'invalid';

/** All delta reject reasons, in wire order. */
export const DELTA_REJECT_REASONS: readonly DeltaRejectReason[] = ['unspecified', 'baseMismatch', 'unknownCursor', 'invalid'];

/** The delta was not applied; the agent sends a full snapshot instead. */
export interface DeltaRejectedMessage {
  readonly type: 'deltaRejected';
  readonly deltaId: string;
  readonly reason: DeltaRejectReason;
  /** Human-readable detail; may be empty. */
  readonly message: string;
}
