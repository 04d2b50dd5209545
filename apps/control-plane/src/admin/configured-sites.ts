import { type Store } from '@syncready/store';

/** The organization a configured site without one belongs to. */
export const DEFAULT_ORGANIZATION = 'default';

/**
 * Makes the store match the configured sites: each site exists and belongs to its configured
 * organization (created when missing; `default` when the site names none), so that its data
 * is scoped from the first snapshot on. Runs at every start; moving a site in the config
 * moves it in the store.
 */
export async function applyConfiguredSites(
  store: Store,
  sites: readonly { name: string; tenant?: string | undefined; organization?: string | undefined }[],
): Promise<void> {
  for (const site of sites) {
    const organization = await store.organizations.ensure(site.organization ?? DEFAULT_ORGANIZATION);
    await store.sites.ensureSite(site.name, { organizationId: organization.id, ...(site.tenant === undefined ? {} : { tenant: site.tenant }) });
  }
}
