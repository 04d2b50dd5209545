import { testObject } from '../testing/directory-objects';
import { entraScopeOf } from './entra-scope';

describe('entraScopeOf for computers', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['a workstation with a certificate', { userCertificate: 'ab'.repeat(20) }, true],
    ['a workstation without a certificate', {}, false],
    // Samba stamps workstations with FALSE; the device rule alone decides.
    ['a workstation stamped isCriticalSystemObject: FALSE', { userCertificate: 'ab'.repeat(20), isCriticalSystemObject: 'FALSE' }, true],
  ])('%s → synced %s', (_what, attributes, synced) => {
    expect(entraScopeOf(testObject('computer', 'WS-1', attributes)).synced).toBe(synced);
  });

  it('still keeps a user with isCriticalSystemObject present out, whatever its value', () => {
    expect(entraScopeOf(testObject('user', 'svc', { isCriticalSystemObject: 'FALSE', sAMAccountName: 'svc' })).synced).toBe(false);
  });
});
