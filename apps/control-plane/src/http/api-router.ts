import { OBJECT_KINDS, type ObjectKind } from '@syncready/directory';
import { type Store } from '@syncready/store';
import { Router, type Request } from 'express';
import { ApiError } from './api-error';
import { findingsRouter } from './findings-routes';
import { pageLimit, single } from './query-params';
import { openApiDocument } from './openapi';

function kindFilter(req: Request): ObjectKind | undefined {
  const raw = single(req, 'class') ?? single(req, 'kind');
  if (raw === undefined) return undefined;
  if (!(OBJECT_KINDS as readonly string[]).includes(raw)) {
    throw new ApiError(400, 'API.INVALID_QUERY', `class must be one of ${OBJECT_KINDS.join(', ')}`);
  }
  return raw as ObjectKind;
}

/** `/api/v1`: sites, their objects and summaries. */
export function apiRouter(store: Store): Router {
  const router = Router();

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  router.get('/sites', async (_req, res) => {
    res.json({ items: await store.sites.listSites() });
  });

  router.get('/sites/:siteId', async (req, res) => {
    const site = await store.sites.getSite(req.params['siteId'] ?? '');
    if (!site) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    res.json(site);
  });

  router.get('/sites/:siteId/objects', async (req, res) => {
    const siteId = req.params['siteId'] ?? '';
    const limit = pageLimit(req);
    const kind = kindFilter(req);
    const after = single(req, 'cursor');
    if (!(await store.sites.getSite(siteId))) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    const page = await store.objects.listObjects(siteId, { limit, ...(kind ? { kind } : {}), ...(after ? { after } : {}) });
    res.json(page);
  });

  router.get('/sites/:siteId/summary', async (req, res) => {
    const summary = await store.objects.summary(req.params['siteId'] ?? '');
    if (!summary) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    res.json(summary);
  });

  router.use(findingsRouter(store));

  router.use((_req, _res, next) => next(new ApiError(404, 'API.NOT_FOUND', 'no such API route')));
  return router;
}
