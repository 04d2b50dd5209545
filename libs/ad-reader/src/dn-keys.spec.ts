import { dnKey, parentDn, parentKey } from './dn-keys';

describe('DN keys of parent counts', () => {
  it('count an object under its parent, whatever the case and spacing of either DN', () => {
    expect(parentKey('CN=Ann Lee,OU=Users,OU=Site, DC=example,DC=test')).toBe(dnKey('ou=users, ou=site,dc=EXAMPLE,dc=test'));
    expect(parentKey('CN=Ann Lee,OU=Users,DC=example,DC=test')).toBe('ou=users,dc=example,dc=test');
  });

  it('keep an escaped comma inside the first RDN', () => {
    expect(parentKey('CN=Lee\\, Ann,OU=Users,DC=example,DC=test')).toBe('ou=users,dc=example,dc=test');
  });

  it('give a DN of one RDN no parent', () => {
    expect(parentKey('DC=test')).toBe('');
    expect(parentDn('DC=test')).toBe('');
  });

  it('end the first RDN at the first comma no backslash escapes, an escaped backslash included', () => {
    expect(parentDn('CN=Lee\\\\,OU=Users,DC=test')).toBe('OU=Users,DC=test');
    expect(parentDn('CN=Lee\\\\\\,Ann,OU=Users,DC=test')).toBe('OU=Users,DC=test');
    expect(parentDn('CN=Lee\\2C Ann,OU=Users, DC=test')).toBe('OU=Users, DC=test');
  });
});
