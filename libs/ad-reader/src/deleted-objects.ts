import { guidFromBytes } from '@syncready/directory';
import { Control, type Client } from 'ldapts';
import { toAdReaderError } from './ad-reader-error';
import { usnRangeFilter, type UsnRange } from './usn-ranges';

/**
 * LDAP_SERVER_SHOW_DELETED_OID: lets a search return tombstones. AD moves a deleted object to
 * its naming context's Deleted Objects container with isDeleted=TRUE and a new uSNChanged;
 * reading them needs this control and, for a non-admin account, a read grant on that container.
 */
export const SHOW_DELETED_OID = '1.2.840.113556.1.4.417';

/** What a tombstone search found: the GUIDs, or that the DC or the account refused it. */
export type DeletedObjects = { readonly readable: true; readonly guids: readonly string[] } | { readonly readable: false; readonly reason: string };

/** LDAP result codes that mean "this account or DC will not show tombstones", not a failure. */
const REFUSED = new Set([
  12, // unavailableCriticalExtension: the control is not supported
  50, // insufficientAccessRights
  53, // unwillingToPerform
]);

/**
 * objectGUIDs of objects deleted with uSNChanged in `range` anywhere under `namingContext`.
 * Tombstones keep their GUID, so the store can remove them by it; tombstones of objects the
 * agent never read (another OU, another kind) are simply not found there.
 */
export async function readDeletedSince(
  client: Client,
  search: { namingContext: string; range: UsnRange; pageSize: number; url: string; bindDn: string },
): Promise<DeletedObjects> {
  const filter = usnRangeFilter('(isDeleted=TRUE)', search.range, search.range.to ?? search.range.from);
  const guids: string[] = [];
  try {
    const pages = client.searchPaginated(
      search.namingContext,
      { scope: 'sub', filter, attributes: ['objectGUID'], explicitBufferAttributes: ['objectGUID'], paged: { pageSize: search.pageSize } },
      new Control(SHOW_DELETED_OID, { critical: true }),
    );
    for await (const page of pages) {
      for (const entry of page.searchEntries) {
        const raw = entry['objectGUID'];
        const bytes = Array.isArray(raw) ? raw[0] : raw;
        if (Buffer.isBuffer(bytes) && bytes.length === 16) guids.push(guidFromBytes(bytes));
      }
    }
    return { readable: true, guids };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number' && REFUSED.has(code)) return { readable: false, reason: `the DC refused the show-deleted control (LDAP result ${code})` };
    throw toAdReaderError(err, { url: search.url, bindDn: search.bindDn, operation: `search ${search.namingContext} for tombstones` });
  }
}
