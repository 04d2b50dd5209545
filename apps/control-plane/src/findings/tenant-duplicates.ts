import { createReadinessCheck, type Finding } from '@syncready/checks';
import { type AccessScope, type Store } from '@syncready/store';
import { currentObjects } from './findings-runner';

/** A finding of the tenant-wide view, with the site each party lives in. */
export interface TenantFinding extends Finding {
  readonly siteId: string;
  /** Sites of the other holders, in the order of `duplicates`. */
  readonly duplicateSiteIds: readonly string[];
}

/**
 * Duplicates between the forests of one tenant: Entra ID requires UPNs and SMTP addresses to
 * be unique across the whole tenant, so two forests that sync to it must not share one, even
 * when each forest is clean on its own. Runs the engine over the current generations of every
 * site of the tenant within `scope` and keeps the duplicate findings whose holders live in different sites.
 */
export async function tenantDuplicates(store: Store, tenant: string, scope: AccessScope): Promise<{ sites: string[]; findings: TenantFinding[] }> {
  const sites = (await store.sites.listSites({ ...scope, tenant })).filter((s) => s.currentGenerationId !== null);
  const siteOf = new Map<string, string>();
  const check = createReadinessCheck({ ruleSet: 'entra' });
  for (const site of sites) {
    for await (const object of currentObjects(store, site.id, scope)) {
      siteOf.set(object.objectGuid, site.id);
      check.add(object);
    }
  }
  const findings: TenantFinding[] = [];
  for (const finding of check.finish().findings) {
    if (!finding.duplicates?.length) continue;
    const siteId = siteOf.get(finding.objectGuid) ?? '';
    const duplicateSiteIds = finding.duplicates.map((d) => siteOf.get(d.objectGuid) ?? '');
    if (duplicateSiteIds.some((other) => other !== siteId)) findings.push({ ...finding, siteId, duplicateSiteIds });
  }
  return { sites: sites.map((s) => s.id), findings };
}
