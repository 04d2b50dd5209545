import { AdReaderError } from './ad-reader-error';
import { buildObjectFilter } from './object-filter';

describe('buildObjectFilter', () => {
  it('uses objectCategory so computers are not read as users', () => {
    expect(buildObjectFilter(['user'])).toBe('(&(objectCategory=person)(objectClass=user))');
    expect(buildObjectFilter(['user', 'computer'])).toBe('(|(&(objectCategory=person)(objectClass=user))(objectCategory=computer))');
  });

  it('ANDs a valid extra filter', () => {
    expect(buildObjectFilter(['group'], ' (!(cn=Test*)) ')).toBe('(&(objectCategory=group)(!(cn=Test*)))');
  });

  it.each(['(cn=unbalanced', 'cn=no-parens)', '(&(cn=a)'])('rejects %s with LDAP.INVALID_FILTER', (filter) => {
    expect(() => buildObjectFilter(['group'], filter)).toThrow(expect.objectContaining({ code: 'LDAP.INVALID_FILTER' }));
  });

  it('needs at least one kind', () => {
    expect(() => buildObjectFilter([])).toThrow(AdReaderError);
  });
});
