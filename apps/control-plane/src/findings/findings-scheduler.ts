import { type SiteChange } from './site-change';

/** One run's work: the whole generation, or the deltas committed since the last run, oldest first. */
export type FindingsWork = { readonly kind: 'full' } | { readonly kind: 'deltas'; readonly changes: readonly SiteChange[] };

/** Options of a {@link FindingsScheduler}. */
export interface FindingsSchedulerOptions {
  /**
   * Objects (upserts plus deletions) of queued deltas a site may gather while its run is under
   * way; beyond that they turn into one full run, which costs the same whatever piled up.
   * @default 100000
   */
  readonly maxQueuedObjects?: number;
}

const FULL: FindingsWork = { kind: 'full' };

/**
 * Runs the checks after a commit without holding up the agent's session: at most one run per
 * site at a time. What arrives while a run is under way waits for the next run: a full request
 * (a snapshot commit, no delta given) absorbs everything queued before it, and deltas queue in
 * commit order, so none is lost, until they pile up beyond `maxQueuedObjects` and become a
 * full run.
 */
export class FindingsScheduler {
  private readonly running = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, { work: FindingsWork; objects: number }>();
  private readonly maxQueuedObjects: number;

  constructor(
    private readonly run: (siteId: string, work: FindingsWork) => Promise<void>,
    private readonly onError: (siteId: string, err: unknown) => void,
    options: FindingsSchedulerOptions = {},
  ) {
    this.maxQueuedObjects = options.maxQueuedObjects ?? 100_000;
  }

  /** Asks for the site's findings to be brought up to date after `change` (a delta), or recomputed; returns at once. */
  request(siteId: string, change?: SiteChange): void {
    this.enqueue(siteId, change);
    if (this.running.has(siteId)) return;
    const task = (async () => {
      for (let next = this.take(siteId); next !== undefined; next = this.take(siteId)) {
        await this.run(siteId, next).catch((err: unknown) => this.onError(siteId, err));
      }
      // In the same synchronous step as the empty take(): a request that comes after this
      // starts a run of its own instead of finding this one about to end.
      this.running.delete(siteId);
    })();
    this.running.set(siteId, task);
  }

  /** Settles when every requested run has finished (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private enqueue(siteId: string, change: SiteChange | undefined): void {
    const queued = this.pending.get(siteId);
    if (change === undefined || queued?.work.kind === 'full') {
      this.pending.set(siteId, { work: FULL, objects: 0 });
      return;
    }
    const objects = (queued?.objects ?? 0) + change.upserts.length + change.deletions.length;
    const changes = queued?.work.kind === 'deltas' ? [...queued.work.changes, change] : [change];
    this.pending.set(siteId, objects > this.maxQueuedObjects ? { work: FULL, objects: 0 } : { work: { kind: 'deltas', changes }, objects });
  }

  private take(siteId: string): FindingsWork | undefined {
    const queued = this.pending.get(siteId);
    this.pending.delete(siteId);
    return queued?.work;
  }
}
