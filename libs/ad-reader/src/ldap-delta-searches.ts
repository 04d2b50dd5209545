import { guidFromBytes } from '@syncready/directory';
import { type Client } from 'ldapts';
import { AdReaderError, toAdReaderError } from './ad-reader-error';
import { attributeValues } from './ldap-parents';
import { nameChangedAtUsn } from './repl-metadata';
import { usnRangeFilter, type UsnRange } from './usn-ranges';

/*
 * What a delta reads besides the changed objects themselves: the containers changed in its
 * range, the base as the DC spells it, and the objectGUIDs below a container that left the base.
 */

/** Everything but the kinds read: OUs, containers, the domain… */
export const NOT_KINDS_FILTER = '(!(|(objectCategory=person)(objectCategory=group)(objectCategory=computer)))';

/** Names the DC and the account in errors. */
interface DcContext {
  readonly url: string;
  readonly bindDn: string;
}

/** An object other than the kinds read, changed in a delta's range. */
export interface ChangedContainer {
  readonly dn: string;
  /** objectClass values, lower case. */
  readonly classes: readonly string[];
  /** The local USN of its `name` stamp (created, renamed, moved); undefined when the DC does not show the metadata. */
  readonly nameUsn: number | undefined;
}

/** The objects under `baseDn` (itself included) that are not of the kinds read, with uSNChanged in `range`. */
export async function searchChangedContainers(client: Client, baseDn: string, range: UsnRange, upToUsn: number, dc: DcContext): Promise<ChangedContainer[]> {
  try {
    const { searchEntries } = await client.search(baseDn, {
      scope: 'sub',
      filter: usnRangeFilter(NOT_KINDS_FILTER, range, upToUsn),
      attributes: ['objectClass', 'replPropertyMetaData'],
      explicitBufferAttributes: ['replPropertyMetaData'],
      paged: { pageSize: 1000 },
    });
    return searchEntries.map((e) => {
      const raw = e['replPropertyMetaData'];
      const metadata = Array.isArray(raw) ? raw[0] : raw;
      return { dn: e.dn, classes: attributeValues(e, 'objectClass').map((c) => c.toLowerCase()), nameUsn: Buffer.isBuffer(metadata) ? nameChangedAtUsn(metadata) : undefined };
    });
  } catch (err) {
    throw toAdReaderError(err, { url: dc.url, bindDn: dc.bindDn, operation: `search ${baseDn} for containers changed in [${range.from}, ${range.to ?? ''}]` });
  }
}

/**
 * `baseDn` as the DC spells it. A base that is not there any more (moved, renamed or deleted)
 * fails with what to do about it.
 */
export async function searchBaseAsSpelled(client: Client, baseDn: string, dc: DcContext): Promise<string> {
  try {
    const { searchEntries } = await client.search(baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
    const entry = searchEntries[0];
    if (entry) return entry.dn;
  } catch (err) {
    // 32: noSuchObject, answered below like an empty result.
    if ((err as { code?: unknown }).code !== 32) throw toAdReaderError(err, { url: dc.url, bindDn: dc.bindDn, operation: `read the search base ${baseDn}` });
  }
  throw new AdReaderError(
    'LDAP.SEARCH_FAILED',
    `DC ${dc.url} has no object at the search base "${baseDn}" any more (moved, renamed or deleted): set ldap.baseDn to where it is now; the agent then takes a full snapshot`,
  );
}

/** objectGUIDs of the objects matching `filter` (the kinds read) under `baseDn`. */
export async function searchGuidsBelow(client: Client, baseDn: string, filter: string, dc: DcContext): Promise<string[]> {
  try {
    const { searchEntries } = await client.search(baseDn, { scope: 'sub', filter, attributes: ['objectGUID'], explicitBufferAttributes: ['objectGUID'], paged: { pageSize: 1000 } });
    const guids: string[] = [];
    for (const entry of searchEntries) {
      const raw = entry['objectGUID'];
      const bytes = Array.isArray(raw) ? raw[0] : raw;
      if (Buffer.isBuffer(bytes) && bytes.length === 16) guids.push(guidFromBytes(bytes));
    }
    return guids;
  } catch (err) {
    throw toAdReaderError(err, { url: dc.url, bindDn: dc.bindDn, operation: `search ${baseDn} for the objectGUIDs of what it holds` });
  }
}
