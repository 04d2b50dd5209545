import { EnrollErrorCode, type EnrollResponse } from '@syncready/protocol';
import { type EnrollRejection, type Store } from '@syncready/store';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { parseEnrollmentToken, secretMatches } from './enrollment-secret';
import { type FixedWindowRateLimiter } from './rate-limiter';

/** Largest enrollment request body. @default 8 KiB */
export const MAX_ENROLL_BODY = '8kb';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const enrollBodySchema = z
  .object({
    token: z.string().max(200),
    /** Raw 32-byte Ed25519 public key, base64. */
    publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'publicKey must be a raw 32-byte Ed25519 key in base64'),
    hostName: z.string().min(1).max(255).regex(/^[A-Za-z0-9._-]+$/, 'hostName must be a DNS name'),
    installId: z.string().regex(GUID, 'installId must be a GUID'),
    computerObjectGuid: z.string().regex(GUID, 'computerObjectGuid must be a GUID').optional(),
    siteName: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Each refusal, as the agent sees it: a status and a stable code. */
const REFUSALS: Readonly<Record<EnrollRejection, { status: number; code: EnrollErrorCode; message: string }>> = {
  unknown: { status: 401, code: EnrollErrorCode.TOKEN_UNKNOWN, message: 'the enrollment token is not known' },
  expired: { status: 401, code: EnrollErrorCode.TOKEN_EXPIRED, message: 'the enrollment token has expired: ask the admin for a new one' },
  revoked: { status: 401, code: EnrollErrorCode.TOKEN_REVOKED, message: 'the enrollment token was revoked' },
  used_up: { status: 401, code: EnrollErrorCode.TOKEN_USED_UP, message: 'the enrollment token has no uses left' },
  site_required: { status: 400, code: EnrollErrorCode.SITE_REQUIRED, message: 'the token names no site: pass --site NAME' },
  site_not_allowed: { status: 403, code: EnrollErrorCode.SITE_NOT_ALLOWED, message: 'the token is for another site than --site names' },
  site_conflict: { status: 409, code: EnrollErrorCode.SITE_CONFLICT, message: 'a site of this name belongs to another organization' },
  key_in_use: { status: 409, code: EnrollErrorCode.KEY_IN_USE, message: 'this public key is already enrolled' },
};

/** What the enrollment endpoint needs. */
export interface EnrollRouteOptions {
  readonly store: Store;
  /** Enrollment attempts per source address and minute. */
  readonly limiter: FixedWindowRateLimiter;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * `POST /api/v1/enroll`: public (the token is the credential), rate limited per source
 * address, body capped at {@link MAX_ENROLL_BODY}. Every refusal has its own code and an audit
 * entry; the token itself is never logged, only its id once the format is right.
 */
export function enrollRouter(options: EnrollRouteOptions): Router {
  const { store } = options;
  const router = Router();
  router.post('/', (req, _res, next) => {
    if (options.limiter.take(req.socket.remoteAddress ?? 'unknown')) return next();
    next(new ApiError(429, EnrollErrorCode.RATE_LIMITED, 'too many enrollment attempts from this address: wait a minute'));
  });
  router.post('/', express.json({ limit: MAX_ENROLL_BODY, type: () => true }));
  router.post('/', async (req: Request, res: Response) => {
    const sourceAddress = req.socket.remoteAddress ?? 'unknown';
    const refuse = async (status: number, code: string, message: string, organizationId: string | null, detail: Record<string, unknown>): Promise<never> => {
      await store.audit.record({ organizationId, actor: 'anonymous', event: 'enrollment_token.rejected', outcome: 'failure', sourceAddress, detail: { code, ...detail } });
      throw new ApiError(status, code, message);
    };
    const parsed = enrollBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      return refuse(400, EnrollErrorCode.MALFORMED, `malformed enrollment request: ${problems}`, null, { problems: parsed.error.issues.map((i) => i.path.join('.')) });
    }
    const body = parsed.data;
    const token = parseEnrollmentToken(body.token);
    if (!token) return refuse(400, EnrollErrorCode.MALFORMED, 'the enrollment token is not of the form set_<id>_<secret>', null, {});
    const stored = await store.enrollmentTokens.getForVerification(token.id);
    if (!stored || !secretMatches(token.secret, stored.secretHash)) {
      const refusal = REFUSALS.unknown;
      return refuse(refusal.status, refusal.code, refusal.message, stored?.token.organizationId ?? null, { tokenId: token.id });
    }
    const result = await store.agents.enroll({
      tokenId: token.id,
      publicKey: body.publicKey,
      hostName: body.hostName,
      installId: body.installId,
      computerGuid: body.computerObjectGuid?.toLowerCase() ?? null,
      ...(body.siteName !== undefined ? { siteName: body.siteName } : {}),
    });
    if (!result.ok) {
      const refusal = REFUSALS[result.reason];
      return refuse(refusal.status, refusal.code, refusal.message, stored.token.organizationId, { tokenId: token.id, hostName: body.hostName });
    }
    const { agent, site } = result;
    await store.audit.record({ organizationId: agent.organizationId, actor: agent.id, event: 'enrollment_token.consumed', outcome: 'success', sourceAddress, detail: { tokenId: token.id, usesLeft: result.tokenUsesLeft } });
    await store.audit.record({
      organizationId: agent.organizationId,
      actor: agent.id,
      event: 'agent.enrolled',
      outcome: 'success',
      sourceAddress,
      detail: { agentId: agent.id, siteId: site.id, siteName: site.name, hostName: agent.hostName, installId: agent.installId, computerGuid: agent.computerGuid, tokenId: token.id },
    });
    options.log('agent.enrolled', { agentId: agent.id, siteId: site.id, hostName: agent.hostName, tokenId: token.id, remoteAddress: sourceAddress });
    const answer: EnrollResponse = { agentId: agent.id, siteId: site.id, siteName: site.name, organizationId: agent.organizationId };
    res.status(201).json(answer);
  });
  // A JSON body the parser refused (too large, not JSON) is a malformed enrollment, audited too.
  router.use(async (err: unknown, req: Request, _res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (err instanceof ApiError || typeof e.type !== 'string') return next(err);
    await store.audit
      .record({ organizationId: null, actor: 'anonymous', event: 'enrollment_token.rejected', outcome: 'failure', sourceAddress: req.socket.remoteAddress ?? 'unknown', detail: { code: EnrollErrorCode.MALFORMED, parser: e.type } })
      .catch(() => undefined);
    next(new ApiError(e.status === 413 ? 413 : 400, EnrollErrorCode.MALFORMED, e.type === 'entity.too.large' ? `the enrollment request exceeds ${MAX_ENROLL_BODY}` : 'the enrollment request is not valid JSON'));
  });
  return router;
}
