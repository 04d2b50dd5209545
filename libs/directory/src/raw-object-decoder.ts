import { createHash } from 'node:crypto';
import { DIRECTORY_ATTRIBUTES, kindOf, type AttributeEncoding, type AttributeSpec } from './attributes';
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
  for (const attribute of raw) {
    // Not destructured: destructuring a pair runs the array iterator, an object per attribute.
    const name = attribute[0];
    const values = attribute[1];
    const known = knownName(name);
    const first = values[0];
    if (known === 'objectguid') {
      if (first !== undefined) guid = guidFromBytes(bytesOf(first));
      continue;
    }
    if (known === 'usnchanged') {
      const n = first === undefined ? NaN : Number(typeof first === 'string' ? first : UTF8.decode(first));
      if (Number.isSafeInteger(n)) usn = n;
      continue;
    }
    if (!known || values.length === 0) continue;
    attributes[known.name] = known.encoding === 'text' && values.every(isText) ? values.slice() : values.map((v) => decodeValue(v, known.encoding));
  }
  const kind = kindOf(attributes['objectClass'] ?? []);
  if (!kind || guid === undefined) return undefined;
  return { objectGuid: guid, distinguishedName: dn, kind, usnChanged: usn, attributes };
}

function isText(value: RawValue): value is string {
  return typeof value === 'string';
}

type KnownName = AttributeSpec | 'objectguid' | 'usnchanged' | undefined;

/** Names as they were spelled before → what they are: the same few dozen spellings arrive on every entry. */
const knownNames = new Map<string, KnownName>();
/** A bound for sources that spell names many ways (an LDIF file may). */
const MAX_KNOWN_NAMES = 1024;

function knownName(name: string): KnownName {
  const cached = knownNames.get(name);
  if (cached !== undefined || knownNames.has(name)) return cached;
  const lower = name.toLowerCase();
  const known = lower === 'objectguid' || lower === 'usnchanged' ? lower : SPEC_BY_LOWER.get(lower);
  if (knownNames.size < MAX_KNOWN_NAMES) knownNames.set(name, known);
  return known;
}
