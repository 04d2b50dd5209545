import {
  BINARY_ATTRIBUTES,
  DIRECTORY_ATTRIBUTES,
  OBJECT_KINDS,
  type DirectoryObject,
  type ForestInfo,
  type ObjectKind,
} from '@syncready/directory';
import { type Client } from 'ldapts';
import { toAdReaderError } from './ad-reader-error';
import { type DirectoryReader } from './directory-reader';
import { decodeEntry, type LdapEntry } from './entry-decoder';
import { readForestInfo } from './forest-reader';
import { connectAndBind, type LdapConnectionOptions } from './ldap-connection';
import { buildObjectFilter } from './object-filter';

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
}

const REQUESTED_ATTRIBUTES = ['objectGUID', 'uSNChanged', ...DIRECTORY_ATTRIBUTES.map((a) => a.name)];

/** Reads a directory from one DC over LDAP (ldapts), paged, bounded by one page of memory. */
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
    const client = await connectAndBind(options);
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


  async *readObjects(): AsyncIterable<readonly DirectoryObject[]> {
    const pages = this.client.searchPaginated(this.baseDn, {
      scope: 'sub',
      filter: this.filter,
      attributes: REQUESTED_ATTRIBUTES,
      explicitBufferAttributes: [...BINARY_ATTRIBUTES],
      paged: { pageSize: this.options.pageSize ?? 1000 },
    });
    const iterator = pages[Symbol.asyncIterator]();
    const context = { url: this.options.url, bindDn: this.options.bindDn, operation: `search ${this.baseDn}` };
    const fetchPage = (): Promise<IteratorResult<{ searchEntries: unknown[] }>> =>
      iterator.next().catch((err: unknown) => {
        throw toAdReaderError(err, context);
      });
    // One page in flight while the consumer works on the previous one: the DC prepares page
    // n+1 while page n is decoded and sent, and memory stays bounded by two pages.
    let pending = fetchPage();
    try {
      for (;;) {
        const next = await pending;
        if (next.done) return;
        pending = fetchPage();
        const objects: DirectoryObject[] = [];
        for (const entry of next.value.searchEntries) {
          const object = decodeEntry(entry as LdapEntry);
          if (object) objects.push(object);
        }
        if (objects.length > 0) yield objects;
      }
    } finally {
      // A consumer that stops early leaves a prefetch behind; its outcome no longer matters.
      pending.catch(() => undefined);
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
