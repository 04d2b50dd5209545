/** A snapshot being received: its generation and the sequence the next batch must carry. */
export interface OpenSnapshot {
  readonly snapshotId: string;
  readonly generationId: number;
  /** Sequence number the next ObjectBatch or SnapshotEnd must carry. */
  nextSequence: number;
}

interface Parked {
  readonly snapshot: OpenSnapshot;
  readonly timer: NodeJS.Timeout;
}

/** Options of {@link SnapshotParking}. */
export interface SnapshotParkingOptions {
  /** How long a partial snapshot waits for its agent to come back. @default 300000 (5 minutes, as a k8s continue token) */
  readonly resumeWindowMs?: number;
  /** Discards a partial snapshot nobody resumed in time (or that a newer snapshot replaced). */
  readonly discard: (snapshot: OpenSnapshot, reason: string) => Promise<void>;
}

/**
 * Partial snapshots of agents that lost their connection, one per site, kept receiving for
 * `resumeWindowMs` so the agent can resume from the last acknowledged sequence instead of
 * reading its whole directory again. After the window the generation is discarded and a
 * resume is answered with snapshotRejected `snapshotExpired` (the k8s 410 Gone).
 */
export class SnapshotParking {
  private readonly resumeWindowMs: number;
  private readonly parked = new Map<string, Parked>();
  /** The session still holding each open snapshot (by snapshotId): a resume waits for it to wind down. */
  private readonly holders = new Map<string, Promise<void>>();

  constructor(private readonly options: SnapshotParkingOptions) {
    this.resumeWindowMs = options.resumeWindowMs ?? 300_000;
    if (!(this.resumeWindowMs >= 0)) throw new RangeError(`resumeWindowMs must not be negative (got ${this.resumeWindowMs})`);
  }

  /** A session opened `snapshotId`; `closed` settles once that session has parked or discarded it. */
  hold(snapshotId: string, closed: Promise<void>): void {
    this.holders.set(snapshotId, closed);
  }

  /** The session that settles `closed` is gone, after parking or discarding its snapshot. */
  release(closed: Promise<void>): void {
    for (const [snapshotId, holder] of this.holders) if (holder === closed) this.holders.delete(snapshotId);
  }

  /** Keeps `snapshot` of `siteId` for the resume window; a snapshot parked before is discarded. */
  async park(siteId: string, snapshot: OpenSnapshot): Promise<void> {
    await this.discardParked(siteId, 'a newer partial snapshot of the site was parked');
    const timer = setTimeout(() => {
      if (this.parked.get(siteId)?.snapshot !== snapshot) return;
      this.parked.delete(siteId);
      void this.options.discard(snapshot, `not resumed within ${this.resumeWindowMs} ms`).catch(() => undefined);
    }, this.resumeWindowMs);
    timer.unref();
    this.parked.set(siteId, { snapshot, timer });
  }

  /**
   * The parked snapshot `snapshotId` of `siteId`, removed from the parking, after the session
   * that held it (a half-open predecessor, `except` aside) has wound down. Any other parked
   * snapshot of the site is discarded: the agent moved on.
   */
  async take(siteId: string, snapshotId: string, except?: Promise<void>): Promise<OpenSnapshot | undefined> {
    // Only the same snapshot is waited for: another agent of the site never blocks this one.
    const holder = this.holders.get(snapshotId);
    if (holder && holder !== except) await holder;
    const entry = this.parked.get(siteId);
    if (entry && entry.snapshot.snapshotId === snapshotId) {
      clearTimeout(entry.timer);
      this.parked.delete(siteId);
      return entry.snapshot;
    }
    await this.discardParked(siteId, 'the agent began another snapshot');
    return undefined;
  }

  /** Stops the timers (server shutdown); the store discards what stays receiving at the next start. */
  dispose(): void {
    for (const entry of this.parked.values()) clearTimeout(entry.timer);
    this.parked.clear();
  }

  private async discardParked(siteId: string, reason: string): Promise<void> {
    const entry = this.parked.get(siteId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.parked.delete(siteId);
    await this.options.discard(entry.snapshot, reason);
  }
}
