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

/** A caller awaiting the outcome of the full run that takes its request. */
interface Waiter<T> {
  resolve(outcome: T | undefined): void;
  reject(err: unknown): void;
}

interface Queued<T> {
  work: FindingsWork;
  objects: number;
  waiters: Waiter<T>[];
}

/**
 * Runs the checks after a commit without holding up the agent's session: at most one run per
 * site at a time. What arrives while a run is under way waits for the next run: a full request
 * (a snapshot commit, no delta given) absorbs everything queued before it, and deltas queue in
 * commit order, so none is lost, until they pile up beyond `maxQueuedObjects` and become a
 * full run. An operator's recompute goes through the same queue, so its findings can never be
 * saved over those of a delta committed after it read the store.
 */
export class FindingsScheduler<T = void> {
  private readonly running = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, Queued<T>>();
  private readonly maxQueuedObjects: number;

  constructor(
    private readonly run: (siteId: string, work: FindingsWork) => Promise<T | undefined>,
    private readonly onError: (siteId: string, err: unknown) => void,
    options: FindingsSchedulerOptions = {},
  ) {
    this.maxQueuedObjects = options.maxQueuedObjects ?? 100_000;
  }

  /** Asks for the site's findings to be brought up to date after `change` (a delta), or recomputed; returns at once. */
  request(siteId: string, change?: SiteChange): void {
    this.enqueue(siteId, change);
    this.start(siteId);
  }

  /**
   * Asks for a full run of the site and settles with its outcome (undefined when the site has
   * nothing to check), or rejects with its error. The run starts after the one under way, if
   * any, so it reads everything committed before this call.
   */
  recompute(siteId: string): Promise<T | undefined> {
    const outcome = new Promise<T | undefined>((resolve, reject) => {
      this.enqueue(siteId, undefined, { resolve, reject });
    });
    this.start(siteId);
    return outcome;
  }

  /** Settles when every requested run has finished (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private start(siteId: string): void {
    if (this.running.has(siteId)) return;
    const task = (async () => {
      try {
        for (let next = this.take(siteId); next !== undefined; next = this.take(siteId)) {
          let outcome: T | undefined;
          try {
            outcome = await this.run(siteId, next.work);
          } catch (err) {
            for (const waiter of next.waiters) waiter.reject(err);
            this.report(siteId, err);
            continue;
          }
          for (const waiter of next.waiters) waiter.resolve(outcome);
        }
      } finally {
        // In the same synchronous step as the empty take(): a request that comes after this
        // starts a run of its own instead of finding this one about to end.
        this.running.delete(siteId);
      }
    })();
    this.running.set(siteId, task);
  }

  /** A reporter that throws must not stop the site's runs. */
  private report(siteId: string, err: unknown): void {
    try {
      this.onError(siteId, err);
    } catch {
      // nothing else to tell it to
    }
  }

  private enqueue(siteId: string, change: SiteChange | undefined, waiter?: Waiter<T>): void {
    const queued = this.pending.get(siteId);
    const waiters = [...(queued?.waiters ?? []), ...(waiter ? [waiter] : [])];
    if (change === undefined || queued?.work.kind === 'full') {
      this.pending.set(siteId, { work: FULL, objects: 0, waiters });
      return;
    }
    const objects = (queued?.objects ?? 0) + change.upserts.length + change.deletions.length;
    const changes = queued?.work.kind === 'deltas' ? [...queued.work.changes, change] : [change];
    this.pending.set(siteId, objects > this.maxQueuedObjects ? { work: FULL, objects: 0, waiters } : { work: { kind: 'deltas', changes }, objects, waiters });
  }

  private take(siteId: string): Queued<T> | undefined {
    const queued = this.pending.get(siteId);
    this.pending.delete(siteId);
    return queued;
  }
}
