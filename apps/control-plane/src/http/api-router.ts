import { OBJECT_KINDS, type ObjectKind } from '@syncready/directory';
import { type Store } from '@syncready/store';
import { Router, type Request } from 'express';
import { ApiError } from './api-error';
import { auditRouter } from './audit-routes';
import { type AuthFailureLimiter } from './auth-failure-limiter';
import { authenticate } from './authenticate';
import { findingsRouter } from './findings-routes';
import { openApiDocument } from './openapi';
import { principalOf, requireRole } from './principal';
import { pageLimit, pathParam, single } from './query-params';

function kindFilter(req: Request): ObjectKind | undefined {
  const raw = single(req, 'class') ?? single(req, 'kind');
  if (raw === undefined) return undefined;
  if (!(OBJECT_KINDS as readonly string[]).includes(raw)) {
    throw new ApiError(400, 'API.INVALID_QUERY', `class must be one of ${OBJECT_KINDS.join(', ')}`);
  }
  return raw as ObjectKind;
}

/** What `/api/v1` needs besides the store. */
export interface ApiRouterOptions {
  store: Store;
  /** Counts failed authentications per source address. */
  limiter: AuthFailureLimiter;
  /** Re-runs the readiness checks of a site's current generation (operator action): how many findings, on which generation. */
  recomputeFindings: (siteId: string) => Promise<{ findings: number; generation: number } | undefined>;
  /** More routes that need an authenticated caller (mounted after authentication; check roles with `requireRole`). */
  authenticatedRoutes?: readonly Router[];
}

/**
 * `/api/v1`: organizations, sites, their objects, summaries and findings, and the audit log.
 * Only `openapi.json` is public; every other route authenticates, checks the role, and scopes
 * its reads to the caller's organizations in the store query. A site of another organization
 * is answered 404 exactly like a site that does not exist.
 */
export function apiRouter(options: ApiRouterOptions): Router {
  const { store } = options;
  const router = Router();

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  router.use(authenticate({ store, limiter: options.limiter }));

  router.get('/organizations', requireRole('viewer'), async (_req, res) => {
    res.json({ items: await store.organizations.list(principalOf(res).scope) });
  });

  router.get('/sites', requireRole('viewer'), async (_req, res) => {
    res.json({ items: await store.sites.listSites(principalOf(res).scope) });
  });

  router.get('/sites/:siteId', requireRole('viewer'), async (req, res) => {
    const site = await store.sites.getSite(pathParam(req, 'siteId'), principalOf(res).scope);
    if (!site) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    res.json(site);
  });

  router.get('/sites/:siteId/objects', requireRole('viewer'), async (req, res) => {
    const siteId = pathParam(req, 'siteId');
    const limit = pageLimit(req);
    const kind = kindFilter(req);
    const after = single(req, 'cursor');
    const { scope } = principalOf(res);
    // One answer for "missing" and "another organization's": existence must not leak.
    if (!(await store.sites.getSite(siteId, scope))) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    res.json(await store.objects.listObjects(siteId, { limit, ...(kind ? { kind } : {}), ...(after ? { after } : {}) }, scope));
  });

  router.get('/sites/:siteId/summary', requireRole('viewer'), async (req, res) => {
    const summary = await store.objects.summary(pathParam(req, 'siteId'), principalOf(res).scope);
    if (!summary) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    // The latest delta on the current generation (counts, USN range); null when none yet.
    const lastDelta = (await store.sync.lastDelta(summary.siteId)) ?? null;
    res.json({ ...summary, lastDelta });
  });

  router.post('/sites/:siteId/checks', requireRole('operator'), async (req, res) => {
    const site = await store.sites.getSite(pathParam(req, 'siteId'), principalOf(res).scope);
    if (!site) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    const result = await options.recomputeFindings(site.id);
    if (!result) throw new ApiError(409, 'API.NO_GENERATION', 'the site has no committed generation to check yet');
    // The generation the run checked: a snapshot may have committed while it waited its turn.
    res.json({ siteId: site.id, generation: result.generation, findings: result.findings });
  });

  router.use(findingsRouter(store));
  router.use(auditRouter(store));
  for (const routes of options.authenticatedRoutes ?? []) router.use(routes);

  router.use((_req, _res, next) => next(new ApiError(404, 'API.NOT_FOUND', 'no such API route')));
  return router;
}
