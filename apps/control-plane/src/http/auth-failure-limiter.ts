/** Options of {@link AuthFailureLimiter}. */
export interface AuthFailureLimiterOptions {
  /** Failed authentications one address may make per window. @default 20 */
  maxFailures?: number;
  /** Window length in milliseconds; an address over the limit waits until its window ends. @default 60000 */
  windowMs?: number;
  /** Addresses tracked at most; beyond that the oldest windows are forgotten first. @default 10000 */
  maxAddresses?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * Counts failed authentications per source address in fixed windows. Once an address has
 * used up its failures, every request from it is refused until the window ends, valid
 * credential or not: otherwise a guesser could keep guessing at full speed. The table of
 * addresses is bounded, so a flood of spoofed-looking sources cannot exhaust memory.
 */
export class AuthFailureLimiter {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;
  // Insertion order = window start order, which is what eviction needs.
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(options: AuthFailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxFailures) || this.maxFailures < 1) throw new RangeError('maxFailures must be a positive integer');
    if (!Number.isInteger(this.windowMs) || this.windowMs < 1) throw new RangeError('windowMs must be a positive integer');
  }

  /** Seconds until `address` may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    if (window === undefined || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
  }

  /** Counts one failed authentication of `address`. */
  recordFailure(address: string): void {
    const window = this.current(address);
    if (window !== undefined) {
      window.failures++;
      return;
    }
    for (const [key, old] of this.windows) {
      if (this.windows.size < this.maxAddresses && old.start + this.windowMs > this.now()) break;
      this.windows.delete(key);
    }
    this.windows.set(address, { start: this.now(), failures: 1 });
  }

  private current(address: string): { start: number; failures: number } | undefined {
    const window = this.windows.get(address);
    if (window === undefined) return undefined;
    if (window.start + this.windowMs <= this.now()) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }
}
