import { type ApiCredential } from '@syncready/store';

/** One line of `credential list`: id, status, role, scope, name, created (tab-separated; never a secret). */
export function formatCredential(credential: ApiCredential, organizationNames: ReadonlyMap<string, string>): string {
  const { organizationIds } = credential;
  const orgs = organizationIds === '*' ? '*' : organizationIds.map((id) => organizationNames.get(id) ?? id).join(',');
  const scope = credential.organizationId === null ? `provider:${orgs}` : `org:${orgs}`;
  const status = credential.revokedAt === null ? 'active' : `revoked ${credential.revokedAt}`;
  return [credential.id, status, credential.role, scope, credential.name, credential.createdAt].join('\t');
}
