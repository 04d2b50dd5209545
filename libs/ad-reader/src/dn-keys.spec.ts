import { dnKey, isAtOrBelow, parentDn, parentKey } from './dn-keys';

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

describe('isAtOrBelow', () => {
  const base = dnKey('OU=A,DC=x');

  it('holds the base itself and what lies below it, at any depth', () => {
    expect(isAtOrBelow(dnKey('OU=A, DC=x'), base)).toBe(true);
    expect(isAtOrBelow(dnKey('CN=u,OU=A,DC=x'), base)).toBe(true);
    expect(isAtOrBelow(dnKey('CN=u,OU=B,OU=A,DC=x'), base)).toBe(true);
  });

  it('does not hold a sibling whose name ends like the base, the parent, or another branch', () => {
    expect(isAtOrBelow(dnKey('CN=u,OU=BA,DC=x'), base)).toBe(false);
    expect(isAtOrBelow(dnKey('DC=x'), base)).toBe(false);
    expect(isAtOrBelow(dnKey('CN=u,OU=B,DC=x'), base)).toBe(false);
  });

  it('does not take an escaped comma for a separator, and takes one after an escaped backslash', () => {
    expect(isAtOrBelow(dnKey('CN=x\\,OU=A,DC=x'), base)).toBe(false);
    expect(isAtOrBelow(dnKey('CN=x\\\\,OU=A,DC=x'), base)).toBe(true);
    expect(isAtOrBelow(dnKey('CN=x\\\\\\,OU=A,DC=x'), base)).toBe(false);
  });
});
