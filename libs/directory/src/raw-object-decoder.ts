import { createHash } from 'node:crypto';
import { DIRECTORY_ATTRIBUTES, kindOf, type AttributeEncoding } from './attributes';
import { guidFromBytes, sidFromBytes } from './binary-codecs';
import { type DirectoryObject } from './directory-object';

/** A value as a source hands it over: text, or the raw bytes of a binary attribute. */
export type RawValue = string | Uint8Array;

const SPEC_BY_LOWER = new Map(DIRECTORY_ATTRIBUTES.map((spec) => [spec.name.toLowerCase(), spec]));
const UTF8 = new TextDecoder('utf-8');

function bytesOf(value: RawValue): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}

function decodeValue(value: RawValue, encoding: AttributeEncoding): string {
  switch (encoding) {
    case 'text':
      return typeof value === 'string' ? value : UTF8.decode(value);
    case 'guid': {
      // mS-DS-ConsistencyGuid is by convention a copy of objectGUID, but nothing stops an
      // admin from writing other bytes: keep those as base64 rather than failing the read.
      const bytes = bytesOf(value);
      return bytes.length === 16 ? guidFromBytes(bytes) : `base64:${Buffer.from(bytes).toString('base64')}`;
    }
    case 'sid':
      return sidFromBytes(bytesOf(value));
    case 'certificate-thumbprint':
      // Certificates are kilobytes each and the checks only need to know which ones exist:
      // keep the SHA-1 thumbprint Windows shows for them.
      return createHash('sha1').update(bytesOf(value)).digest('hex');
  }
}

/**
 * Builds a DirectoryObject from the attributes of one entry, whatever read it (LDAP, an LDIF
 * export). Attribute names match case-insensitively and come out in the case of
 * DIRECTORY_ATTRIBUTES; attributes the model does not know are dropped. Returns undefined for
 * entries that are not a user, group, contact or computer, or that have no objectGUID.
 */
export function decodeRawObject(dn: string, raw: Iterable<readonly [string, readonly RawValue[]]>): DirectoryObject | undefined {
  const attributes: Record<string, string[]> = {};
  let guid: string | undefined;
  let usn = 0;
  for (const [name, values] of raw) {
    const lower = name.toLowerCase();
    const first = values[0];
    if (lower === 'objectguid') {
      if (first !== undefined) guid = guidFromBytes(bytesOf(first));
      continue;
    }
    if (lower === 'usnchanged') {
      const n = first === undefined ? NaN : Number(typeof first === 'string' ? first : UTF8.decode(first));
      if (Number.isSafeInteger(n)) usn = n;
      continue;
    }
    const spec = SPEC_BY_LOWER.get(lower);
    if (!spec || values.length === 0) continue;
    attributes[spec.name] = values.map((v) => decodeValue(v, spec.encoding));
  }
  const kind = kindOf(attributes['objectClass'] ?? []);
  if (!kind || guid === undefined) return undefined;
  return { objectGuid: guid, distinguishedName: dn, kind, usnChanged: usn, attributes };
}
