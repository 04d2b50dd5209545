import { DIRECTORY_ATTRIBUTES, decodeRawObject, type DirectoryObject } from '@syncready/directory';
import { type Client, type Filter } from 'ldapts';
import { toAdReaderError } from './ad-reader-error';
import { decodeObjectEntriesRaw, type RawEntry } from './raw-search-entries';

/** The attributes every object search asks for (this very array marks a request as an object search). */
export const REQUESTED_ATTRIBUTES = ['objectGUID', 'uSNChanged', ...DIRECTORY_ATTRIBUTES.map((a) => a.name)];

/** True for the requests {@link searchPages} sends. */
function isObjectSearch(request: unknown): boolean {
  return (request as { attributes?: unknown } | undefined)?.attributes === REQUESTED_ATTRIBUTES;
}

/** Prepares a bound client for {@link searchPages}: its object searches' entries arrive as {@link RawEntry}. */
export function readsObjects(client: Client): Client {
  decodeObjectEntriesRaw(client, isObjectSearch);
  return client;
}

/** One paged search and where it runs, for error messages. */
export interface PageSearch {
  readonly client: Client;
  readonly baseDn: string;
  /** @default 'sub' */
  readonly scope?: 'sub' | 'one';
  /** A string, or a Filter built where a string cannot say it (binary values). */
  readonly filter: string | Filter;
  readonly pageSize: number;
  readonly url: string;
  readonly bindDn: string;
}

/**
 * Decoded pages of one paged search on a client prepared with {@link readsObjects}. ldapts
 * asks the DC for the next page only when the iterator is advanced, so a paused consumer
 * pauses the search.
 */
export async function* searchPages(search: PageSearch): AsyncGenerator<readonly DirectoryObject[]> {
  const pages = search.client.searchPaginated(search.baseDn, {
    scope: search.scope ?? 'sub',
    filter: search.filter,
    attributes: REQUESTED_ATTRIBUTES,
    paged: { pageSize: search.pageSize },
  });
  const context = { url: search.url, bindDn: search.bindDn, operation: `search ${search.scope === 'one' ? 'one level below ' : ''}${search.baseDn} ${search.filter}` };
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<{ searchEntries: unknown[] }>;
      try {
        next = await iterator.next();
      } catch (err) {
        throw toAdReaderError(err, context);
      }
      if (next.done) return;
      yield decodePage(next.value.searchEntries as unknown as readonly RawEntry[]);
    }
  } finally {
    await iterator.return?.(undefined).catch(() => undefined);
  }
}

/** Decodes one page; entries that are not objects of a kind the agent reads are dropped. */
export function decodePage(entries: readonly RawEntry[]): DirectoryObject[] {
  const objects: DirectoryObject[] = [];
  for (const entry of entries) {
    if (!Array.isArray(entry.raw)) throw new TypeError('searchPages needs a client prepared with readsObjects()');
    const object = decodeRawObject(entry.dn, entry.raw);
    if (object) objects.push(object);
  }
  return objects;
}
