/**
 * Runs the checks after a commit without holding up the agent's session: requests are queued
 * per site, at most one run per site at a time, and requests that arrive while a run is under
 * way collapse into one more run over the then-current generation.
 */
export class FindingsScheduler {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly run: (siteId: string) => Promise<void>,
    private readonly onError: (siteId: string, err: unknown) => void,
  ) {}

  /** Asks for the site's findings to be recomputed; returns at once. */
  request(siteId: string): void {
    if (this.running.has(siteId)) {
      this.again.add(siteId);
      return;
    }
    const task = (async () => {
      do {
        this.again.delete(siteId);
        await this.run(siteId).catch((err: unknown) => this.onError(siteId, err));
      } while (this.again.has(siteId));
    })().finally(() => this.running.delete(siteId));
    this.running.set(siteId, task);
  }

  /** Settles when every requested run has finished (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}
