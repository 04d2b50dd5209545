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
});
