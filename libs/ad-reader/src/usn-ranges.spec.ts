import { AdReaderError } from './ad-reader-error';
import { planUsnRange, rangesFromQuantiles, splitUsnRanges, usnQuantiles, usnRangeFilter, type RangePlan, type UsnRange } from './usn-ranges';

/** `ranges` cover 1..highest in order, each USN once. */
function expectCover(ranges: readonly UsnRange[], highest: number): void {
  let next = 1;
  for (const r of ranges) {
    expect(r.from).toBe(next);
    expect(r.to).toBeGreaterThanOrEqual(r.from);
    next = (r.to as number) + 1;
  }
  expect(next).toBe(highest + 1);
}

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
    expectCover(ranges, highest);
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
    expectCover(ranges, highest);
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
  it('reads a range at the top from above, one at the bottom from below, one in the middle of a large DC with both bounds', () => {
    // highest 1,000,000: both bounds cost about 166,667 walked keys plus the range.
    expect(usnRangeFilter('(objectCategory=group)', { from: 999_001, to: 999_900 }, 1_000_000)).toBe('(&(objectCategory=group)(uSNChanged>=999001)(!(uSNChanged>=999901)))');
    expect(usnRangeFilter('(objectCategory=group)', { from: 5_001, to: 9_000 }, 1_000_000)).toBe('(&(objectCategory=group)(uSNChanged<=9000)(!(uSNChanged<=5000)))');
    expect(usnRangeFilter('(objectCategory=group)', { from: 1, to: 9_000 }, 1_000_000)).toBe('(&(objectCategory=group)(uSNChanged<=9000))');
    expect(usnRangeFilter('(objectCategory=group)', { from: 400_001, to: 500_000 }, 1_000_000)).toBe('(&(objectCategory=group)(uSNChanged>=400001)(uSNChanged<=500000))');
    expect(usnRangeFilter('(objectCategory=group)', { from: 10 }, 1_000_000)).toBe('(&(objectCategory=group)(uSNChanged>=10))');
  });

  it('reads a delta, whose range ends at the highest USN, from above', () => {
    expect(planUsnRange({ from: 2, to: 1_000 }, 1_000)).toBe('above');
    expect(planUsnRange({ from: 990_001, to: 1_000_000 }, 1_000_000)).toBe('above');
  });

  it('plans every range so that it selects the same USNs', () => {
    // Each written form, evaluated the way an LDAP server would, selects exactly [from, to].
    const selects = (filter: string, usn: number): boolean => {
      const terms = [...filter.matchAll(/(\(!)?\(uSNChanged(>=|<=)(\d+)\)/g)].map(([, not, op, n]) => ({ not: not !== undefined, op, n: Number(n) }));
      return terms.every(({ not, op, n }) => (op === '>=' ? usn >= n : usn <= n) !== not);
    };
    for (const highest of [50, 1_000, 77_777]) {
      for (let i = 0; i < 200; i++) {
        const a = 1 + Math.floor(Math.random() * highest);
        const b = a + Math.floor(Math.random() * (highest - a + 1));
        const filter = usnRangeFilter('(cn=x)', { from: a, to: b }, highest);
        for (const usn of [1, a - 1, a, b, b + 1, highest, highest + 1]) if (usn >= 1) expect(selects(filter, usn)).toBe(usn >= a && usn <= b);
      }
    }
  });

  it('refuses values that are not USNs', () => {
    for (const call of [() => usnRangeFilter('(cn=x)', { from: Number.NaN }, 10), () => usnRangeFilter('(cn=x)', { from: 1, to: 5 }, -1)]) {
      try {
        call();
        throw new Error('expected a refusal');
      } catch (err) {
        expect((err as AdReaderError).code).toBe('LDAP.INVALID_FILTER');
      }
    }
  });
});

describe('usnQuantiles', () => {
  it('gives the USN at or below which each k/count of the objects lie, the last the highest', () => {
    const usns = Array.from({ length: 100 }, (_, i) => 1_000 + i * 10).reverse();
    expect(usnQuantiles(usns, 4)).toEqual([1_240, 1_490, 1_740, 1_990]);
    expect(usnQuantiles([7], 3)).toEqual([7, 7, 7]);
    expect(usnQuantiles([], 4)).toEqual([]);
    expect(() => usnQuantiles([1], 0)).toThrow(RangeError);
  });
});

describe('rangesFromQuantiles', () => {
  /** The plan's ranges and skipped USNs cover 1..highest in order, each once. */
  const expectPlanCovers = (plan: RangePlan, highest: number): void => expectCover([...plan.ranges, ...(plan.skipped ? [plan.skipped] : [])].sort((x, y) => x.from - y.from), highest);

  it('cuts ranges with equal shares of the objects where they were, then shares what lies above', () => {
    const quantiles = usnQuantiles(Array.from({ length: 16_000 }, (_, i) => 8_001 + i));
    expect((rangesFromQuantiles(quantiles, 30_000, { ranges: 4, rangesAbove: 1 }) as RangePlan).ranges).toEqual([
      { from: 1, to: 12_000 },
      { from: 12_001, to: 16_000 },
      { from: 16_001, to: 20_000 },
      { from: 20_001, to: 24_000 },
      { from: 24_001, to: 30_000 },
    ]);
  });

  it('cuts one range per lane for two lanes, then shares what lies above among the lanes', () => {
    const quantiles = usnQuantiles(Array.from({ length: 2_000 }, (_, i) => 8_001 + i));
    const plan = rangesFromQuantiles(quantiles, 130_000, { ranges: 2, rangesAbove: 2 }) as RangePlan;
    expect(plan.ranges).toEqual([
      { from: 1, to: 9_000 },
      { from: 9_001, to: 10_000 },
      { from: 10_001, to: 70_000 },
      { from: 70_001, to: 130_000 },
    ]);
    expect(plan.skipped).toBeUndefined();
    expectPlanCovers(plan, 130_000);
  });

  it('leaves out what lay above the objects up to the earlier read\'s USN only when told it may', () => {
    const quantiles = usnQuantiles(Array.from({ length: 2_000 }, (_, i) => 8_001 + i));
    const plan = rangesFromQuantiles(quantiles, 130_000, { ranges: 2, rangesAbove: 2, skipUpTo: 120_000 }) as RangePlan;
    expect(plan.skipped).toEqual({ from: 10_001, to: 120_000 });
    expect(plan.ranges).toEqual([
      { from: 1, to: 9_000 },
      { from: 9_001, to: 10_000 },
      { from: 120_001, to: 125_000 },
      { from: 125_001, to: 130_000 },
    ]);
    expectPlanCovers(plan, 130_000);
    // Nothing has been written since that read: nothing above to read either.
    const still = rangesFromQuantiles(quantiles, 120_000, { ranges: 2, rangesAbove: 2, skipUpTo: 120_000 }) as RangePlan;
    expect(still.ranges).toEqual([
      { from: 1, to: 9_000 },
      { from: 9_001, to: 10_000 },
    ]);
    expectPlanCovers(still, 120_000);
  });

  it('covers 1..highest whatever the quantiles, lanes and skip say', () => {
    for (let i = 0; i < 300; i++) {
      const highest = 1 + Math.floor(Math.random() * 5_000);
      const quantiles = Array.from({ length: Math.floor(Math.random() * 20) }, () => (Math.random() < 0.05 ? Math.floor(Math.random() * 6_000) - 10 : 1 + Math.floor(Math.random() * highest)));
      const lanes = 1 + Math.floor(Math.random() * 4);
      const skipUpTo = Math.random() < 0.5 ? Math.floor(Math.random() * 6_000) : undefined;
      const plan = rangesFromQuantiles(quantiles, highest, { ranges: lanes * (1 + Math.floor(Math.random() * 4)), rangesAbove: lanes, ...(skipUpTo === undefined ? {} : { skipUpTo }) });
      if (plan === undefined) {
        expect(quantiles.length === 0 || quantiles.some((q) => q < 1 || q > highest)).toBe(true);
        continue;
      }
      expectPlanCovers(plan, highest);
      // A skip lies wholly above every quantile (where the objects were) and ends where told.
      if (plan.skipped) {
        expect(plan.skipped.from).toBe(Math.max(...quantiles) + 1);
        expect(plan.skipped.to).toBe(skipUpTo);
      }
    }
  });

  it('reads up to the highest quantile when it is the DC\'s highest USN, leaving nothing out below it', () => {
    // The last object written is one of the base's: its USN is both the top and the DC's highest.
    const plan = rangesFromQuantiles([100, 200, 300, 400], 400, { ranges: 2, rangesAbove: 2, skipUpTo: 400 }) as RangePlan;
    expect(plan.ranges).toEqual([
      { from: 1, to: 200 },
      { from: 201, to: 400 },
    ]);
    expect(plan.skipped).toBeUndefined();
  });

  it('gives no plan without quantiles, or when one lies above the highest USN (the DC went back)', () => {
    expect(rangesFromQuantiles([300, 401], 400, { ranges: 2, rangesAbove: 2 })).toBeUndefined();
    expect(rangesFromQuantiles([], 400, { ranges: 2, rangesAbove: 2 })).toBeUndefined();
    expect(() => rangesFromQuantiles([300], 400, { ranges: 0, rangesAbove: 2 })).toThrow(RangeError);
  });
});
