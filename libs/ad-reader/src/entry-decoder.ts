import { decodeRawObject, type DirectoryObject, type RawValue } from '@syncready/directory';

/** One entry as ldapts returns it (binary attributes as Buffers, the rest as strings). */
export type LdapEntry = { dn: string } & Record<string, Buffer | Buffer[] | string[] | string>;

/**
 * Turns an ldapts entry into a DirectoryObject, or undefined for entries that are not one of
 * the kinds the agent reads (the filter should have excluded them; this is the backstop).
 */
export function decodeEntry(entry: LdapEntry): DirectoryObject | undefined {
  const raw: [string, RawValue[]][] = [];
  for (const [name, value] of Object.entries(entry)) {
    if (name !== 'dn') raw.push([name, Array.isArray(value) ? value : [value]]);
  }
  return decodeRawObject(entry.dn, raw);
}
