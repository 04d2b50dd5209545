/** Options of {@link HeartbeatMonitor}. */
export interface HeartbeatMonitorOptions {
  /** How often this side sends a heartbeat (welcome.heartbeatIntervalMs). */
  readonly intervalMs: number;
  /** Silence after which the peer counts as dead. @default 2 × intervalMs + 1000 */
  readonly timeoutMs?: number;
  /** Sends one heartbeat to the peer. */
  readonly beat: () => void;
  /** The peer said nothing for `timeoutMs`: terminate the connection (do not wait for a close handshake). */
  readonly dead: (silentMs: number) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Heartbeats one way and dead-peer detection the other, as the `ws` README recipe: every
 * interval this side beats, and a peer silent for two intervals plus a second is taken for dead
 * (a NAT or load balancer that dropped the flow without a reset never closes the socket).
 * Any frame from the peer counts as a sign of life, so a busy stream needs no extra beats to
 * stay up.
 */
export class HeartbeatMonitor {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private lastHeard: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: HeartbeatMonitorOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError(`intervalMs must be positive (got ${options.intervalMs})`);
    this.timeoutMs = options.timeoutMs ?? 2 * options.intervalMs + 1000;
    this.now = options.now ?? Date.now;
    this.lastHeard = this.now();
  }

  /** Starts beating and watching; idempotent. */
  start(): void {
    if (this.timer) return;
    this.lastHeard = this.now();
    // Check four times per interval so beats and the dead-peer verdict are at most a quarter late.
    const tick = Math.max(1, Math.floor(Math.min(this.options.intervalMs, this.timeoutMs) / 4));
    let lastBeat = this.now();
    this.timer = setInterval(() => {
      const now = this.now();
      const silent = now - this.lastHeard;
      if (silent > this.timeoutMs) {
        this.stop();
        this.options.dead(silent);
        return;
      }
      if (now - lastBeat >= this.options.intervalMs) {
        lastBeat = now;
        this.options.beat();
      }
    }, tick);
    this.timer.unref();
  }

  /** A frame arrived from the peer. */
  heard(): void {
    this.lastHeard = this.now();
  }

  /** Stops beating and watching (the connection closed). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
