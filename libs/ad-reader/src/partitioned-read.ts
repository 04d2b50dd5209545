import { type DirectoryObject } from '@syncready/directory';
import { splitUsnRanges, type RangePlan, type UsnRange } from './usn-ranges';

/**
 * The port the partitioned read searches through: one paged search of a uSNChanged range (or
 * of one parent's children) over one of the reader's connections (`lane`). The LDAP implementation runs a paged search on
 * connection `lane`; unit tests use an in-memory directory. A page is requested only when the
 * iterator is advanced, so one lane has at most one page in flight.
 */
export interface UsnRangeSource {
  search(lane: number, range: UsnRange): AsyncIterable<readonly DirectoryObject[]>;
  /**
   * The objects right below `parentDn` (a one-level search), for reads split by parent; with
   * `slice`, only those of that share of the objectGUIDs (see {@link GuidSlice}).
   */
  searchChildren?(lane: number, parentDn: string, slice?: GuidSlice): AsyncIterable<readonly DirectoryObject[]>;
}

/**
 * Share `index` of `count` of the objectGUIDs: the slices of one parent together hold each of
 * its children at least once, whatever the GUIDs, and exactly once where GUIDs are ordered.
 */
export interface GuidSlice {
  readonly index: number;
  readonly count: number;
}

/** How a partitioned read is spread over connections. */
export interface PartitionedReadOptions {
  /** Connections searched at once (lanes 0..lanes-1). */
  readonly lanes: number;
  /** highestCommittedUSN read from rootDSE before the first search. */
  readonly highestUsn: number;
  /** No object of the read lies below this USN (the search base's uSNCreated): ranges are cut above it. @default 1 */
  readonly lowestUsn?: number;
  /**
   * Ranges per lane in the work queue. More, smaller ranges let a lane that drew sparse ranges
   * take work from the rest instead of idling (USNs of the objects read are rarely spread
   * evenly), at the cost of one search request per range.
   * @default 4
   */
  readonly rangesPerLane?: number;
  /**
   * The ranges to read instead of the even split, from {@link rangesFromQuantiles}: with
   * `skipped`, they must cover `[1, highestUsn]` in order, each USN once (checked).
   */
  readonly plan?: RangePlan;
  /**
   * Split by parent instead of by USN: each of these DNs searched one level deep (with
   * `searchChildren`). They must include the parent of every object to read, which the caller
   * vouches for (see LdapDirectoryReader: the schema's possible superiors under the base).
   */
  readonly parents?: readonly string[];
  /**
   * Searches per parent, each of one {@link GuidSlice}: a number for every parent, or a
   * function deciding per parent. Each slice's search visits all of the parent's children, so
   * more slices cost the DC more. @default `lanes` while there are fewer parents than
   * `lanes * 8` (one big OU then keeps every lane busy instead of one), else 1
   */
  readonly slicesPerParent?: number | ((parent: string) => number);
  /**
   * Decoded pages the consumer has not pulled yet above which readers wait: the consumer's
   * pace sets the readers' pace, and memory stays bounded by this plus one page per lane.
   * @default lanes
   */
  readonly maxQueuedPages?: number;
}

/** One search of a partitioned read: a uSNChanged range of the subtree, or one parent's children. */
type ReadPart = { readonly range: UsnRange } | { readonly parent: string; readonly slice?: GuidSlice };

/** Below this many parents per lane, each parent's children are read in GUID slices. */
const SLICE_BELOW_PARENTS_PER_LANE = 8;

/**
 * Reads every object once per part: `[1, highestUsn]` split into ranges (or the children of
 * each of `parents`) handed out from a work queue to `lanes` concurrent readers, then a tail
 * pass `uSNChanged >= highestUsn + 1` after all parts, for objects created, modified or moved
 * while the parts were read (a modified object moves above highestUsn and may have left a
 * range, or a parent, before it was read). An object
 * modified during the read can therefore be yielded twice, the later copy with the higher
 * uSNChanged; consumers keep the highest per objectGUID (see LatestVersionDigest).
 * Pages arrive in completion order, not USN order. The first search error ends the read and
 * stops the other lanes.
 */
export async function* readPartitioned(source: UsnRangeSource, options: PartitionedReadOptions): AsyncGenerator<readonly DirectoryObject[]> {
  const lanes = options.lanes;
  if (!Number.isSafeInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be a positive integer, got ${lanes}`);
  const work: ReadPart[] = options.parents ? parentParts(source, options.parents, slicesFor(options.slicesPerParent, options.parents.length, lanes)) : (options.plan ? checkedCover(options.plan, options.highestUsn) : splitUsnRanges(options.highestUsn, lanes * (options.rangesPerLane ?? 4), options.lowestUsn ?? 1)).map((range) => ({ range }));
  const maxQueued = options.maxQueuedPages ?? lanes;
  const queue: (readonly DirectoryObject[])[] = [];
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeReaders: (() => void)[] = [];

  const notifyConsumer = (): void => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };
  const notifyReaders = (): void => {
    const waiting = wakeReaders;
    wakeReaders = [];
    for (const wake of waiting) wake();
  };
  const readPart = async (lane: number, part: ReadPart): Promise<void> => {
    const pages = 'range' in part ? source.search(lane, part.range) : childrenOf(source, lane, part.parent, part.slice);
    for await (const page of pages) {
      if (stopped) return;
      if (page.length > 0) {
        queue.push(page);
        notifyConsumer();
      }
      // Backpressure: do not ask the DC for the next page while the consumer is behind.
      while (queue.length >= maxQueued && !stopped) await new Promise<void>((wake) => wakeReaders.push(wake));
      if (stopped) return;
    }
  };
  const runLane = async (lane: number): Promise<void> => {
    for (let part = work.shift(); part && !stopped; part = work.shift()) await readPart(lane, part);
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    stopped = true;
    notifyReaders();
    notifyConsumer();
  };

  let finished = false;
  const all = (async () => {
    try {
      await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane).catch(fail)));
      if (!stopped) await readPart(0, { range: { from: options.highestUsn + 1 } });
    } catch (err) {
      fail(err);
    } finally {
      finished = true;
      notifyConsumer();
    }
  })();

  try {
    for (;;) {
      if (failure) throw failure.error;
      const page = queue.shift();
      if (page) {
        notifyReaders();
        yield page;
        continue;
      }
      if (finished) return;
      await new Promise<void>((wake) => (wakeConsumer = wake));
    }
  } finally {
    // Early return by the consumer, or an error: stop every lane after its current page and
    // wait for them, so the caller may close the connections afterwards.
    stopped = true;
    notifyReaders();
    await all;
  }
}

function childrenOf(source: UsnRangeSource, lane: number, parent: string, slice: GuidSlice | undefined): AsyncIterable<readonly DirectoryObject[]> {
  if (!source.searchChildren) throw new RangeError('a read split by parent needs a source that searches children');
  return slice ? source.searchChildren(lane, parent, slice) : source.searchChildren(lane, parent);
}

/** Slices per parent when nothing else is known: one per lane while the parents are few, else none. */
export function slicesWhenFew(parents: number, lanes: number): number {
  return parents < lanes * SLICE_BELOW_PARENTS_PER_LANE ? lanes : 1;
}

function slicesFor(option: PartitionedReadOptions['slicesPerParent'], parents: number, lanes: number): (parent: string) => number {
  if (typeof option === 'function') return option;
  const slices = option ?? slicesWhenFew(parents, lanes);
  return () => slices;
}

function parentParts(source: UsnRangeSource, parents: readonly string[], slicesOf: (parent: string) => number): ReadPart[] {
  if (!source.searchChildren) throw new RangeError('a read split by parent needs a source that searches children');
  if (parents.length === 0) throw new RangeError('a read split by parent needs at least one parent');
  // A parent's slices follow each other in the queue: the lanes share whichever parent is big.
  return parents.flatMap((parent): ReadPart[] => {
    const slices = slicesOf(parent);
    if (!Number.isSafeInteger(slices) || slices < 1 || slices > 256) throw new RangeError(`slicesPerParent must be an integer from 1 to 256, got ${slices}`);
    return slices === 1 ? [{ parent }] : Array.from({ length: slices }, (_, index) => ({ parent, slice: { index, count: slices } }));
  });
}

/** The plan's ranges once they and its skipped USNs are known to cover `[1, highestUsn]` in order, each USN once. */
function checkedCover(plan: RangePlan, highestUsn: number): UsnRange[] {
  const all = [...plan.ranges, ...(plan.skipped ? [plan.skipped] : [])].sort((a, b) => a.from - b.from);
  let next = 1;
  for (const range of all) {
    if (range.from !== next || range.to === undefined || range.to < range.from) throw new RangeError(`ranges must cover [1, ${highestUsn}] in order: ${JSON.stringify(plan)}`);
    next = range.to + 1;
  }
  if (next !== highestUsn + 1) throw new RangeError(`ranges must cover [1, ${highestUsn}] in order: ${JSON.stringify(plan)}`);
  return [...plan.ranges];
}
