import { type ForestInfo } from '@syncready/directory';
import { Capability, type SyncCursor, type WelcomeMessage } from '@syncready/protocol';
import { sendDelta, type DeltaOutcome } from './delta-run';
import { sendSnapshot, type SnapshotOptions, type SnapshotOutcome } from './snapshot-run';

/** Inputs of {@link runSyncCycle}. */
export interface SyncCycleOptions extends SnapshotOptions {
  /** Send a full snapshot even when a delta would do (the periodic reconcile, a resync). @default false */
  readonly fullSnapshot?: boolean;
  /** Why the full snapshot was asked for, for the log. @default 'periodic reconcile' */
  readonly fullSnapshotReason?: string;
}

/**
 * A welcomed session and what the control plane holds: the welcome's cursor at first, then
 * the one each committed cycle leaves behind (the session stays open between cycles).
 */
export interface SessionState {
  readonly welcome: WelcomeMessage;
  readonly cursor: SyncCursor | undefined;
}

/** What one cycle did. */
export type CycleOutcome =
  | { readonly kind: 'delta'; readonly delta: DeltaOutcome }
  | { readonly kind: 'snapshot'; readonly reason: string; readonly snapshot: SnapshotOutcome };

/** Whether a cycle can continue from the control plane's cursor, and why not. */
export type CyclePlan = { readonly mode: 'delta'; readonly cursor: SyncCursor } | { readonly mode: 'full'; readonly reason: string };

/**
 * Decides between a delta and a full snapshot. A delta needs the control plane to speak
 * delta.v1 and hold a committed cursor read from this very DC (same invocationId: uSNChanged
 * is per DC and restarts its meaning after a restore) over the same search base, at a USN
 * this DC has reached.
 */
export function planCycle(session: SessionState, forest: ForestInfo, baseDn: string, fullSnapshot: false | string = false): CyclePlan {
  if (fullSnapshot !== false) return { mode: 'full', reason: fullSnapshot };
  if (!session.welcome.capabilities.includes(Capability.DELTA_V1)) return { mode: 'full', reason: 'the control plane does not take deltas' };
  const cursor = session.cursor;
  if (!cursor) return { mode: 'full', reason: 'the control plane holds no committed snapshot' };
  if (cursor.invocationId !== forest.invocationId) {
    return { mode: 'full', reason: `the DC's invocationId is ${forest.invocationId}, the control plane's copy was read from ${cursor.invocationId} (another DC, or a restore)` };
  }
  if (cursor.baseDn.toLowerCase() !== baseDn.toLowerCase()) return { mode: 'full', reason: `the search base changed from ${cursor.baseDn} to ${baseDn}` };
  if (forest.highestCommittedUsn < cursor.highestUsn) {
    return { mode: 'full', reason: `the DC's highestCommittedUSN ${forest.highestCommittedUsn} lies below the cursor ${cursor.highestUsn}` };
  }
  return { mode: 'delta', cursor };
}

/**
 * One sync cycle on a welcomed session: a delta from the committed cursor when
 * {@link planCycle} allows it, else (or when the control plane refuses the delta) a full
 * snapshot. The forest is read once, before any object, so its USN is the new watermark.
 */
export async function runSyncCycle(options: SyncCycleOptions, session: SessionState): Promise<CycleOutcome> {
  const { welcome } = session;
  const forest = await options.reader.readForest();
  const plan = planCycle(session, forest, options.reader.baseDn, options.fullSnapshot ? (options.fullSnapshotReason ?? 'periodic reconcile') : false);
  let reason = plan.mode === 'full' ? plan.reason : '';
  if (plan.mode === 'delta') {
    const delta = await sendDelta(options, welcome, plan.cursor, forest);
    if (!('refused' in delta)) return { kind: 'delta', delta };
    reason = `the control plane refused the delta (${delta.refused}): ${delta.message}`;
  }
  options.log?.(`sending a full snapshot: ${reason}`);
  return { kind: 'snapshot', reason, snapshot: await sendSnapshot(options, welcome, forest) };
}
