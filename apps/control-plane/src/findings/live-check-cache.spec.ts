import { createLiveReadinessCheck } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { LiveCheckCache } from './live-check-cache';
import { LiveSiteCheck } from './live-site-check';

function siteCheck(objects: number): LiveSiteCheck {
  const check = new LiveSiteCheck(1, 'entra', createLiveReadinessCheck());
  for (let i = 0; i < objects; i += 1) {
    const object: DirectoryObject = { objectGuid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, distinguishedName: `CN=${i}`, kind: 'user', usnChanged: 1, attributes: {} };
    check.add(object);
  }
  return check;
}

describe('LiveCheckCache', () => {
  it('evicts the least recently used sites once the objects held exceed the bound', () => {
    const cache = new LiveCheckCache(10);
    cache.put('a', siteCheck(4));
    cache.put('b', siteCheck(4));
    // Using a makes b the least recently used.
    const a = cache.take('a');
    cache.put('a', a as LiveSiteCheck);
    cache.put('c', siteCheck(4));
    expect(cache.objects).toBe(8);
    expect(cache.take('b')).toBeUndefined();
    expect(cache.take('a')?.size).toBe(4);
    expect(cache.objects).toBe(4);
  });

  it('keeps no site larger than the bound, and nothing at a bound of 0', () => {
    const cache = new LiveCheckCache(3);
    expect(cache.fits(4)).toBe(false);
    cache.put('big', siteCheck(4));
    expect(cache.take('big')).toBeUndefined();
    const off = new LiveCheckCache(0);
    off.put('a', siteCheck(1));
    expect(off.objects).toBe(0);
  });

  it('counts a site put back after an update at its new size', () => {
    const cache = new LiveCheckCache(100);
    cache.put('a', siteCheck(4));
    const held = cache.take('a') as LiveSiteCheck;
    held.apply({ generation: 1, upserts: [], deletions: ['00000000-0000-4000-8000-000000000000'] });
    cache.put('a', held);
    expect(cache.objects).toBe(3);
  });

  it('rejects a bound that is not a non-negative integer', () => {
    expect(() => new LiveCheckCache(-1)).toThrow(RangeError);
  });
});
