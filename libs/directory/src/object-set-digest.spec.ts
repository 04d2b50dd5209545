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

describe('ObjectSetDigest remove and replace', () => {
  it('remove undoes add exactly, whatever came in between', () => {
    const d = new ObjectSetDigest();
    for (const o of objects) d.add(o.guid, o.usn);
    const first = objects[0] as { guid: string; usn: number };
    d.remove(first.guid, first.usn);
    expect(d.toString()).toBe(digestOf(objects.slice(1)));
    expect(d.size).toBe(objects.length - 1);
  });

  it('replace gives the digest of the set holding only the newer version', () => {
    const d = new ObjectSetDigest();
    for (const o of objects) d.add(o.guid, o.usn);
    d.replace('00000000-0000-4000-8000-000000000007', 1007, 9007);
    expect(d.toString()).toBe(digestOf(objects.map((o) => (o.usn === 1007 ? { ...o, usn: 9007 } : o))));
    expect(d.size).toBe(objects.length);
  });

  it('wraps below zero and back (borrow across the two lanes)', () => {
    const d = new ObjectSetDigest();
    d.remove('a', 1);
    d.add('a', 1);
    expect(d.toString()).toBe('0000000000000000');
    expect(d.size).toBe(0);
  });
});
