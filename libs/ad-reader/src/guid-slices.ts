import { AndFilter, Ber, type BerWriter, type Filter, GreaterThanEqualsFilter, NotFilter } from 'ldapts';
import { type GuidSlice } from './partitioned-read';

/**
 * The first bytes of the objectGUIDs in a slice: from `from` (inclusive) to `to` (exclusive;
 * undefined for the last slice). Slices cut the byte range evenly, and GUIDs are random, so
 * each slice holds about its share of any parent's children.
 */
export function guidSliceBounds(slice: GuidSlice): { from: number; to?: number } {
  const { index, count } = slice;
  if (!Number.isSafeInteger(count) || count < 1 || count > 256 || !Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`not a GUID slice: ${index} of ${count}`);
  }
  const bound = (i: number): number => Math.floor((256 * i) / count);
  return index === count - 1 ? { from: bound(index) } : { from: bound(index), to: bound(index + 1) };
}

/**
 * `attribute >= bytes` with the value sent as the raw octets. ldapts writes a filter's value as
 * UTF-8 text (a parsed `\80` becomes the two bytes C2 80), which would cut binary GUIDs
 * anywhere but where asked.
 */
class OctetsAtLeastFilter extends GreaterThanEqualsFilter {
  constructor(
    attribute: string,
    private readonly octets: Buffer,
  ) {
    super({ attribute, value: '' });
  }

  override writeFilter(writer: BerWriter): void {
    writer.writeString(this.attribute);
    writer.writeBuffer(this.octets, Ber.OctetString);
  }

  override toString(): string {
    return `(${this.attribute}>=${[...this.octets].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')})`;
  }
}

/**
 * The LDAP filter of a slice, over the binary objectGUID: `(objectGUID>=lower)` and
 * `(!(objectGUID>=upper))`, the bounds' first bytes padded with zero bytes. The first slice has
 * no lower term and the last no upper one, and an upper bound is the negation of the next
 * slice's lower one, so every object lands in some slice whatever the DC makes of the
 * comparison (an object the next slice's term does not match is this slice's, or an earlier
 * one's); with GUIDs compared as bytes, in exactly one. undefined for a single slice.
 */
export function guidSliceFilter(slice: GuidSlice): Filter | undefined {
  const { from, to } = guidSliceBounds(slice);
  const atLeast = (firstByte: number): Filter => {
    const octets = Buffer.alloc(16);
    octets[0] = firstByte;
    return new OctetsAtLeastFilter('objectGUID', octets);
  };
  const terms = [...(from > 0 ? [atLeast(from)] : []), ...(to !== undefined ? [new NotFilter({ filter: atLeast(to) })] : [])];
  return terms.length === 0 ? undefined : terms.length === 1 ? terms[0] : new AndFilter({ filters: terms });
}
