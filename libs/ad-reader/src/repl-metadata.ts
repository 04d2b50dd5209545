/**
 * The replication metadata of an object (`replPropertyMetaData`): for each attribute, the
 * local USN of its last change on this DC. Active Directory and Samba stamp the `name`
 * attribute whenever the object is renamed or moved (its parent is part of its name), and
 * not when anything else about it changes: a GPO link, a description.
 */

/** attributeID of `name` (OID 1.2.840.113556.1.4.1 under the fixed prefix 9). */
const NAME_ATTID = 0x00090001;
const HEADER_BYTES = 16;
const ENTRY_BYTES = 48;
const LOCAL_USN_OFFSET = 40;

/**
 * The local USN at which the object was last renamed, moved or created (its `name` stamp),
 * or undefined when `metadata` is not a version-1 replPropertyMetaData blob that holds one.
 */
export function nameChangedAtUsn(metadata: Buffer): number | undefined {
  if (metadata.length < HEADER_BYTES || metadata.readUInt32LE(0) !== 1) return undefined;
  const count = metadata.readUInt32LE(8);
  if (metadata.length < HEADER_BYTES + count * ENTRY_BYTES) return undefined;
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * ENTRY_BYTES;
    if (metadata.readUInt32LE(at) === NAME_ATTID) return Number(metadata.readBigUInt64LE(at + LOCAL_USN_OFFSET));
  }
  return undefined;
}
