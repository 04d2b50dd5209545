import { AdReaderError } from './ad-reader-error';
import { splitUsnRanges, usnRangeFilter } from './usn-ranges';

describe('splitUsnRanges', () => {
  it.each([
    [100, 4],
    [7, 3],
    [1, 1],
    [3, 8],
    [1_000_003, 16],
  ])('covers 1..%i with %i ranges exactly once, in order', (highest, count) => {
    const ranges = splitUsnRanges(highest, count);
    expect(ranges.length).toBe(Math.min(highest, count));
    let next = 1;
    for (const r of ranges) {
      expect(r.from).toBe(next);
      expect(r.to).toBeGreaterThanOrEqual(r.from);
      next = (r.to as number) + 1;
    }
    expect(next).toBe(highest + 1);
    const widths = ranges.map((r) => (r.to as number) - r.from + 1);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
  });

  it.each([
    [100_000, 8, 80_001],
    [100, 4, 100],
    [100, 4, 101],
    [100, 4, 500],
    [50, 8, 46],
  ])('highest %i, %i ranges, lowest %i: still covers 1..highest exactly once, cutting only where the objects are', (highest, count, lowest) => {
    const ranges = splitUsnRanges(highest, count, lowest);
    let next = 1;
    for (const r of ranges) {
      expect(r.from).toBe(next);
      expect(r.to).toBeGreaterThanOrEqual(r.from);
      next = (r.to as number) + 1;
    }
    expect(next).toBe(highest + 1);
    // Every cut lies in [lowest, highest]; the ranges above the first are of equal width ±1.
    for (const r of ranges.slice(1)) expect(r.from).toBeGreaterThanOrEqual(lowest);
    const widths = ranges.slice(1).map((r) => (r.to as number) - r.from + 1);
    if (widths.length > 1) expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
  });

  it('puts the cuts of an OU created late among its objects, not over the whole USN space', () => {
    expect(splitUsnRanges(100_000, 4, 80_001)).toEqual([
      { from: 1, to: 85_000 },
      { from: 85_001, to: 90_000 },
      { from: 90_001, to: 95_000 },
      { from: 95_001, to: 100_000 },
    ]);
  });

  it('gives no ranges for an empty directory', () => {
    expect(splitUsnRanges(0, 4)).toEqual([]);
  });

  it('refuses a USN that is not a non-negative integer', () => {
    expect(() => splitUsnRanges(-1, 2)).toThrow(AdReaderError);
    expect(() => splitUsnRanges(1.5, 2)).toThrow(AdReaderError);
    expect(() => splitUsnRanges(10, 0)).toThrow(RangeError);
    expect(() => splitUsnRanges(10, 2, -3)).toThrow(AdReaderError);
  });
});

describe('usnRangeFilter', () => {
  it('bounds both ends, or only the start for the tail', () => {
    expect(usnRangeFilter('(objectCategory=group)', { from: 5, to: 9 })).toBe('(&(objectCategory=group)(uSNChanged>=5)(uSNChanged<=9))');
    expect(usnRangeFilter('(objectCategory=group)', { from: 5, to: 9 }, { nearTop: true })).toBe('(&(objectCategory=group)(uSNChanged>=5)(!(uSNChanged>=10)))');
    expect(usnRangeFilter('(objectCategory=group)', { from: 10 })).toBe('(&(objectCategory=group)(uSNChanged>=10))');
  });

  it('refuses values that are not USNs', () => {
    try {
      usnRangeFilter('(cn=x)', { from: Number.NaN });
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as AdReaderError).code).toBe('LDAP.INVALID_FILTER');
    }
  });
});
