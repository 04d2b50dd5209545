import { type CycleOutcome } from './sync-cycle';
import { UsageError } from './exit-codes';

/**
 * Cycles between full snapshots when tombstones cannot be read: deletions then reach the
 * control plane only with a full snapshot, so they come at least this often.
 */
export const TOMBSTONE_FALLBACK_CYCLES = 12;

/** Inputs of {@link runSyncLoop}. */
export interface SyncLoopOptions {
  /** Runs one cycle on a fresh session; `fullSnapshot` asks for the periodic reconcile. */
  readonly cycle: (fullSnapshot: boolean) => Promise<CycleOutcome>;
  /** Pause between the end of one cycle and the start of the next. */
  readonly intervalMs: number;
  /** A full snapshot every this many cycles, catching anything deltas cannot see. */
  readonly reconcileEveryCycles: number;
  /** Result lines (stdout). */
  readonly out: (line: string) => void;
  /** Diagnostics (stderr). */
  readonly log: (line: string) => void;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops after this many cycles (tests). @default forever */
  readonly maxCycles?: number;
}

/**
 * `syncready-agent run`: a delta every interval, a full snapshot when the control plane holds
 * no usable cursor and every `reconcileEveryCycles` cycles. A failed cycle is logged and
 * retried at the next interval; a usage error ends the loop.
 */
export async function runSyncLoop(options: SyncLoopOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let reconcileEvery = options.reconcileEveryCycles;
  for (let cycle = 0; options.maxCycles === undefined || cycle < options.maxCycles; cycle++) {
    const started = Date.now();
    try {
      const outcome = await options.cycle(cycle > 0 && cycle % reconcileEvery === 0);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (outcome.kind === 'delta') {
        const d = outcome.delta;
        options.out(
          `delta ${d.deltaId} committed on generation ${d.generation} of site ${d.siteId}: ${d.upserts} upserts, ${d.deletions} deletions ` +
            `(uSNChanged ${d.fromUsn}..${d.toUsn}), ${d.frames} frames, ${seconds} s`,
        );
        if (!d.deletionsReadable) reconcileEvery = Math.min(reconcileEvery, TOMBSTONE_FALLBACK_CYCLES);
      } else {
        const s = outcome.snapshot;
        options.out(`snapshot ${s.snapshotId} committed as generation ${s.generation} of site ${s.siteId}: ${s.objectCount} objects, ${s.frames} frames, ${seconds} s`);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      options.log(`sync cycle failed, retrying in ${(options.intervalMs / 60_000).toFixed(2)} min: ${(err as Error).message}`);
    }
    await sleep(options.intervalMs);
  }
}
