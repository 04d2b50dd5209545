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
 * Splits `[1, highestUsn]` into at most `count` contiguous ranges of near-equal width that
 * cover every USN exactly once, in ascending order. A highest USN of 0 (nothing written yet)
 * gives no ranges: the tail pass alone covers the directory.
 */
export function splitUsnRanges(highestUsn: number, count: number): UsnRange[] {
  assertUsn(highestUsn, 'highestCommittedUSN');
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`range count must be a positive integer, got ${count}`);
  const n = Math.min(count, highestUsn);
  const ranges: UsnRange[] = [];
  for (let i = 0; i < n; i++) {
    const from = 1 + Math.floor((i * highestUsn) / n);
    const to = Math.floor(((i + 1) * highestUsn) / n);
    ranges.push({ from, to });
  }
  return ranges;
}

/** ANDs a validated uSNChanged range onto an object filter. */
export function usnRangeFilter(objectFilter: string, range: UsnRange): string {
  assertUsn(range.from, 'range start');
  if (range.to === undefined) return `(&${objectFilter}(uSNChanged>=${range.from}))`;
  assertUsn(range.to, 'range end');
  return `(&${objectFilter}(uSNChanged>=${range.from})(uSNChanged<=${range.to}))`;
}
