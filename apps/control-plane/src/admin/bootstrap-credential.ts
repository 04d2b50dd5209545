import { type Store } from '@syncready/store';

/**
 * On the first start of a store that holds no API credential, creates a provider-level admin
 * credential over every organization and returns its token, for the caller to print once; the
 * store keeps only its hash. Undefined on every later start.
 */
export async function bootstrapAdminCredential(store: Store): Promise<string | undefined> {
  const issued = await store.credentials.createBootstrap();
  if (issued === undefined) return undefined;
  await store.audit.record({
    organizationId: null,
    actor: 'system',
    event: 'credential.created',
    outcome: 'success',
    detail: { credentialId: issued.credential.id, role: 'admin', scope: 'provider:*', bootstrap: true },
  });
  return issued.token;
}
