import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets an address fail up to the limit, then refuses it until its window ends', () => {
    const limiter = new AuthFailureLimiter({ maxFailures: 3, windowMs: 60_000, now: clock });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
      limiter.recordFailure('192.0.2.1');
    }
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(60);
    now += 45_500;
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(15);
    now += 14_500;
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
  });

  it('counts each address on its own', () => {
    const limiter = new AuthFailureLimiter({ maxFailures: 1, windowMs: 1000, now: clock });
    limiter.recordFailure('192.0.2.1');
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(1);
    expect(limiter.retryAfterSeconds('192.0.2.2')).toBe(0);
  });

  it('keeps at most maxAddresses windows', () => {
    const limiter = new AuthFailureLimiter({ maxFailures: 1, windowMs: 60_000, maxAddresses: 2, now: clock });
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('b')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('c')).toBeGreaterThan(0);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new AuthFailureLimiter({ maxFailures: 0 })).toThrow(RangeError);
  });
});
