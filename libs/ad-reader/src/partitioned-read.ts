import { type DirectoryObject } from '@syncready/directory';
import { splitUsnRanges, type RangePlan, type UsnRange } from './usn-ranges';

/**
 * The port the partitioned read searches through: one paged search of a uSNChanged range over
 * one of the reader's connections (`lane`). The LDAP implementation runs a paged search on
 * connection `lane`; unit tests use an in-memory directory. A page is requested only when the
 * iterator is advanced, so one lane has at most one page in flight.
 */
export interface UsnRangeSource {
  search(lane: number, range: UsnRange): AsyncIterable<readonly DirectoryObject[]>;
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
   * Decoded pages the consumer has not pulled yet above which readers wait: the consumer's
   * pace sets the readers' pace, and memory stays bounded by this plus one page per lane.
   * @default lanes
   */
  readonly maxQueuedPages?: number;
}

/**
 * Reads every object once per range: `[1, highestUsn]` split into ranges handed out from a
 * work queue to `lanes` concurrent readers, then a tail pass `uSNChanged >= highestUsn + 1`
 * after all ranges, for objects created or modified while the ranges were read (a modified
 * object moves above highestUsn and may have left a range before it was read). An object
 * modified during the read can therefore be yielded twice, the later copy with the higher
 * uSNChanged; consumers keep the highest per objectGUID (see LatestVersionDigest).
 * Pages arrive in completion order, not USN order. The first search error ends the read and
 * stops the other lanes.
 */
export async function* readPartitioned(source: UsnRangeSource, options: PartitionedReadOptions): AsyncGenerator<readonly DirectoryObject[]> {
  const lanes = options.lanes;
  if (!Number.isSafeInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be a positive integer, got ${lanes}`);
  const work = options.plan ? checkedCover(options.plan, options.highestUsn) : splitUsnRanges(options.highestUsn, lanes * (options.rangesPerLane ?? 4), options.lowestUsn ?? 1);
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
  const readRange = async (lane: number, range: UsnRange): Promise<void> => {
    for await (const page of source.search(lane, range)) {
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
    for (let range = work.shift(); range && !stopped; range = work.shift()) await readRange(lane, range);
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
      if (!stopped) await readRange(0, { from: options.highestUsn + 1 });
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
