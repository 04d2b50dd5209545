import { BerWriter, type Filter } from 'ldapts';
import { guidSliceBounds, guidSliceFilter } from './guid-slices';

describe('GUID slices', () => {
  it.each([1, 2, 3, 7, 16, 255, 256])('put every first byte in exactly one of %i slices, in order', (count) => {
    const owner = new Array<number>(256).fill(-1);
    for (let index = 0; index < count; index++) {
      const { from, to } = guidSliceBounds({ index, count });
      for (let byte = from; byte < (to ?? 256); byte++) {
        expect(owner[byte]).toBe(-1);
        owner[byte] = index;
      }
    }
    expect(owner.every((slice, byte) => slice >= 0 && (byte === 0 || slice >= (owner[byte - 1] as number)))).toBe(true);
  });

  it('write a lower bound, and an upper bound as the negated lower bound of the next slice', () => {
    const zeros = '\\00'.repeat(15);
    expect(guidSliceFilter({ index: 0, count: 1 })).toBeUndefined();
    expect(guidSliceFilter({ index: 0, count: 2 })?.toString()).toBe(`(!(objectGUID>=\\80${zeros}))`);
    expect(guidSliceFilter({ index: 1, count: 2 })?.toString()).toBe(`(objectGUID>=\\80${zeros})`);
    expect(guidSliceFilter({ index: 1, count: 3 })?.toString()).toBe(`(&(objectGUID>=\\55${zeros})(!(objectGUID>=\\aa${zeros})))`);
  });

  it('send the bounds as raw octets, not as UTF-8 text', () => {
    const writer = new BerWriter();
    (guidSliceFilter({ index: 1, count: 2 }) as Filter).write(writer);
    const bytes = [...writer.buffer];
    const value = [0x04, 16, 0x80, ...new Array<number>(15).fill(0)];
    // The value's OCTET STRING: length 16, first byte 0x80 (as UTF-8 text it would be C2 80).
    expect(bytes.join(',')).toContain(value.join(','));
  });

  it.each([
    [0, 0],
    [2, 2],
    [-1, 2],
    [0, 257],
    [0.5, 2],
  ])('refuse slice %d of %d', (index, count) => {
    expect(() => guidSliceBounds({ index, count })).toThrow(RangeError);
  });
});
