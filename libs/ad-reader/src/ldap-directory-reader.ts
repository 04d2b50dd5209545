import { OBJECT_KINDS, type DirectoryObject, type ForestInfo, type ObjectKind } from '@syncready/directory';
import { type Client } from 'ldapts';
import { AdReaderError, toAdReaderError } from './ad-reader-error';
import { readDeletedSince, type DeletedObjects } from './deleted-objects';
import { type DirectoryReader } from './directory-reader';
import { readForestInfo } from './forest-reader';
import { connectAndBind, type LdapConnectionOptions } from './ldap-connection';
import { readsObjects, searchPages, type PageSearch } from './ldap-page-search';
import { buildObjectFilter } from './object-filter';
import { readPartitioned } from './partitioned-read';
import { usnRangeFilter } from './usn-ranges';

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
   * LDAP connections a full read uses at once (1 to 8). Above 1, the read is split into
   * uSNChanged ranges searched concurrently (the DC serves each connection in parallel while
   * the agent decodes), plus a tail pass for objects modified during the read; such an object
   * can then be yielded twice, the later copy newer. 1 is one paged search.
   * @default 2
   */
  readonly parallelism?: number;
}

/** Reads a directory from one DC over LDAP (ldapts), paged, bounded by a few pages of memory. */
export class LdapDirectoryReader implements DirectoryReader {
  private constructor(
    private readonly client: Client,
    private readonly options: LdapDirectoryReaderOptions,
    readonly baseDn: string,
    private readonly filter: string,
  ) {}

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

  readObjects(): AsyncIterable<readonly DirectoryObject[]> {
    const parallelism = this.options.parallelism ?? 2;
    return parallelism === 1 ? this.readOneStream() : this.readRanges(parallelism);
  }

  readChangedSince(afterUsn: number, upToUsn: number): AsyncIterable<readonly DirectoryObject[]> {
    // One paged search: a delta holds the changes of one interval, far fewer than a snapshot.
    return searchPages(this.search(this.client, usnRangeFilter(this.filter, { from: afterUsn + 1, to: upToUsn }, { nearTop: true })));
  }

  readDeletedSince(afterUsn: number, upToUsn: number, namingContext: string): Promise<DeletedObjects> {
    return readDeletedSince(this.client, { namingContext, range: { from: afterUsn + 1, to: upToUsn }, pageSize: this.options.pageSize ?? 1000, url: this.options.url, bindDn: this.options.bindDn });
  }

  private search(client: Client, filter: string): PageSearch {
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

  private async *readRanges(parallelism: number): AsyncGenerator<readonly DirectoryObject[]> {
    // highestCommittedUSN before the first search: everything written later is above it and
    // is picked up by the tail pass (Microsoft's documented uSNChanged sync procedure).
    const highestUsn = await this.readHighestCommittedUsn();
    const lowestUsn = await this.readBaseCreatedUsn();
    const extra = await Promise.allSettled(Array.from({ length: parallelism - 1 }, async () => readsObjects(await connectAndBind(this.options))));
    const clients = [this.client, ...extra.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
    const closeExtra = (): Promise<unknown> => Promise.all(clients.slice(1).map((c) => c.unbind().catch(() => undefined)));
    const refused = extra.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused) {
      await closeExtra();
      throw refused.reason;
    }
    try {
      yield* readPartitioned(
        { search: (lane, range) => searchPages(this.search(clients[lane] as Client, usnRangeFilter(this.filter, range))) },
        { lanes: parallelism, highestUsn, lowestUsn },
      );
    } finally {
      await closeExtra();
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

async function readForest(client: Client, options: LdapConnectionOptions): Promise<ForestInfo> {
  try {
    return await readForestInfo(client);
  } catch (err) {
    throw toAdReaderError(err, { url: options.url, bindDn: options.bindDn, operation: 'read the forest (rootDSE, partitions, schema)' });
  }
}
