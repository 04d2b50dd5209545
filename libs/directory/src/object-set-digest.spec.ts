import { ObjectSetDigest } from './object-set-digest';

const objects = Array.from({ length: 200 }, (_, i) => ({ guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, usn: 1000 + i }));

function digestOf(list: readonly { guid: string; usn: number }[]): string {
  const d = new ObjectSetDigest();
  for (const o of list) d.add(o.guid, o.usn);
  return d.toString();
}

describe('ObjectSetDigest', () => {
  it('does not depend on order', () => {
    const shuffled = [...objects].sort((a, b) => ((a.usn * 7919) % 211) - ((b.usn * 7919) % 211));
    expect(digestOf(shuffled)).toBe(digestOf(objects));
  });

  it('changes when an object is missing, doubled or at another USN', () => {
    const full = digestOf(objects);
    expect(digestOf(objects.slice(1))).not.toBe(full);
    expect(digestOf([...objects, objects[0] as { guid: string; usn: number }])).not.toBe(full);
    expect(digestOf(objects.map((o, i) => (i === 5 ? { ...o, usn: o.usn + 1 } : o)))).not.toBe(full);
  });

  it('ignores GUID case and is 16 hex digits', () => {
    const d = digestOf([{ guid: 'ABCDEF00-0000-4000-8000-000000000001', usn: 1 }]);
    expect(d).toBe(digestOf([{ guid: 'abcdef00-0000-4000-8000-000000000001', usn: 1 }]));
    expect(d).toMatch(/^[0-9a-f]{16}$/);
  });

  it('matches 64-bit FNV-1a for one object (checked against a BigInt implementation)', () => {
    const text = 'abc:1';
    let h = 0xcbf29ce484222325n;
    for (const ch of text) h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
    const d = new ObjectSetDigest();
    d.add('abc', 1);
    expect(d.toString()).toBe(h.toString(16).padStart(16, '0'));
  });
});
