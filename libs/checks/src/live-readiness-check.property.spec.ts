/**
 * The live check against the engine it must equal: random sequences of upserts and removes over
 * a tiny value space (so duplicates are made and broken all the time, DNs collide, objects fall
 * in and out of scope), and after each step the live result must deep-equal a full run over
 * the objects then held, in objectGuid order. Seeded, so a failure is reproducible.
 */
import { type DirectoryObject, type ObjectKind } from '@syncready/directory';
import { seededRandom } from '@syncready/directory/testing';
import { createLiveReadinessCheck } from './live-readiness-check';
import { checkDirectory } from './readiness-check';
import { type CheckOptions } from './readiness-checker';
import { testForest, testObject } from './testing/directory-objects';

function generator(seed: number) {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[], max: number): T[] => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(items));
  const hex = (n: number): string => Array.from({ length: n }, () => pick([...'0123456789abcdef'])).join('');
  const guids = Array.from({ length: 10 }, () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`);
  const addresses = ['a@contoso.com', 'A@Contoso.com', 'b@contoso.com', 'a b@contoso.com', 'ab@contoso.com', 'c@contoso.local', 'd@fabrikam.com'];
  const proxies = ['SMTP:a@contoso.com', 'smtp:a@contoso.com', 'smtp:A@Contoso.com', 'smtp:b@contoso.com', 'sip:a@contoso.com', 'smtp:a:b@contoso.com', 'smtp:ab@contoso.com', 'X500:/o=x', 'smtp:d@fabrikam.com'];
  const targets = ['SMTP:a@contoso.com', 'smtp:b@contoso.com', 'smtp:ab@contoso.com', 'x500:/o=y'];
  // A cn starting with a period matters to idfix: a mailNickname with nothing left after the
  // leading-period fix becomes the cn, so one object can test a key another only looks up.
  const names = ['Ann', 'Bob', 'ann', '.b', '.b', 'Guest One', 'Svc$'];

  function object(guid: string): DirectoryObject {
    const kind = pick<ObjectKind>(['user', 'user', 'user', 'contact', 'group', 'computer']);
    const cn = pick(names);
    const attributes: Record<string, string | readonly string[]> = {};
    const maybe = (name: string, values: readonly string[], p = 0.6): void => {
      if (next() < p) attributes[name] = pick(values);
    };
    maybe('userPrincipalName', addresses);
    maybe('mail', addresses);
    maybe('mailNickname', ['a', 'b', '.a', 'A', '.b', '..', '..'], 0.8);
    maybe('sAMAccountName', ['ann', 'ANN', 'bob'], 0.8);
    maybe('displayName', ['Ann', ' ', 'Bob']);
    maybe('targetAddress', targets, 0.3);
    maybe('mS-DS-ConsistencyGuid', ['AQID'], 0.2);
    maybe('isCriticalSystemObject', ['TRUE'], 0.05);
    maybe('homeMDB', ['CN=DB1'], 0.3);
    if (kind === 'group') attributes['groupType'] = pick(['8', '-2147483646']);
    const proxyAddresses = some(proxies, 3);
    if (proxyAddresses.length > 0) attributes['proxyAddresses'] = proxyAddresses;
    // DNs from a small pool, so objects sometimes share one (a stale object moved out of the base can).
    return { ...testObject(kind, cn, attributes, `CN=${cn},OU=${pick(['Staff', 'staff', 'Sales'])},DC=contoso,DC=com`), objectGuid: guid };
  }
  return { next, pick, guids, object };
}

const RULE_SETS: readonly [string, CheckOptions][] = [
  ['entra with forest facts', { ruleSet: 'entra', forest: testForest() }],
  ['entra without forest facts, with tenant facts', { ruleSet: 'entra', tenant: { verifiedDomains: ['contoso.com'] } }],
  ['idfix', { ruleSet: 'idfix' }],
  ['idfix ignoring UPNs', { ruleSet: 'idfix', ignoreUpn: true }],
];

const byGuid = (objects: Iterable<DirectoryObject>): DirectoryObject[] => [...objects].sort((a, b) => (a.objectGuid < b.objectGuid ? -1 : a.objectGuid > b.objectGuid ? 1 : 0));

describe.each(RULE_SETS)('live check (%s) equals a full run after every step', (_name, options) => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i', (seed) => {
    const gen = generator(seed);
    const live = createLiveReadinessCheck(options);
    const current = new Map<string, DirectoryObject>();
    for (let step = 0; step < 60; step += 1) {
      // One to three changes between results, so pending work is batched as after a delta.
      const changes = 1 + Math.floor(gen.next() * 3);
      for (let c = 0; c < changes; c += 1) {
        const guid = gen.pick(gen.guids);
        if (gen.next() < 0.25) {
          live.remove(guid);
          current.delete(guid);
        } else {
          const object = gen.object(guid);
          live.upsert(object);
          current.set(guid, object);
        }
      }
      expect(live.size).toBe(current.size);
      expect(live.result()).toEqual(checkDirectory(byGuid(current.values()), options));
    }
  });
});
