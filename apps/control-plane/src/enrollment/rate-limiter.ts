/** Options of {@link FixedWindowRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per key and window. */
  readonly limit: number;
  /** @default 60000 */
  readonly windowMs?: number;
  /**
   * Keys tracked at once; beyond it the oldest window is forgotten, so memory stays bounded
   * whatever an attacker sends. @default 10000
   */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

/** Counts requests per key (a source address) in fixed windows. */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be a positive integer');
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one request; false when the key is over its limit in this window. */
  take(key: string): boolean {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.options.limit;
  }
}
