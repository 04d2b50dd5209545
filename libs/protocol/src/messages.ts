import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import {
  type DeltaBatchMessage,
  type DeltaBeginMessage,
  type DeltaCommittedMessage,
  type DeltaEndMessage,
  type DeltaRejectedMessage,
  type SyncCursor,
} from './delta-messages';

/*
 * The messages the rest of the code base uses. They are plain data (no generated classes, no
 * Long), discriminated by `type`, and every 64-bit value is a JavaScript number that is a safe
 * integer (at most 2^53 - 1): the codec refuses to encode or decode anything else.
 */

/** First frame of a connection, agent → control plane. */
export interface HelloMessage {
  readonly type: 'hello';
  /** The version the agent prefers (its newest). */
  readonly protocolVersion: number;
  /** Oldest version the agent speaks. @default protocolVersion */
  readonly minVersion?: number;
  /** Newest version the agent speaks. @default protocolVersion */
  readonly maxVersion?: number;
  /** Agent build version (semver). */
  readonly agentVersion: string;
  /** Capabilities the agent implements (see {@link Capability}); unknown ones are kept. */
  readonly capabilities: readonly string[];
  /**
   * Legacy pre-shared site key, now sent empty: agents authenticate during the WebSocket upgrade
   * (see `agentAuthMessage`). Kept for wire compatibility; never log it.
   */
  readonly siteKey: string;
  readonly hostName: string;
}

/** Start of a full snapshot. Batches follow with sequence 1, 2, … */
export interface SnapshotBeginMessage {
  readonly type: 'snapshotBegin';
  readonly snapshotId: string;
  readonly forest: ForestInfo;
  /** Search base the objects are read from. */
  readonly baseDn: string;
}

/** One batch of objects; `sequence` starts at 1 and grows by 1 per batch of a snapshot. */
export interface ObjectBatchMessage {
  readonly type: 'objectBatch';
  readonly snapshotId: string;
  readonly sequence: number;
  readonly objects: readonly DirectoryObject[];
}

/** End of a snapshot: the totals the control plane checks before it commits. */
export interface SnapshotEndMessage {
  readonly type: 'snapshotEnd';
  readonly snapshotId: string;
  /** Sequence of the last batch (0 when the snapshot holds no objects). */
  readonly sequence: number;
  readonly objectCount: number;
  /** `ObjectSetDigest.toString()` over every object sent: 16 lower-case hex digits. */
  readonly digest: string;
}

/** Liveness, sent by both sides when idle. */
export interface HeartbeatMessage {
  readonly type: 'heartbeat';
  /** Sender's wall clock in ms since the Unix epoch. */
  readonly sentAtMs: number;
}

/** Everything the agent sends. */
export type AgentMessage =
  | HelloMessage
  | SnapshotBeginMessage
  | ObjectBatchMessage
  | SnapshotEndMessage
  | HeartbeatMessage
  | DeltaBeginMessage
  | DeltaBatchMessage
  | DeltaEndMessage;

/** Answer to hello, control plane → agent. */
export interface WelcomeMessage {
  readonly type: 'welcome';
  /** The negotiated version both sides speak from now on. */
  readonly protocolVersion: number;
  readonly serverVersion: string;
  /** Capabilities both sides implement. */
  readonly capabilities: readonly string[];
  readonly siteId: string;
  readonly sessionId: string;
  /** Largest frame (length prefix included) the control plane accepts. */
  readonly maxFrameBytes: number;
  /** Idle interval after which each side sends a heartbeat. */
  readonly heartbeatIntervalMs: number;
  /** The site's committed sync cursor ("delta.v1"); absent before the first commit. */
  readonly cursor?: SyncCursor;
}

/** Cumulative: every batch of `snapshotId` up to and including `sequence` is stored. */
export interface AckMessage {
  readonly type: 'ack';
  readonly snapshotId: string;
  readonly sequence: number;
}

/** The snapshot matched its count and digest and became the site's current generation. */
export interface SnapshotCommittedMessage {
  readonly type: 'snapshotCommitted';
  readonly snapshotId: string;
  readonly generation: number;
  readonly objectCount: number;
}

/**
 * Why a snapshot was discarded. A reason added by a newer control plane arrives as
 * `'unspecified'` at an older agent (its `message` still explains).
 */
export type RejectReason =
  | 'unspecified'
  | 'countMismatch'
  | 'digestMismatch'
  | 'sequenceGap'
  | 'unknownSnapshot'
  | 'snapshotExpired';

/** All reject reasons, in wire order. */
export const REJECT_REASONS: readonly RejectReason[] = [
  'unspecified',
  'countMismatch',
  'digestMismatch',
  'sequenceGap',
  'unknownSnapshot',
  'snapshotExpired',
];

/** The snapshot was discarded; the agent starts a new one. */
export interface SnapshotRejectedMessage {
  readonly type: 'snapshotRejected';
  readonly snapshotId: string;
  readonly reason: RejectReason;
  /** Human-readable detail; may be empty. */
  readonly message: string;
}

/** An error report, usually followed by a close. */
export interface ErrorMessage {
  readonly type: 'error';
  /** Stable code, e.g. `PROTOCOL.UNEXPECTED_MESSAGE`. */
  readonly code: string;
  readonly message: string;
}

/**
 * Run a sync cycle now (sync-request.v1): a full snapshot when `fullSnapshot`, else a delta
 * when the agent's cursor allows one. Sent on behalf of an operator; the cycle is the answer.
 */
export interface SyncRequestMessage {
  readonly type: 'syncRequest';
  readonly fullSnapshot: boolean;
  /** Who asked and why, for the agent's log; may be empty. */
  readonly reason: string;
}

/** Everything the control plane sends. */
export type ServerMessage =
  | WelcomeMessage
  | AckMessage
  | SnapshotCommittedMessage
  | SnapshotRejectedMessage
  | ErrorMessage
  | HeartbeatMessage
  | DeltaCommittedMessage
  | DeltaRejectedMessage
  | SyncRequestMessage;
