import { LatestVersionDigest } from './latest-version-digest';
import { ObjectSetDigest } from './object-set-digest';

const guid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function plainDigest(pairs: readonly [string, number][]): string {
  const d = new ObjectSetDigest();
  for (const [g, u] of pairs) d.add(g, u);
  return d.toString();
}

describe('LatestVersionDigest', () => {
  it('equals the plain digest when every object is read once', () => {
    const pairs: [string, number][] = Array.from({ length: 50 }, (_, i) => [guid(i), 100 + i]);
    const d = new LatestVersionDigest();
    expect(pairs.map(([g, u]) => d.offer(g, u))).toEqual(Array(50).fill('added'));
    expect(d.toString()).toBe(plainDigest(pairs));
    expect(d.size).toBe(50);
  });

  it.each<[string, [number, number][], ('added' | 'replaced' | 'stale')[], [number, number][]]>([
    ['a newer version replaces the older', [[1, 10], [2, 20], [1, 30]], ['added', 'added', 'replaced'], [[1, 30], [2, 20]]],
    ['an older version after a newer is stale', [[1, 30], [1, 10]], ['added', 'stale'], [[1, 30]]],
    ['the same version twice counts once', [[1, 10], [1, 10]], ['added', 'stale'], [[1, 10]]],
    ['several replacements keep the last', [[1, 10], [1, 20], [1, 40], [1, 30]], ['added', 'replaced', 'replaced', 'stale'], [[1, 40]]],
  ])('%s', (_what, offers, decisions, expected) => {
    const d = new LatestVersionDigest();
    expect(offers.map(([g, u]) => d.offer(guid(g), u))).toEqual(decisions);
    expect(d.size).toBe(expected.length);
    expect(d.toString()).toBe(plainDigest(expected.map(([g, u]) => [guid(g), u])));
  });

  it('treats GUIDs case-insensitively', () => {
    const d = new LatestVersionDigest();
    d.offer('ABCDEF00-0000-4000-8000-000000000001', 5);
    expect(d.offer('abcdef00-0000-4000-8000-000000000001', 5)).toBe('stale');
    expect(d.size).toBe(1);
  });

  it('keeps every GUID apart through many table growths, and agrees with a Map on each decision', () => {
    // GUIDs that differ in one word only, and random ones: collisions in the hash are likely,
    // equal keys are not.
    let state = 7;
    const random = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const hex = (n: number): string => n.toString(16).padStart(8, '0');
    const guids = Array.from({ length: 20_000 }, (_, i) =>
      i % 2 === 0 ? `${hex(i)}-0000-4000-8000-000000000000` : `${hex(random())}-${hex(random()).slice(0, 4)}-${hex(random()).slice(0, 4)}-${hex(random()).slice(0, 4)}-${hex(random())}${hex(random()).slice(0, 4)}`,
    );
    const d = new LatestVersionDigest();
    const reference = new Map<string, number>();
    const expected: [string, number][] = [];
    for (let round = 0; round < 3; round++) {
      for (const g of guids) {
        const usn = random() % 1000;
        const seen = reference.get(g);
        const decision = seen === undefined ? 'added' : usn <= seen ? 'stale' : 'replaced';
        if (decision !== 'stale') reference.set(g, usn);
        expect(d.offer(g, usn)).toBe(decision);
      }
    }
    for (const [g, u] of reference) expected.push([g, u]);
    expect(d.size).toBe(reference.size);
    expect(d.toString()).toBe(plainDigest(expected));
  });

  it('refuses a string that is not a GUID', () => {
    expect(() => new LatestVersionDigest().offer('not-a-guid', 1)).toThrow(RangeError);
  });
});
