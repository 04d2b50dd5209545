import { NonceStore } from './nonce-store';

describe('NonceStore', () => {
  it('accepts a nonce once', () => {
    const nonces = new NonceStore();
    const nonce = nonces.issue() ?? '';
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(nonces.redeem(nonce)).toBe(true);
    expect(nonces.redeem(nonce)).toBe(false);
  });

  it('refuses a nonce it never issued', () => {
    expect(new NonceStore().redeem('A'.repeat(43))).toBe(false);
  });

  it('refuses an expired nonce, and forgets expired ones', () => {
    let now = 1_000;
    const nonces = new NonceStore({ ttlMs: 100, now: () => now });
    const nonce = nonces.issue() ?? '';
    now += 100;
    expect(nonces.redeem(nonce)).toBe(false);
    nonces.issue();
    now += 200;
    nonces.issue();
    expect(nonces.size).toBe(1);
  });

  it('stops issuing when too many are outstanding, until some expire', () => {
    let now = 0;
    const nonces = new NonceStore({ ttlMs: 50, maxOutstanding: 2, now: () => now });
    expect(nonces.issue()).toBeDefined();
    expect(nonces.issue()).toBeDefined();
    expect(nonces.issue()).toBeUndefined();
    now = 60;
    expect(nonces.issue()).toBeDefined();
  });
});
