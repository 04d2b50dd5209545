/**
 * Decoders for AD's binary attribute syntaxes. Pure functions over bytes.
 */

/** Thrown when bytes are not a valid encoding of the expected syntax. */
export class BinaryDecodeError extends Error {
  readonly code = 'DIRECTORY.BINARY_DECODE';
  constructor(message: string) {
    super(message);
    this.name = 'BinaryDecodeError';
  }
}

/**
 * objectGUID (16 bytes) → canonical GUID string. AD stores the first three fields
 * little-endian (Windows GUID layout), the last 8 bytes in order, so the text form is not a
 * plain hex dump: bytes 3 2 1 0 - 5 4 - 7 6 - 8 9 - 10..15.
 */
export function guidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new BinaryDecodeError(`a GUID has 16 bytes, got ${bytes.length}`);
  // Written as ASCII into a scratch buffer and read out as one string: every object has a
  // GUID, and twenty concatenations made twenty intermediate strings per object.
  let at = 0;
  for (let k = 0; k < GUID_BYTE_ORDER.length; k++) {
    const i = GUID_BYTE_ORDER[k] as number;
    if (i < 0) {
      GUID_TEXT_BYTES[at++] = 0x2d; // '-'
      continue;
    }
    const byte = bytes[i] as number;
    GUID_TEXT_BYTES[at++] = HEX_DIGITS[byte >> 4] as number;
    GUID_TEXT_BYTES[at++] = HEX_DIGITS[byte & 15] as number;
  }
  return GUID_TEXT_BYTES.toString('latin1');
}

/** Byte indexes in text order, -1 for a dash. */
const GUID_BYTE_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const GUID_TEXT_BYTES = Buffer.alloc(36);

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Canonical GUID string → the 16 bytes AD stores (inverse of {@link guidFromBytes}). */
export function guidToBytes(guid: string): Uint8Array {
  if (!GUID_TEXT.test(guid)) throw new BinaryDecodeError(`not a GUID: ${JSON.stringify(guid)}`);
  const hex = guid.replace(/-/g, '');
  const plain = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order, (i) => plain[i] as number);
}

/** True for a canonical GUID string (any case). */
export function isGuid(text: string): boolean {
  return GUID_TEXT.test(text);
}

/**
 * objectSid → `S-1-5-21-…`. Layout (MS-DTYP 2.4.2.2): revision (1 byte), sub-authority count
 * (1 byte), identifier authority (6 bytes big-endian), then count × 4-byte little-endian
 * sub-authorities.
 */
export function sidFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new BinaryDecodeError(`a SID has at least 8 bytes, got ${bytes.length}`);
  const revision = bytes[0] as number;
  const count = bytes[1] as number;
  if (bytes.length !== 8 + 4 * count) {
    throw new BinaryDecodeError(`SID with ${count} sub-authorities must be ${8 + 4 * count} bytes, got ${bytes.length}`);
  }
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + (bytes[i] as number);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(view.getUint32(8 + 4 * i, true)));
  return parts.join('-');
}
