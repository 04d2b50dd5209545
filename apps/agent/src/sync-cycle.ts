import { type ForestInfo } from '@syncready/directory';
import { Capability, type SyncCursor, type WelcomeMessage } from '@syncready/protocol';
import { sendDelta, type DeltaOutcome } from './delta-run';
import { sayHello, type HelloOptions } from './session-hello';
import { sendSnapshot, type SnapshotOptions, type SnapshotOutcome } from './snapshot-run';

/** Inputs of {@link runSyncCycle}. */
export interface SyncCycleOptions extends SnapshotOptions, HelloOptions {
  /** Send a full snapshot even when a delta would do (the periodic reconcile). @default false */
  readonly fullSnapshot?: boolean;
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
export function planCycle(welcome: WelcomeMessage, forest: ForestInfo, baseDn: string, fullSnapshot = false): CyclePlan {
  if (fullSnapshot) return { mode: 'full', reason: 'periodic reconcile' };
  if (!welcome.capabilities.includes(Capability.DELTA_V1)) return { mode: 'full', reason: 'the control plane does not take deltas' };
  const cursor = welcome.cursor;
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
 * One sync cycle on a fresh session: hello, then a delta from the committed cursor when
 * {@link planCycle} allows it, else (or when the control plane refuses the delta) a full
 * snapshot. The forest is read once, before any object, so its USN is the new watermark.
 */
export async function runSyncCycle(options: SyncCycleOptions): Promise<CycleOutcome> {
  const welcome = await sayHello(options.connection, options);
  const forest = await options.reader.readForest();
  const plan = planCycle(welcome, forest, options.reader.baseDn, options.fullSnapshot);
  let reason = plan.mode === 'full' ? plan.reason : '';
  if (plan.mode === 'delta') {
    const delta = await sendDelta(options, welcome, plan.cursor, forest);
    if (!('refused' in delta)) return { kind: 'delta', delta };
    reason = `the control plane refused the delta (${delta.refused}): ${delta.message}`;
  }
  options.log?.(`sending a full snapshot: ${reason}`);
  return { kind: 'snapshot', reason, snapshot: await sendSnapshot(options, welcome, forest) };
}
