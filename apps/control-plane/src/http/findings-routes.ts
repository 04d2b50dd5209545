import { renderIdFixCsv, SEVERITIES, type Finding, type Severity } from '@syncready/checks';
import { MAX_FINDINGS_PAGE, type FindingQuery } from '@syncready/store';
import { type Store } from '@syncready/store';
import { Router, type Request } from 'express';
import { tenantDuplicates } from '../findings/tenant-duplicates';
import { ApiError } from './api-error';
import { principalOf, requireRole } from './principal';
import { pageLimit, pathParam, single } from './query-params';

function severityFilter(req: Request): Severity | undefined {
  const raw = single(req, 'severity');
  if (raw === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(raw)) throw new ApiError(400, 'API.INVALID_QUERY', `severity must be one of ${SEVERITIES.join(', ')}`);
  return raw as Severity;
}

/**
 * `/api/v1/sites/:siteId/findings` (the current generation's readiness findings) and
 * `/api/v1/tenants/:tenant/findings` (duplicates between the forests of one tenant).
 */
export function findingsRouter(store: Store): Router {
  const router = Router();

  router.get('/sites/:siteId/findings', requireRole('viewer'), async (req, res) => {
    const { scope } = principalOf(res);
    const site = await store.sites.getSite(pathParam(req, 'siteId'), scope);
    if (!site) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    const format = single(req, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new ApiError(400, 'API.INVALID_QUERY', 'format must be json or csv');
    const limit = pageLimit(req);
    const severity = severityFilter(req);
    const ruleId = single(req, 'rule');
    const attribute = single(req, 'attribute');
    const after = single(req, 'cursor');
    const generation = site.currentGenerationId;
    const run = generation === null ? undefined : await store.findings.getRun(generation, scope);
    if (generation === null || !run) {
      if (format === 'csv') throw new ApiError(409, 'API.FINDINGS_PENDING', 'findings of the current generation are not computed yet; retry shortly');
      res.json({ generation, status: 'pending', run: null, items: [], nextCursor: null });
      return;
    }
    const filter: Omit<FindingQuery, 'limit'> = {
      ...(severity ? { severity } : {}),
      ...(ruleId ? { ruleId } : {}),
      ...(attribute ? { attribute } : {}),
    };
    if (format === 'csv') {
      // The whole filtered list, as IdFix's export: what an admin opens in a spreadsheet.
      const all: Finding[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.findings.listFindings(generation, { ...filter, limit: MAX_FINDINGS_PAGE, ...(cursor ? { after: cursor } : {}) }, scope);
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      res.type('text/csv').set('Content-Disposition', `attachment; filename="findings-${site.name.replace(/[^\w.-]/g, '_')}-${generation}.csv"`).send(renderIdFixCsv(all));
      return;
    }
    const page = await store.findings.listFindings(generation, { ...filter, limit, ...(after ? { after } : {}) }, scope);
    res.json({ generation, status: 'complete', run, items: page.items, nextCursor: page.nextCursor });
  });

  router.get('/tenants/:tenant/findings', requireRole('viewer'), async (req, res) => {
    const tenant = pathParam(req, 'tenant');
    // Only the caller's sites take part: duplicates with another organization's forest would
    // tell its addresses.
    const { sites, findings } = await tenantDuplicates(store, tenant, principalOf(res).scope);
    if (sites.length === 0) throw new ApiError(404, 'API.NOT_FOUND', 'no site with a current generation syncs to this tenant');
    res.json({ tenant, sites, items: findings });
  });

  return router;
}
