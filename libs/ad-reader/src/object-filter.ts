import { type ObjectKind } from '@syncready/directory';
import { FilterParser } from 'ldapts';
import { AdReaderError } from './ad-reader-error';

// objectCategory keeps computers out of the person clause (a computer's objectClass chain
// contains user) and is indexed on every DC.
const KIND_CLAUSES: Record<ObjectKind, string> = {
  user: '(&(objectCategory=person)(objectClass=user))',
  contact: '(&(objectCategory=person)(objectClass=contact))',
  group: '(objectCategory=group)',
  computer: '(objectCategory=computer)',
};

/**
 * Builds the search filter for the kinds to read, optionally ANDed with an admin-supplied
 * filter from config (validated by parsing it, so a typo fails at start-up with a clear
 * message rather than as a DC error mid-snapshot). Values that come from data are never
 * concatenated here: callers use ldapts' escapeFilter for those.
 */
export function buildObjectFilter(kinds: readonly ObjectKind[], extraFilter?: string): string {
  if (kinds.length === 0) throw new AdReaderError('LDAP.INVALID_FILTER', 'at least one object kind must be read');
  const clauses = kinds.map((k) => KIND_CLAUSES[k]);
  const base = clauses.length === 1 ? (clauses[0] as string) : `(|${clauses.join('')})`;
  if (extraFilter === undefined || extraFilter.trim() === '') return base;
  const extra = extraFilter.trim();
  try {
    if (!balanced(extra)) throw new Error('parentheses do not balance');
    FilterParser.parseString(extra);
  } catch (err) {
    throw new AdReaderError('LDAP.INVALID_FILTER', `ldap.filter is not a valid LDAP filter (${String(err instanceof Error ? err.message : err)}): write it as in RFC 4515, e.g. (!(description=test*))`, { cause: err });
  }
  return `(&${base}${extra})`;
}

// RFC 4515 escapes literal parentheses as \28 and \29, so every raw one is structure; ldapts'
// parser tolerates a missing closing parenthesis, this does not.
function balanced(filter: string): boolean {
  if (!filter.startsWith('(') || !filter.endsWith(')')) return false;
  let depth = 0;
  for (const ch of filter) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
