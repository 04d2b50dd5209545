import { type Store } from '@syncready/store';
import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { principalOf, requireRole, type Principal } from '../http/principal';
import { issueEnrollmentToken, TokenRequestError } from './token-issuer';

const createTokenSchema = z
  .object({
    /** Needed for a provider-level credential; defaults to the credential's organization. */
    organizationId: z.string().min(1).max(100).optional(),
    siteName: z.string().min(1).max(200).optional(),
    tenant: z.string().min(1).max(200).optional(),
    labels: z.array(z.string()).max(20).optional(),
    uses: z.number().int().optional(),
    expiresIn: z.string().max(10).optional(),
  })
  .strict();

function canSee(principal: Principal, organizationId: string): boolean {
  const ids = principal.scope.organizationIds;
  return ids === '*' || ids.includes(organizationId);
}

/**
 * Admin routes for enrollment tokens and agents (admin role; reads scoped in the store query;
 * another organization's token or agent is a 404). `disconnect` ends a revoked agent's live
 * session at once.
 */
export function enrollmentAdminRouter(store: Store, disconnect: (agentId: string) => void): Router {
  const router = Router();

  router.post('/enrollment-tokens', requireRole('admin'), async (req, res) => {
    const principal = principalOf(res);
    const parsed = createTokenSchema.safeParse(req.body);
    if (!parsed.success) throw new ApiError(400, 'API.INVALID_BODY', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const organizationId = parsed.data.organizationId ?? principal.organizationId;
    if (!organizationId) throw new ApiError(400, 'API.INVALID_BODY', 'organizationId is required for a provider-level credential');
    if (!canSee(principal, organizationId) || !(await store.organizations.get(organizationId, principal.scope))) throw new ApiError(404, 'API.NOT_FOUND', 'no such organization');
    try {
      const { token, record } = await issueEnrollmentToken(store, {
        organizationId,
        ...(parsed.data.siteName ? { siteName: parsed.data.siteName } : {}),
        ...(parsed.data.tenant ? { tenant: parsed.data.tenant } : {}),
        ...(parsed.data.labels ? { labels: parsed.data.labels } : {}),
        ...(parsed.data.uses !== undefined ? { uses: parsed.data.uses } : {}),
        ...(parsed.data.expiresIn ? { expiresIn: parsed.data.expiresIn } : {}),
        createdBy: principal.credentialId,
        sourceAddress: req.socket.remoteAddress ?? 'unknown',
      });
      // The only time the token text is ever returned.
      res.status(201).json({ ...record, token });
    } catch (err) {
      if (err instanceof TokenRequestError) throw new ApiError(400, 'API.INVALID_BODY', err.message);
      throw err;
    }
  });

  router.get('/enrollment-tokens', requireRole('admin'), async (_req, res) => {
    res.json({ items: await store.enrollmentTokens.list(principalOf(res).scope) });
  });

  router.delete('/enrollment-tokens/:tokenId', requireRole('admin'), async (req, res) => {
    const principal = principalOf(res);
    const token = await store.enrollmentTokens.revoke(String(req.params['tokenId'] ?? ''), principal.scope);
    if (!token) throw new ApiError(404, 'API.NOT_FOUND', 'no such enrollment token');
    await store.audit.record({ organizationId: token.organizationId, actor: principal.credentialId, event: 'enrollment_token.revoked', outcome: 'success', sourceAddress: req.socket.remoteAddress ?? 'unknown', detail: { tokenId: token.id } });
    res.json(token);
  });

  router.get('/agents', requireRole('admin'), async (_req, res) => {
    res.json({ items: await store.agents.list(principalOf(res).scope) });
  });

  router.post('/agents/:agentId/revoke', requireRole('admin'), async (req, res) => {
    const principal = principalOf(res);
    const agent = await store.agents.revoke(String(req.params['agentId'] ?? ''), principal.scope);
    if (!agent) throw new ApiError(404, 'API.NOT_FOUND', 'no such agent');
    disconnect(agent.id);
    await store.audit.record({ organizationId: agent.organizationId, actor: principal.credentialId, event: 'agent.revoked', outcome: 'success', sourceAddress: req.socket.remoteAddress ?? 'unknown', detail: { agentId: agent.id, hostName: agent.hostName } });
    res.json(agent);
  });

  return router;
}
