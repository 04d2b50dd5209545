/** Options of {@link ReconnectBackoff}. */
export interface ReconnectBackoffOptions {
  /** Ceiling of the first wait; doubles per failed attempt. @default 1000 */
  readonly baseMs?: number;
  /** Longest wait, however many attempts failed. @default 300000 (5 minutes) */
  readonly capMs?: number;
  /** Longest extra wait after a healthy session dropped, spreading a fleet's reconnects. @default 30000 */
  readonly afterDropMs?: number;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Exponential backoff with full jitter (AWS "Exponential Backoff and Jitter"): attempt n waits a
 * uniform time in [0, min(cap, base·2^n)]. Full jitter, not ±10 %, so agents that lost the
 * control plane in the same second do not come back in the same second either.
 */
export class ReconnectBackoff {
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly afterDropMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: ReconnectBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.capMs = options.capMs ?? 300_000;
    this.afterDropMs = options.afterDropMs ?? 30_000;
    this.random = options.random ?? Math.random;
    if (!(this.baseMs > 0) || !(this.capMs >= this.baseMs) || !(this.afterDropMs >= 0)) {
      throw new RangeError(`backoff needs 0 < baseMs <= capMs and afterDropMs >= 0 (got ${this.baseMs}, ${this.capMs}, ${this.afterDropMs})`);
    }
  }

  /** Upper bound of the next wait: min(cap, base·2^attempt). */
  get ceilingMs(): number {
    // 2^attempt overflows to Infinity long after it passed the cap; min() keeps it finite.
    return Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
  }

  /** The wait before the next connection attempt; each call counts one more failure. */
  nextDelayMs(): number {
    const delay = Math.floor(this.random() * (this.ceilingMs + 1));
    this.attempt += 1;
    return delay;
  }

  /** The random wait after a session that had been welcomed dropped; also resets the attempts. */
  afterHealthyDropMs(): number {
    this.attempt = 0;
    return Math.floor(this.random() * (this.afterDropMs + 1));
  }

  /** A connection was welcomed: the next failure starts from the base again. */
  reset(): void {
    this.attempt = 0;
  }
}
