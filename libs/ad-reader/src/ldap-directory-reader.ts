import { OBJECT_KINDS, type DirectoryObject, type ForestInfo, type ObjectKind } from '@syncready/directory';
import { AndFilter, type Client, type Filter, FilterParser } from 'ldapts';
import { AdReaderError, toAdReaderError } from './ad-reader-error';
import { readDeletedSince, type DeletedObjects } from './deleted-objects';
import { type DirectoryReader, type OutsideTheBase, type ReadHints } from './directory-reader';
import { readForestInfo } from './forest-reader';
import { dnDepth, dnKey, isAtOrBelow, outermost } from './dn-keys';
import { guidSliceFilter } from './guid-slices';
import { connectAndBind, type LdapConnectionOptions } from './ldap-connection';
import { NOT_KINDS_FILTER, searchBaseAsSpelled, searchChangedContainers, searchGuidsBelow } from './ldap-delta-searches';
import { readsObjects, searchPages, type PageSearch } from './ldap-page-search';
import { LdapParents } from './ldap-parents';
import { buildObjectFilter } from './object-filter';
import { readPartitioned, slicesWhenFew, type GuidSlice } from './partitioned-read';
import { rangesFromQuantiles, splitUsnRanges, usnRangeFilter, type RangePlan, type UsnRange } from './usn-ranges';

/** Ranges per connection of a read without a USN profile (a queue evens out sparse and dense ranges), and at most with one. */
const RANGES_PER_LANE = 4;
/**
 * Objects per range a read with a USN profile aims at. Measured on Samba (profiled reads, two
 * connections): 20,000 objects in the middle of the USN space cost 3.5–3.75 s of DC CPU in 2
 * ranges and 4.05–4.15 s in 8 (each range's index walk loads objects outside it); 100,000
 * objects at the top were read in 9.7–9.8 s with 8 ranges and 10.3–10.6 s with 2 (the DC
 * prepares a range before its first page, so smaller ones overlap better with the agent).
 */
const OBJECTS_PER_RANGE = 10_000;
/**
 * Objects below one parent, by the last read's count, from which a read split by parent reads
 * it in one GUID slice per connection even among many parents. Each slice's search visits all
 * of the parent's children (about 3.5 µs each on Samba, against 150 µs or more for each object
 * returned), so slicing costs little where it pays.
 */
const SLICE_FROM_OBJECTS = 2_000;
/** How long after the first lane's search the other lanes connect (see readSplit). */
const LANE_CONNECT_DELAY_MS = 10;

/** What to read, on top of how to connect. */
export interface LdapDirectoryReaderOptions extends LdapConnectionOptions {
  /** Search base. @default the DC's defaultNamingContext */
  readonly baseDn?: string;
  /** @default all of user, group, contact, computer */
  readonly kinds?: readonly ObjectKind[];
  /** An extra RFC 4515 filter ANDed with the kind filter, e.g. to leave out test OUs by attribute. */
  readonly filter?: string;
  /**
   * Objects per LDAP page; AD's MaxPageSize default is 1000.
   * @default 1000
   */
  readonly pageSize?: number;
  /**
   * LDAP connections a full read uses at once (1 to 8). Above 1, the read is split (see
   * `partition`) into searches run concurrently (the DC serves each connection in parallel
   * while the agent decodes), plus a tail pass for objects modified during the read; such an
   * object can then be yielded twice, the later copy newer. 1 is one paged search.
   * @default 2
   */
  readonly parallelism?: number;
  /**
   * How a read over several connections is split. 'parent': each object under the base that
   * the DC's schema lets hold an object of the kinds read (OUs, containers, the domain…) is
   * searched one level deep, so the DC loads only the objects under the base (a subtree
   * search on Samba loads every object of those kinds in the domain, once per search); when
   * the schema does not bound the parents to other classes than the kinds read, or the base
   * is not such a parent itself, the read is split by USN instead. 'usn': uSNChanged ranges
   * of the subtree, cut where a USN profile (ReadHints) says the objects are.
   * @default 'parent'
   */
  readonly partition?: 'parent' | 'usn';
  /** Told how each full read with more than one connection was split (for diagnostics and tests). */
  readonly onRangePlan?: (plan: ReadPlan) => void;
}

/** How a full read over several connections was split. */
export type ReadPlan =
  | { readonly by: 'usn'; readonly ranges: readonly UsnRange[]; readonly skipped?: UsnRange; readonly fromProfile: boolean }
  | { readonly by: 'parent'; readonly parents: readonly string[] };

/** Reads a directory from one DC over LDAP (ldapts), paged, bounded by a few pages of memory. */
export class LdapDirectoryReader implements DirectoryReader {
  /** What may hold the objects read: found once per reader, on its first connection. */
  private readonly parents: LdapParents;

  private constructor(
    private readonly client: Client,
    private readonly options: LdapDirectoryReaderOptions,
    readonly baseDn: string,
    private readonly filter: string,
  ) {
    this.parents = new LdapParents(client, options.kinds ?? OBJECT_KINDS);
  }

  /** Connects, binds and resolves the search base; fails fast on bad config or credentials. */
  static async connect(options: LdapDirectoryReaderOptions): Promise<LdapDirectoryReader> {
    const filter = buildObjectFilter(options.kinds ?? OBJECT_KINDS, options.filter);
    const parallelism = options.parallelism ?? 2;
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 8) {
      throw new AdReaderError('LDAP.CONFIG', `ldap.parallelism must be an integer from 1 to 8, got ${parallelism}`);
    }
    const client = readsObjects(await connectAndBind(options));
    try {
      const baseDn = options.baseDn ?? (await readForest(client, options)).defaultNamingContext;
      return new LdapDirectoryReader(client, options, baseDn, filter);
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw err;
    }
  }

  readForest(): Promise<ForestInfo> {
    return readForest(this.client, this.options);
  }

  readObjects(hints?: ReadHints): AsyncIterable<readonly DirectoryObject[]> {
    const parallelism = this.options.parallelism ?? 2;
    return parallelism === 1 ? this.readOneStream() : this.readSplit(parallelism, hints);
  }

  async *readChangedSince(afterUsn: number, upToUsn: number, outside?: OutsideTheBase): AsyncGenerator<readonly DirectoryObject[]> {
    // One paged search of the changed objects (a delta holds one interval's changes, far fewer
    // than a snapshot), then what lies below a container moved or renamed in the range. Looking
    // outside the base too, both searches run over the naming context and what they find
    // outside is reported instead of sent.
    const range = { from: afterUsn + 1, to: upToUsn };
    const configured = dnKey(this.baseDn);
    const context = outside && dnKey(outside.namingContext);
    // A base that is the whole naming context (or not in it) has no outside to move to.
    const wide = outside && context !== undefined && context !== configured && isAtOrBelow(configured, context) ? outside : undefined;
    // Telling inside from outside compares DNs as the DC spells them, so the base too.
    const base = wide ? dnKey(await this.baseAsSpelled()) : configured;
    const under = (dn: string): boolean => isAtOrBelow(dnKey(dn), base);
    const changed = { ...this.search(this.client, usnRangeFilter(this.filter, range, upToUsn)), ...(wide ? { baseDn: wide.namingContext } : {}) };
    const outsideGuids: string[] = [];
    for await (const page of searchPages(changed)) {
      if (!wide) {
        yield page;
        continue;
      }
      const inside: DirectoryObject[] = [];
      for (const object of page) {
        if (under(object.distinguishedName)) inside.push(object);
        else outsideGuids.push(object.objectGuid);
      }
      if (inside.length > 0) yield inside;
    }
    const containers = await this.containersMovedOrRenamed(wide ? wide.namingContext : this.baseDn, range, upToUsn);
    yield* this.readBelow(containers.filter((dn) => under(dn) && dnKey(dn) !== base));
    if (!wide) return;
    // Not the base's own ancestors: they hold it.
    const left = containers.filter((dn) => !under(dn) && !isAtOrBelow(base, dnKey(dn)));
    for (const root of outermost(left)) outsideGuids.push(...(await this.guidsBelow(root)));
    // Had the base (or an OU above it) moved during the read, its objects would all look
    // outside it: fail the delta rather than report them.
    await this.baseAsSpelled();
    for (const guid of outsideGuids) wide.found(guid);
  }

  readDeletedSince(afterUsn: number, upToUsn: number, namingContext: string): Promise<DeletedObjects> {
    return readDeletedSince(this.client, { namingContext, range: { from: afterUsn + 1, to: upToUsn }, pageSize: this.options.pageSize ?? 1000, url: this.options.url, bindDn: this.options.bindDn });
  }

  private search(client: Client, filter: string | Filter): PageSearch {
    return { client, baseDn: this.baseDn, filter, pageSize: this.options.pageSize ?? 1000, url: this.options.url, bindDn: this.options.bindDn };
  }

  private async *readOneStream(): AsyncGenerator<readonly DirectoryObject[]> {
    const pages = searchPages(this.search(this.client, this.filter));
    // One page in flight while the consumer works on the previous one: the DC prepares page
    // n+1 while page n is decoded and sent, and memory stays bounded by two pages.
    let pending = pages.next();
    try {
      for (;;) {
        const next = await pending;
        if (next.done) return;
        pending = pages.next();
        if (next.value.length > 0) yield next.value;
      }
    } finally {
      // A consumer that stops early leaves a prefetch behind; its outcome no longer matters.
      pending.catch(() => undefined);
    }
  }

  private async *readSplit(parallelism: number, hints: ReadHints | undefined): AsyncGenerator<readonly DirectoryObject[]> {
    // highestCommittedUSN before the first search: everything written later is above it and
    // is picked up by the tail pass (Microsoft's documented uSNChanged sync procedure).
    const highestUsn = await this.readHighestCommittedUsn();
    const found = (this.options.partition ?? 'parent') === 'parent' ? await this.parents.under(this.baseDn) : undefined;
    // Biggest first where the last read counted them, then deepest first: objects mostly live
    // in leaf OUs, and the first search should be a long one (the other lanes connect while it
    // runs, see below). A parent that held many objects is read in one slice per lane.
    const counted = (dn: string): number => hints?.parentCounts?.[dnKey(dn)] ?? 0;
    const parents = found && [...found].sort((a, b) => counted(b) - counted(a) || dnDepth(b) - dnDepth(a));
    const slicesPerParent = parents && hints?.parentCounts ? (dn: string): number => (counted(dn) >= SLICE_FROM_OBJECTS ? parallelism : slicesWhenFew(parents.length, parallelism)) : undefined;
    // Where the last read found the objects, if known, shares them evenly among the lanes;
    // otherwise the ranges are cut evenly above the base's creation and handed out from a queue.
    const plan = !parents && hints?.usnQuantiles ? await this.planFromProfile(hints, hints.usnQuantiles, parallelism, highestUsn) : undefined;
    const lowestUsn = plan || parents ? 1 : await this.readBaseCreatedUsn();
    this.options.onRangePlan?.(
      parents ? { by: 'parent', parents } : plan ? { by: 'usn', ...plan, fromProfile: true } : { by: 'usn', ranges: splitUsnRanges(highestUsn, parallelism * RANGES_PER_LANE, lowestUsn), fromProfile: false },
    );
    // The other connections open once the first lane's search is under way. Samba's prefork
    // workers each serve the connections they accept one request at a time, and an idle worker
    // often accepts every connection made while it waits: both lanes would then share one
    // worker (and one core). Made while that worker is busy with the first search, the next
    // connection goes to another (20,000 objects: 2.7 s instead of 4.1 s when they shared).
    let firstSearchSent: () => void = () => undefined;
    const firstSearch = new Promise<void>((resolve) => (firstSearchSent = resolve));
    let firstSearchStarted = false;
    const extra = new Map<number, Promise<Client>>();
    const clientFor = (lane: number): Promise<Client> => {
      let client = extra.get(lane);
      if (!client) {
        client = firstSearch.then(async () => readsObjects(await connectAndBind(this.options)));
        extra.set(lane, client);
      }
      return client;
    };
    const pagesOn = (lane: number, search: (client: Client) => PageSearch): AsyncIterable<readonly DirectoryObject[]> => {
      if (lane === 0) {
        if (!firstSearchStarted) setTimeout(firstSearchSent, LANE_CONNECT_DELAY_MS);
        firstSearchStarted = true;
        return searchPages(search(this.client));
      }
      return (async function* () {
        yield* searchPages(search(await clientFor(lane)));
      })();
    };
    const source = {
      search: (lane: number, range: UsnRange) => pagesOn(lane, (client) => this.search(client, usnRangeFilter(this.filter, range, highestUsn))),
      searchChildren: (lane: number, parentDn: string, slice?: GuidSlice) => pagesOn(lane, (client) => this.childSearch(client, parentDn, slice)),
    };
    try {
      yield* readPartitioned(source, { lanes: parallelism, highestUsn, lowestUsn, rangesPerLane: RANGES_PER_LANE, ...(parents ? { parents, ...(slicesPerParent ? { slicesPerParent } : {}) } : plan ? { plan } : {}) });
    } finally {
      firstSearchSent();
      const opened = await Promise.allSettled(extra.values());
      await Promise.all(opened.map((r) => (r.status === 'fulfilled' ? r.value.unbind().catch(() => undefined) : undefined)));
    }
  }

  private async readHighestCommittedUsn(): Promise<number> {
    try {
      const { searchEntries } = await this.client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['highestCommittedUSN'] });
      const usn = Number(String(searchEntries[0]?.['highestCommittedUSN'] ?? ''));
      if (!Number.isSafeInteger(usn) || usn < 0) throw new Error(`rootDSE highestCommittedUSN is not a USN: ${String(searchEntries[0]?.['highestCommittedUSN'])}`);
      return usn;
    } catch (err) {
      throw toAdReaderError(err, { url: this.options.url, bindDn: this.options.bindDn, operation: 'read highestCommittedUSN from rootDSE' });
    }
  }

  /**
   * A one-level search of a parent's children (optionally of one GUID slice of them), for
   * reads split by parent. The object filter is written so that Samba cannot answer it from
   * its indexes (ORed with a term that matches nothing, `(!(objectClass=*))`): it then takes
   * the parent's children from its one-level index and tests each, instead of first building
   * the list of every user, group, contact and computer of the domain to intersect with them
   * (2,000 objects in a domain of 125,000: 0.45 s of DC CPU instead of 0.5 s; one OU of 17,000
   * users 3.48 s instead of 3.59 s).
   */
  private childSearch(client: Client, parentDn: string, slice?: GuidSlice): PageSearch {
    const objects = `(|(!(objectClass=*))${this.filter})`;
    const sliceFilter = slice ? guidSliceFilter(slice) : undefined;
    return { ...this.search(client, sliceFilter ? new AndFilter({ filters: [sliceFilter, FilterParser.parseString(objects)] }) : objects), baseDn: parentDn, scope: 'one' };
  }

  /**
   * Everything of the kinds read below `containers` (OUs and containers under the base moved
   * or renamed in the delta's range). Renaming or moving a container changes the DN of every
   * object below it, and moving one into the base brings its objects in, without changing
   * their uSNChanged: a delta of uSNChanged alone would miss them. The store takes an object
   * again at the same uSNChanged when its DN differs.
   */
  private async *readBelow(containers: readonly string[]): AsyncGenerator<readonly DirectoryObject[]> {
    for (const root of outermost(containers)) {
      const parents = await this.parents.under(root);
      if (parents) {
        for (const parent of parents) yield* searchPages(this.childSearch(this.client, parent));
      } else {
        yield* searchPages({ ...this.search(this.client, this.filter), baseDn: root });
      }
    }
  }

  /**
   * OUs and containers under `baseDn` (itself included) whose class may hold the kinds read
   * and that were created, moved or renamed in `range`: changed in it (uSNChanged) with the
   * stamp of their `name` in it too (replPropertyMetaData). Another change (a GPO link, a
   * description) leaves what is below alone. Where the DC does not show the metadata, any
   * change counts: more than needed, never less.
   */
  private async containersMovedOrRenamed(baseDn: string, range: UsnRange, upToUsn: number): Promise<string[]> {
    const changed = await searchChangedContainers(this.client, baseDn, range, upToUsn, this.options);
    if (changed.length === 0) return [];
    const classes = await this.parents.possibleClasses();
    return changed
      .filter((c) => (!classes || c.classes.some((name) => classes.has(name))) && (c.nameUsn === undefined || (c.nameUsn >= range.from && c.nameUsn <= upToUsn)))
      .map((c) => c.dn);
  }

  private baseAsSpelled(): Promise<string> {
    return searchBaseAsSpelled(this.client, this.baseDn, this.options);
  }

  private guidsBelow(baseDn: string): Promise<string[]> {
    return searchGuidsBelow(this.client, baseDn, this.filter, this.options);
  }

  /**
   * Ranges cut at an earlier read's quantiles: about OBJECTS_PER_RANGE of its objects each,
   * from one to RANGES_PER_LANE per connection. Fewer, larger ranges cost fewer searches (each
   * walks part of the DC's index); more, smaller ones let the DC answer one while the agent and
   * the control plane work on another (Samba prepares a paged search's results before its first
   * page).
   */
  private async planFromProfile(hints: ReadHints, quantiles: readonly number[], parallelism: number, highestUsn: number): Promise<RangePlan | undefined> {
    const wanted = Math.round((hints.objectCount ?? 0) / OBJECTS_PER_RANGE);
    const ranges = Math.min(parallelism * RANGES_PER_LANE, Math.max(parallelism, wanted));
    const skipUpTo = await this.skippableUpTo(hints, highestUsn);
    return rangesFromQuantiles(quantiles, highestUsn, { ranges, rangesAbove: parallelism, ...(skipUpTo === undefined ? {} : { skipUpTo }) });
  }

  /**
   * The earlier read's highestCommittedUSN when the USNs between its objects' highest and that
   * one may be left out of this read (see rangesFromQuantiles), else undefined. An object under
   * the base with a uSNChanged up to it that the earlier read did not return was outside the
   * base then; it can only have come in without a uSNChanged of its own since when a container
   * above it was moved or renamed into the base, and that container then carries one. So: no
   * object under the base other than the kinds read (which hold no objects of those kinds) may
   * have changed since. Not with an admin filter either, which may test what an object's own
   * uSNChanged does not follow (memberOf, for one). Any doubt, or error, reads everything.
   * Like a delta, this trusts the DC not to hand out a USN twice under one invocationId (a
   * restore that keeps it is AD's "USN rollback"; the caller drops the profile when the
   * invocationId changes, and a profile read above the DC's highest USN is not used).
   */
  private async skippableUpTo(hints: ReadHints, highestUsn: number): Promise<number | undefined> {
    const upTo = hints.readUpToUsn;
    if (upTo === undefined || !Number.isSafeInteger(upTo) || upTo < 1 || upTo > highestUsn) return undefined;
    if (this.options.filter !== undefined && this.options.filter.trim() !== '') return undefined;
    try {
      const { searchEntries } = await this.client.search(this.baseDn, {
        scope: 'sub',
        filter: `(&(uSNChanged>=${upTo + 1})${NOT_KINDS_FILTER})`,
        attributes: ['1.1'],
        sizeLimit: 1,
      });
      return searchEntries.length === 0 ? upTo : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The search base's uSNCreated: everything under it was created or moved there later, so
   * carries a higher uSNChanged. Where an OU was filled long after the domain was made, the
   * range cuts then fall among its objects instead of over the domain's whole USN history
   * (most ranges empty, one lane doing all the work). 1 when the DC does not say.
   */
  private async readBaseCreatedUsn(): Promise<number> {
    try {
      const { searchEntries } = await this.client.search(this.baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['uSNCreated'] });
      const usn = Number(String(searchEntries[0]?.['uSNCreated'] ?? ''));
      return Number.isSafeInteger(usn) && usn > 0 ? usn : 1;
    } catch (err) {
      throw toAdReaderError(err, { url: this.options.url, bindDn: this.options.bindDn, operation: `read uSNCreated of ${this.baseDn}` });
    }
  }

  async close(): Promise<void> {
    await this.client.unbind().catch(() => undefined);
  }
}

/** Objects under the base that are none of the kinds read: containers, and a few others. */

async function readForest(client: Client, options: LdapConnectionOptions): Promise<ForestInfo> {
  try {
    return await readForestInfo(client);
  } catch (err) {
    throw toAdReaderError(err, { url: options.url, bindDn: options.bindDn, operation: 'read the forest (rootDSE, partitions, schema)' });
  }
}
