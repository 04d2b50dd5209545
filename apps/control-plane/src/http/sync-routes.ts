import { type Store } from '@syncready/store';
import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from './api-error';
import { principalOf, requireRole } from './principal';
import { pathParam } from './query-params';

/** Asks a site's connected agents to run a cycle now; returns the agents asked. */
export type RequestSync = (siteId: string, fullSnapshot: boolean, reason: string) => readonly { agentId: string; hostName: string }[];

const syncRequestSchema = z
  .object({
    /** `delta`: the changes since the last commit (when the agent's cursor allows); `full`: a full snapshot (resync). */
    mode: z.enum(['delta', 'full']).default('delta'),
  })
  .strict();

/**
 * `POST /sites/:siteId/sync` (operator): "sync now" and "resync" without waiting for the
 * agent's interval. The request goes over the agent's open session; the cycle's result shows
 * in the site summary when it is committed. 409 when no agent of the site is connected (its
 * next cycle then comes at its interval). Audited either way.
 */
export function syncRouter(store: Store, requestSync: RequestSync): Router {
  const router = Router();

  router.post('/sites/:siteId/sync', requireRole('operator'), async (req, res) => {
    const principal = principalOf(res);
    const site = await store.sites.getSite(pathParam(req, 'siteId'), principal.scope);
    if (!site) throw new ApiError(404, 'API.NOT_FOUND', 'no such site');
    // No body (or an empty one) asks for a delta.
    const parsed = syncRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ApiError(400, 'API.INVALID_BODY', `${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')} (send {"mode": "delta"} or {"mode": "full"})`);
    const { mode } = parsed.data;
    const agents = requestSync(site.id, mode === 'full', `${mode === 'full' ? 'resync' : 'sync now'} requested by credential ${principal.credentialId}`);
    await store.audit.record({
      organizationId: site.organizationId,
      actor: principal.credentialId,
      event: 'site.sync_requested',
      outcome: agents.length > 0 ? 'success' : 'failure',
      sourceAddress: req.socket.remoteAddress ?? 'unknown',
      detail: { siteId: site.id, mode, agents: agents.map((a) => a.agentId) },
    });
    if (agents.length === 0) {
      throw new ApiError(409, 'API.AGENT_NOT_CONNECTED', `no agent of site ${site.id} is connected with a version that takes sync requests; its next cycle runs at its interval`);
    }
    res.status(202).json({ siteId: site.id, mode, agents });
  });

  return router;
}
