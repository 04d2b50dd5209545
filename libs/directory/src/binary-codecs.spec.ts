import { BinaryDecodeError, guidFromBytes, guidToBytes, isGuid, sidFromBytes } from './binary-codecs';

describe('guidFromBytes', () => {
  it('reads the first three fields little-endian, as Windows lays out a GUID', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    expect(guidFromBytes(bytes)).toBe('04030201-0605-0807-090a-0b0c0d0e0f10');
  });

  it('round-trips through guidToBytes', () => {
    const guid = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
    expect(guidFromBytes(guidToBytes(guid))).toBe(guid);
    expect(isGuid(guid.toUpperCase())).toBe(true);
  });

  it.each([0, 15, 17])('rejects %i bytes', (n) => {
    expect(() => guidFromBytes(new Uint8Array(n))).toThrow(BinaryDecodeError);
  });

  it('rejects text that is not a GUID', () => {
    expect(() => guidToBytes('not-a-guid')).toThrow(BinaryDecodeError);
  });
});

describe('sidFromBytes', () => {
  it('decodes a domain SID (revision, count, big-endian authority, little-endian sub-authorities)', () => {
    // S-1-5-21-1004336348-1177238915-682003330-512 (Domain Admins of some domain)
    const subs = [21, 1004336348, 1177238915, 682003330, 512];
    const bytes = new Uint8Array(8 + 4 * subs.length);
    bytes[0] = 1;
    bytes[1] = subs.length;
    bytes[7] = 5;
    const view = new DataView(bytes.buffer);
    subs.forEach((s, i) => view.setUint32(8 + 4 * i, s, true));
    expect(sidFromBytes(bytes)).toBe('S-1-5-21-1004336348-1177238915-682003330-512');
  });

  it('decodes a well-known SID without sub-authorities beyond one', () => {
    expect(sidFromBytes(Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]))).toBe('S-1-5-18');
  });

  it('rejects a length that does not match the sub-authority count', () => {
    expect(() => sidFromBytes(Uint8Array.from([1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]))).toThrow(BinaryDecodeError);
  });
});
