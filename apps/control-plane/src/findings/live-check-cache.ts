import { type LiveSiteCheck } from './live-site-check';

/**
 * The sites' live checks in memory, least recently used first out, bounded by the objects they
 * hold together (their memory grows with objects, not with sites). A check is taken out while
 * it is updated and put back after its findings are saved, so a failure midway leaves no
 * half-updated state behind: the site's next run is a full one.
 */
export class LiveCheckCache {
  /** Map order is recency: the first entry is the least recently used. */
  private readonly sites = new Map<string, { readonly check: LiveSiteCheck; readonly size: number }>();
  private held = 0;

  /** @param maxObjects objects all live checks may hold together; 0 keeps none. */
  constructor(readonly maxObjects: number) {
    if (!Number.isSafeInteger(maxObjects) || maxObjects < 0) throw new RangeError(`maxObjects must be a non-negative integer, got ${maxObjects}`);
  }

  /** Objects held by the checks in the cache. */
  get objects(): number {
    return this.held;
  }

  /** Whether a site of this many objects may be kept at all. */
  fits(objects: number): boolean {
    return objects <= this.maxObjects;
  }

  /** Removes the site's check and hands it over; undefined when none is held. */
  take(siteId: string): LiveSiteCheck | undefined {
    const entry = this.sites.get(siteId);
    if (!entry) return undefined;
    this.sites.delete(siteId);
    this.held -= entry.size;
    return entry.check;
  }

  /** Keeps the site's check as the most recently used, evicting the least recently used beyond the bound. */
  put(siteId: string, check: LiveSiteCheck): void {
    this.take(siteId);
    if (!this.fits(check.size)) return;
    this.sites.set(siteId, { check, size: check.size });
    this.held += check.size;
    for (const [oldest, entry] of this.sites) {
      if (this.held <= this.maxObjects) break;
      this.sites.delete(oldest);
      this.held -= entry.size;
    }
  }
}
