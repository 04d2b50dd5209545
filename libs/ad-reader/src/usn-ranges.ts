import { AdReaderError } from './ad-reader-error';

/** uSNChanged from `from` to `to` inclusive; no `to` means open-ended (the tail pass). */
export interface UsnRange {
  readonly from: number;
  readonly to?: number;
}

function assertUsn(value: number, what: string): void {
  // USNs are 64-bit on the DC but far below 2^53 in practice; anything else is a bug, and a
  // number that reaches a filter unvalidated could carry filter syntax.
  if (!Number.isSafeInteger(value) || value < 0) throw new AdReaderError('LDAP.INVALID_FILTER', `${what} is not a USN: ${String(value)}`);
}

/**
 * Splits `[1, highestUsn]` into at most `count` contiguous ranges that cover every USN exactly
 * once, in ascending order. The cut points are spread evenly over `[lowestUsn, highestUsn]`,
 * where the objects are (the search base's uSNCreated: nothing below a container can carry a
 * lower USN, as it was created or moved there later); the first range still starts at 1. A
 * highest USN of 0 (nothing written yet) gives no ranges: the tail pass alone covers the
 * directory.
 */
export function splitUsnRanges(highestUsn: number, count: number, lowestUsn = 1): UsnRange[] {
  assertUsn(highestUsn, 'highestCommittedUSN');
  assertUsn(lowestUsn, 'lowest USN');
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`range count must be a positive integer, got ${count}`);
  const low = Math.min(Math.max(lowestUsn, 1), highestUsn + 1);
  const span = highestUsn - low + 1;
  if (highestUsn === 0) return [];
  const n = Math.max(1, Math.min(count, span));
  const ranges: UsnRange[] = [];
  for (let i = 0; i < n; i++) {
    const from = i === 0 ? 1 : low + Math.floor((i * span) / n);
    const to = i === n - 1 ? highestUsn : low + Math.floor(((i + 1) * span) / n) - 1;
    ranges.push({ from, to });
  }
  return ranges;
}

/**
 * How a bounded range is written, so that the DC walks as little of its uSNChanged index as
 * it can. Samba answers `uSNChanged>=n` by walking its ordered index from n to the top and
 * `uSNChanged<=n` from the bottom to n; it cannot bound one walk on both sides, and a negated
 * comparison is not looked up in an index but checked on each object the other terms yield.
 * - `above`: `(uSNChanged>=from)(!(uSNChanged>=to+1))` loads every object from `from` to the
 *   DC's highest USN;
 * - `below`: `(uSNChanged<=to)(!(uSNChanged<=from-1))` loads every object from the bottom
 *   to `to`;
 * - `both`: `(uSNChanged>=from)(uSNChanged<=to)` walks the whole index (both walks, then their
 *   intersection) but loads only the objects of the range.
 * Measured on a Samba DC of 125,000 objects: a loaded object costs about 3.5 µs, an index key
 * walked without loading it about 0.6 µs (a sixth), so `both` costs about highestUsn / 6 plus
 * the range, and a range near either end of the USN space is cheapest one-sided. AD picks its
 * own index and answers every form alike; all three select the same objects.
 */
export type UsnIndexPlan = 'above' | 'below' | 'both';

const WALK_COST = 1 / 6;

/** The cheapest plan for `range` (USN spans stand in for object counts) on a DC whose highest USN is `highestUsn`. */
export function planUsnRange(range: Required<UsnRange>, highestUsn: number): UsnIndexPlan {
  const top = Math.max(highestUsn, range.to);
  const above = top - range.from + 1;
  const below = range.to;
  const both = top * WALK_COST + (range.to - range.from + 1);
  if (above <= below && above <= both) return 'above';
  return below <= both ? 'below' : 'both';
}

/**
 * ANDs a validated uSNChanged range onto an object filter, written the way {@link planUsnRange}
 * finds cheapest given the DC's highest USN (a delta's range ends there, so it is read from
 * above; a snapshot's lowest ranges from below). No `to` means open-ended (the tail pass).
 */
export function usnRangeFilter(objectFilter: string, range: UsnRange, highestUsn: number): string {
  assertUsn(range.from, 'range start');
  if (range.to === undefined) return `(&${objectFilter}(uSNChanged>=${range.from}))`;
  assertUsn(range.to, 'range end');
  assertUsn(highestUsn, 'highestCommittedUSN');
  switch (planUsnRange({ from: range.from, to: range.to }, highestUsn)) {
    case 'above':
      return `(&${objectFilter}(uSNChanged>=${range.from})(!(uSNChanged>=${range.to + 1})))`;
    case 'below':
      // Every object has a uSNChanged of at least 1: a range from 1 needs no lower bound.
      return range.from <= 1 ? `(&${objectFilter}(uSNChanged<=${range.to}))` : `(&${objectFilter}(uSNChanged<=${range.to})(!(uSNChanged<=${range.from - 1})))`;
    case 'both':
      return `(&${objectFilter}(uSNChanged>=${range.from})(uSNChanged<=${range.to}))`;
  }
}

/**
 * Where the objects of a read lay in the DC's USN space: `count` ascending quantiles of their
 * uSNChanged (the k-th is the USN below or at which k/count of them lie; the last is the
 * highest). A later full read of the same base on the same DC cuts its ranges there, so each
 * lane gets as many objects as the others. Empty input gives no quantiles.
 */
export function usnQuantiles(usns: ArrayLike<number>, count = 16): number[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`quantile count must be a positive integer, got ${count}`);
  const sorted = Float64Array.from(usns).sort();
  if (sorted.length === 0) return [];
  return Array.from({ length: count }, (_, k) => sorted[Math.max(0, Math.ceil(((k + 1) * sorted.length) / count) - 1)] as number);
}

/** Ranges to read, and the USNs left out because no object of the read can carry them. */
export interface RangePlan {
  readonly ranges: UsnRange[];
  readonly skipped?: Required<UsnRange>;
}

/** How {@link rangesFromQuantiles} cuts. */
export interface QuantileCuts {
  /** Ranges up to the highest USN the earlier read saw, each with about as many of its objects. */
  readonly ranges: number;
  /** Ranges of equal span above the skipped USNs (or above that highest one). */
  readonly rangesAbove: number;
  /**
   * The earlier read's highestCommittedUSN, when the caller has made sure that no object can
   * have entered the base since without a uSNChanged of its own above it (see
   * LdapDirectoryReader). `(top, skipUpTo]` then holds no object of the read: every object the
   * base held with a uSNChanged up to `skipUpTo` was read and lies at or below `top`, and one
   * written since carries a higher uSNChanged. Those USNs are left out (`skipped`).
   */
  readonly skipUpTo?: number;
}

/**
 * Ranges over `[1, highestUsn]` cut where an earlier read's {@link usnQuantiles} say its
 * objects are evenly shared among `cuts.ranges` ranges up to the highest USN that read saw
 * (`top`, its last quantile), then `cuts.rangesAbove` ranges above it, for the objects changed
 * since and the rest of the directory. Contiguous from 1 to `highestUsn` but for `skipped`, so
 * stale quantiles only cost balance. Undefined when there are no quantiles or one lies above
 * `highestUsn` (the DC was restored to before that read).
 */
export function rangesFromQuantiles(quantiles: readonly number[], highestUsn: number, cuts: QuantileCuts): RangePlan | undefined {
  assertUsn(highestUsn, 'highestCommittedUSN');
  for (const [name, value] of [['ranges', cuts.ranges], ['rangesAbove', cuts.rangesAbove]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  // A quantile above the DC's highest USN: the DC went back (restored) since that read, and
  // what the quantiles say no longer holds. The highest quantile is where the objects ended:
  // dropping any would leave objects in what is skipped.
  if (quantiles.length === 0 || quantiles.some((q) => !Number.isSafeInteger(q) || q < 1 || q > highestUsn)) return undefined;
  const sorted = [...quantiles].sort((a, b) => a - b);
  const top = sorted[sorted.length - 1] as number;
  const ranges: UsnRange[] = [];
  let from = 1;
  for (let j = 1; j <= cuts.ranges; j++) {
    const cut = j === cuts.ranges ? top : (sorted[Math.max(0, Math.round((j * sorted.length) / cuts.ranges) - 1)] as number);
    if (cut < from) continue;
    ranges.push({ from, to: cut });
    from = cut + 1;
  }
  let skipped: Required<UsnRange> | undefined;
  const skipUpTo = cuts.skipUpTo;
  if (skipUpTo !== undefined && Number.isSafeInteger(skipUpTo) && skipUpTo >= from && skipUpTo <= highestUsn) {
    skipped = { from, to: skipUpTo };
    from = skipUpTo + 1;
  }
  ranges.push(...splitSpan(from, highestUsn, cuts.rangesAbove));
  return skipped ? { ranges, skipped } : { ranges };
}

/** `[from, to]` in at most `count` contiguous ranges of about equal span (none when empty). */
function splitSpan(from: number, to: number, count: number): UsnRange[] {
  const span = to - from + 1;
  if (span <= 0) return [];
  const n = Math.min(count, span);
  return Array.from({ length: n }, (_, i) => ({ from: from + Math.floor((i * span) / n), to: from + Math.floor(((i + 1) * span) / n) - 1 }));
}
