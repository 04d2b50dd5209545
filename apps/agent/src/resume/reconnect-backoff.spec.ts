import { ReconnectBackoff } from './reconnect-backoff';

describe('ReconnectBackoff', () => {
  it.each([
    [0, 1000],
    [1, 2000],
    [3, 8000],
    [8, 256_000],
    [9, 300_000],
    [60, 300_000],
    [2000, 300_000],
  ])('attempt %i waits within [0, %i]', (attempt, ceiling) => {
    const highest = new ReconnectBackoff({ random: () => 0.999999999 });
    const lowest = new ReconnectBackoff({ random: () => 0 });
    for (let n = 0; n < attempt; n++) {
      highest.nextDelayMs();
      lowest.nextDelayMs();
    }
    expect(highest.ceilingMs).toBe(ceiling);
    expect(highest.nextDelayMs()).toBe(ceiling);
    expect(lowest.nextDelayMs()).toBe(0);
  });

  it('spreads waits over the whole range (full jitter, not a fixed step)', () => {
    const backoff = new ReconnectBackoff({ baseMs: 100, capMs: 100 });
    const delays = Array.from({ length: 2000 }, () => backoff.nextDelayMs());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(100);
    expect(delays.filter((d) => d < 25).length).toBeGreaterThan(200);
    expect(delays.filter((d) => d > 75).length).toBeGreaterThan(200);
  });

  it('starts from the base again after a welcome or a healthy drop', () => {
    const backoff = new ReconnectBackoff({ random: () => 0.999999999, afterDropMs: 5000 });
    for (let n = 0; n < 5; n++) backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.ceilingMs).toBe(1000);
    for (let n = 0; n < 5; n++) backoff.nextDelayMs();
    expect(backoff.afterHealthyDropMs()).toBe(5000);
    expect(backoff.ceilingMs).toBe(1000);
  });

  it('refuses a cap below the base', () => {
    expect(() => new ReconnectBackoff({ baseMs: 10, capMs: 5 })).toThrow(RangeError);
  });
});
