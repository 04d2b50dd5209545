import { BINARY_ATTRIBUTES, DIRECTORY_ATTRIBUTES, type DirectoryObject } from '@syncready/directory';
import { type Client } from 'ldapts';
import { toAdReaderError } from './ad-reader-error';
import { decodeEntry, type LdapEntry } from './entry-decoder';

/** The attributes every object search asks for. */
export const REQUESTED_ATTRIBUTES = ['objectGUID', 'uSNChanged', ...DIRECTORY_ATTRIBUTES.map((a) => a.name)];

/** One paged subtree search and where it runs, for error messages. */
export interface PageSearch {
  readonly client: Client;
  readonly baseDn: string;
  readonly filter: string;
  readonly pageSize: number;
  readonly url: string;
  readonly bindDn: string;
}

/**
 * Decoded pages of one paged search. ldapts asks the DC for the next page only when the
 * iterator is advanced, so a paused consumer pauses the search.
 */
export async function* searchPages(search: PageSearch): AsyncGenerator<readonly DirectoryObject[]> {
  const pages = search.client.searchPaginated(search.baseDn, {
    scope: 'sub',
    filter: search.filter,
    attributes: REQUESTED_ATTRIBUTES,
    explicitBufferAttributes: [...BINARY_ATTRIBUTES],
    paged: { pageSize: search.pageSize },
  });
  const context = { url: search.url, bindDn: search.bindDn, operation: `search ${search.baseDn} ${search.filter}` };
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
      yield decodePage(next.value.searchEntries);
    }
  } finally {
    await iterator.return?.(undefined).catch(() => undefined);
  }
}

/** Decodes one page; entries that are not objects of a kind the agent reads are dropped. */
export function decodePage(entries: readonly unknown[]): DirectoryObject[] {
  const objects: DirectoryObject[] = [];
  for (const entry of entries) {
    const object = decodeEntry(entry as LdapEntry);
    if (object) objects.push(object);
  }
  return objects;
}
