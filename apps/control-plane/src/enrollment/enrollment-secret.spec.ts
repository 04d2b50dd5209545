import { hashSecret, mintEnrollmentToken, parseEnrollmentToken, secretMatches } from './enrollment-secret';
import { parseDuration } from './duration';
import { FixedWindowRateLimiter } from './rate-limiter';

describe('enrollment tokens', () => {
  it('mints set_<id>_<secret> and stores only the hash of the secret', () => {
    const minted = mintEnrollmentToken();
    const parsed = parseEnrollmentToken(minted.token);
    expect(parsed?.id).toBe(minted.id);
    expect(minted.secretHash).toBe(hashSecret(parsed?.secret ?? ''));
    expect(minted.token).not.toContain(minted.secretHash);
    expect(secretMatches(parsed?.secret ?? '', minted.secretHash)).toBe(true);
    expect(secretMatches(`${parsed?.secret.slice(0, -1)}x`, minted.secretHash)).toBe(false);
  });

  it.each(['', 'set_', `set_etk_${'0'.repeat(24)}`, `set_etk_${'0'.repeat(23)}_${'A'.repeat(43)}`, `srk_etk_${'0'.repeat(24)}_${'A'.repeat(43)}`, `set_etk_${'0'.repeat(24)}_${'A'.repeat(42)}`])('refuses the malformed %j', (text) => {
    expect(parseEnrollmentToken(text)).toBeUndefined();
  });

  it.each<[string, number | undefined]>([
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['7d', 604_800_000],
    ['8d', undefined],
    ['0s', undefined],
    ['1 h', undefined],
    ['forever', undefined],
  ])('reads the lifetime %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('rate-limits per key within a window and forgets old keys', () => {
    let now = 0;
    const limiter = new FixedWindowRateLimiter({ limit: 2, windowMs: 1000, maxKeys: 2, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now = 1000;
    expect(limiter.take('a')).toBe(true);
  });
});
