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

  it('gives no ranges for an empty directory', () => {
    expect(splitUsnRanges(0, 4)).toEqual([]);
  });

  it('refuses a USN that is not a non-negative integer', () => {
    expect(() => splitUsnRanges(-1, 2)).toThrow(AdReaderError);
    expect(() => splitUsnRanges(1.5, 2)).toThrow(AdReaderError);
    expect(() => splitUsnRanges(10, 0)).toThrow(RangeError);
  });
});

describe('usnRangeFilter', () => {
  it('bounds both ends, or only the start for the tail', () => {
    expect(usnRangeFilter('(objectCategory=group)', { from: 5, to: 9 })).toBe('(&(objectCategory=group)(uSNChanged>=5)(uSNChanged<=9))');
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
