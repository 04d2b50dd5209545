import { type Store } from '@syncready/store';
import { Router } from 'express';
import { principalOf, requireRole } from './principal';
import { pageLimit, single } from './query-params';

/**
 * `GET /api/v1/audit`: security events, newest first (admin). An organization's admin sees
 * its organization's events; a provider-level admin those of the organizations it manages,
 * and events of no organization (failed authentications) only when it manages all of them.
 */
export function auditRouter(store: Store): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const limit = pageLimit(req);
    const after = single(req, 'cursor');
    res.json(await store.audit.list({ ...principalOf(res).scope, limit, ...(after ? { after } : {}) }));
  });
  return router;
}
