import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeRawObject, DIRECTORY_ATTRIBUTES, parseLdif, type DirectoryObject } from '@syncready/directory';

const run = promisify(execFile);

/** The objects under `baseDn`, read by OpenLDAP's ldapsearch: the independent reference. */
export async function ldapsearchObjects(options: { url: string; bindDn: string; password: string; baseDn: string }): Promise<DirectoryObject[]> {
  const { stdout } = await run(
    'ldapsearch',
    [
      '-LLL', '-x', '-o', 'ldif-wrap=no', '-E', 'pr=1000/noprompt',
      '-H', options.url, '-D', options.bindDn, '-w', options.password,
      '-b', options.baseDn, '-s', 'sub',
      '(|(objectClass=user)(objectClass=contact)(objectClass=group))',
      'objectGUID', 'uSNChanged', ...DIRECTORY_ATTRIBUTES.map((a) => a.name),
    ],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  const objects: DirectoryObject[] = [];
  for (const record of parseLdif(stdout)) {
    const object = decodeRawObject(record.dn, record.attributes);
    if (object) objects.push(object);
  }
  return objects;
}

/** objectGUIDs as Samba's own tools print them (ldbsearch decodes GUIDs itself). */
export async function ldbsearchGuids(options: { url: string; bindDn: string; password: string; baseDn: string }): Promise<Map<string, string>> {
  const { stdout } = await run(
    'ldbsearch',
    ['-H', options.url, `--simple-bind-dn=${options.bindDn}`, `--password=${options.password}`, '-b', options.baseDn, '(|(objectClass=user)(objectClass=contact)(objectClass=group))', 'objectGUID'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const guids = new Map<string, string>();
  for (const record of parseLdif(stdout)) {
    const guid = record.attributes.get('objectGUID')?.[0];
    if (typeof guid === 'string') guids.set(record.dn.toLowerCase(), guid.toLowerCase());
  }
  return guids;
}

/** Sorts objects by GUID for comparison. */
export function byGuid(objects: readonly DirectoryObject[]): DirectoryObject[] {
  return [...objects].sort((a, b) => a.objectGuid.localeCompare(b.objectGuid));
}
