import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { biggestParents, FileUsnProfileStore, type UsnProfile } from './usn-profile';

const PROFILE: UsnProfile = {
  invocationId: '7ac5edcc-ac38-4ecb-8102-2f63ef63a2cf',
  baseDn: 'OU=Site,DC=example,DC=test',
  readUpToUsn: 5000,
  quantiles: [100, 200, 4999],
  objectCount: 48,
  parentCounts: { 'ou=users,ou=site,dc=example,dc=test': 40, 'ou=site,dc=example,dc=test': 8 },
};

describe('FileUsnProfileStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'usn-profile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it saved, in a file only the agent may read', () => {
    const store = new FileUsnProfileStore(join(dir, 'state', 'usn-profile.json'));
    expect(store.load()).toBeUndefined();
    store.save(PROFILE);
    expect(store.load()).toEqual(PROFILE);
    expect(statSync(join(dir, 'state', 'usn-profile.json')).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['not JSON', '{"invocationId":'],
    ['a quantile above the USN it was read from', JSON.stringify({ ...PROFILE, quantiles: [100, 5001] })],
    ['a quantile that is not a USN', JSON.stringify({ ...PROFILE, quantiles: [100, -1] })],
    ['no readUpToUsn', JSON.stringify({ ...PROFILE, readUpToUsn: undefined })],
    ['a negative object count', JSON.stringify({ ...PROFILE, objectCount: -1 })],
    ['an array', '[]'],
    ['a parent count that is not a count', JSON.stringify({ ...PROFILE, parentCounts: { 'ou=a': -2 } })],
    ['parent counts as a list', JSON.stringify({ ...PROFILE, parentCounts: [3] })],
  ])('reads %s as no profile', (_what, text) => {
    const file = join(dir, 'usn-profile.json');
    writeFileSync(file, text);
    expect(new FileUsnProfileStore(file).load()).toBeUndefined();
  });

  it('logs a failed write and carries on', () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const lines: string[] = [];
    expect(() => new FileUsnProfileStore(join(blocker, 'usn-profile.json'), (l) => lines.push(l)).save(PROFILE)).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not keep the USN profile.*splits its ranges evenly/);
    expect(readFileSync(blocker, 'utf8')).toBe('x');
  });
});

describe('biggestParents', () => {
  it('keeps the parents with the most objects, at most the limit', () => {
    const counts = new Map([['a', 3], ['b', 40], ['c', 1], ['d', 12]]);
    expect(biggestParents(counts, 2)).toEqual({ b: 40, d: 12 });
    expect(Object.keys(biggestParents(counts))).toHaveLength(4);
  });
});
