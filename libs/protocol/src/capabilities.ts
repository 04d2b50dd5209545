/**
 * Named features a side implements, exchanged in hello/welcome. A capability is used only when
 * both sides list it, so features can ship on either side first. Names are `<feature>.v<n>`
 * and never change meaning; an incompatible change is a new name.
 */
export const Capability = {
  /** Full snapshots: snapshotBegin, objectBatch*, snapshotEnd, with acks and commit/reject. */
  SNAPSHOT_V1: 'snapshot.v1',
  /** Heartbeats both ways at welcome.heartbeatIntervalMs. */
  HEARTBEAT_V1: 'heartbeat.v1',
  /** Incremental changes by uSNChanged on top of the current generation: deltaBegin/Batch/End. */
  DELTA_V1: 'delta.v1',
  /** Resuming a snapshot from the last acknowledged sequence after a reconnect: the control plane answers every snapshotBegin with the ack it holds. */
  RESUME_V1: 'resume.v1',
  /**
   * The agent keeps its session open between cycles and runs one at once when the control
   * plane sends a syncRequest (an operator's "sync now" or "resync").
   */
  SYNC_REQUEST_V1: 'sync-request.v1',
} as const;

/** One of {@link Capability}'s values. */
export type Capability = (typeof Capability)[keyof typeof Capability];

/**
 * What this build implements and announces.
 * @default ['snapshot.v1', 'heartbeat.v1', 'delta.v1', 'resume.v1', 'sync-request.v1']
 */
export const SUPPORTED_CAPABILITIES: readonly Capability[] = [Capability.SNAPSHOT_V1, Capability.HEARTBEAT_V1, Capability.DELTA_V1, Capability.RESUME_V1, Capability.SYNC_REQUEST_V1];

/**
 * The capabilities both sides list, in the order of `ours`, without duplicates. Unknown names
 * from a newer peer are fine: they simply do not match.
 */
export function intersectCapabilities(ours: readonly string[], theirs: readonly string[]): string[] {
  const offered = new Set(theirs);
  return [...new Set(ours)].filter((name) => offered.has(name));
}
