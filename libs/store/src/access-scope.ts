import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * The organizations a read may see: a list of organization ids, or `'*'` for every
 * organization (a provider-level credential over all of them, or the control plane itself).
 * Every read that serves a caller takes one and applies it in the SQL statement, so that a
 * forgotten filter is a type error rather than a leak.
 */
export interface AccessScope {
  readonly organizationIds: readonly string[] | '*';
}

/** The scope of the control plane's own work (checks after a commit, start-up). */
export const ALL_ORGANIZATIONS: AccessScope = Object.freeze({ organizationIds: '*' });

/**
 * The condition "`column` is one of the scope's organizations", for a `where`. An empty list
 * matches nothing (`in ()` is not valid SQL, so it becomes a false literal).
 */
export function inScope(column: string, scope: AccessScope): Expression<SqlBool> {
  const { organizationIds } = scope;
  if (organizationIds === '*') return sql<SqlBool>`1 = 1`;
  if (organizationIds.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(organizationIds)})`;
}
