import { nameChangedAtUsn } from './repl-metadata';

/** replPropertyMetaData of an OU on the Samba DC, as read over LDAP: eight attributes, all stamped at USN 25499 but description (25506). */
const SAMBA_OU =
  'AQAAAAAAAAAIAAAAAAAAAAAAAAABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAAAsAAAABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAAA0AAAABAAAAVMkeIQMAAABKMj20JilTSZ2l2el1xpxeomMAAAAAAACiYwAAAAAAAAEAAgABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAAAIAAgABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAABkBAgABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAAAEACQABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAAA4DCQABAAAAU8keIQMAAABKMj20JilTSZ2l2el1xpxem2MAAAAAAACbYwAAAAAAAA==';

function blob(entries: { attid: number; localUsn: number }[], version = 1): Buffer {
  const out = Buffer.alloc(16 + entries.length * 48);
  out.writeUInt32LE(version, 0);
  out.writeUInt32LE(entries.length, 8);
  entries.forEach((e, i) => {
    const at = 16 + i * 48;
    out.writeUInt32LE(e.attid, at);
    out.writeUInt32LE(1, at + 4);
    out.writeBigUInt64LE(BigInt(e.localUsn - 1), at + 32);
    out.writeBigUInt64LE(BigInt(e.localUsn), at + 40);
  });
  return out;
}

describe('nameChangedAtUsn', () => {
  it("reads the local USN of the name attribute's stamp, not another attribute's", () => {
    expect(nameChangedAtUsn(Buffer.from(SAMBA_OU, 'base64'))).toBe(25499);
    expect(nameChangedAtUsn(blob([{ attid: 0x0d, localUsn: 900 }, { attid: 0x90001, localUsn: 700 }, { attid: 0x9030e, localUsn: 800 }]))).toBe(700);
    expect(nameChangedAtUsn(blob([{ attid: 0x90001, localUsn: 2 ** 40 }]))).toBe(2 ** 40);
  });

  it('gives undefined for a blob it cannot read: another version, cut short, or no name stamp', () => {
    expect(nameChangedAtUsn(blob([{ attid: 0x90001, localUsn: 7 }], 2))).toBeUndefined();
    expect(nameChangedAtUsn(blob([{ attid: 0x90001, localUsn: 7 }]).subarray(0, 40))).toBeUndefined();
    expect(nameChangedAtUsn(blob([{ attid: 0x0d, localUsn: 7 }]))).toBeUndefined();
    expect(nameChangedAtUsn(Buffer.alloc(0))).toBeUndefined();
  });
});
