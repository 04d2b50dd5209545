import { randomBytes } from 'node:crypto';
import { AGENT_NONCE_TTL_MS } from '@syncready/protocol';

/** Options of {@link NonceStore}. */
export interface NonceStoreOptions {
  /** @default AGENT_NONCE_TTL_MS (60 s) */
  readonly ttlMs?: number;
  /** Outstanding nonces at most; issuing beyond it fails until some expire. @default 10000 */
  readonly maxOutstanding?: number;
  readonly now?: () => number;
}

/**
 * Challenge nonces for agent authentication: 32 random bytes, each accepted once and only
 * within its lifetime, so a captured upgrade request cannot be replayed. In memory: a nonce
 * is redeemed on the replica that issued it (the agent asks and connects back to back).
 */
export class NonceStore {
  private readonly issued = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxOutstanding: number;
  private readonly now: () => number;

  constructor(options: NonceStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? AGENT_NONCE_TTL_MS;
    this.maxOutstanding = options.maxOutstanding ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** A fresh nonce (base64url); undefined when too many are outstanding. */
  issue(): string | undefined {
    this.sweep();
    if (this.issued.size >= this.maxOutstanding) return undefined;
    const nonce = randomBytes(32).toString('base64url');
    this.issued.set(nonce, this.now() + this.ttlMs);
    return nonce;
  }

  /** True once for a nonce issued here and not expired; it is gone afterwards either way. */
  redeem(nonce: string): boolean {
    const expires = this.issued.get(nonce);
    if (expires === undefined) return false;
    this.issued.delete(nonce);
    return this.now() < expires;
  }

  /** Nonces currently outstanding. */
  get size(): number {
    return this.issued.size;
  }

  private sweep(): void {
    const now = this.now();
    // Insertion order is expiry order (one ttl for all), so stop at the first live one.
    for (const [nonce, expires] of this.issued) {
      if (expires > now) break;
      this.issued.delete(nonce);
    }
  }
}
