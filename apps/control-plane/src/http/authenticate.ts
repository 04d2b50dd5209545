import { type Store } from '@syncready/store';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from './api-error';
import { type AuthFailureLimiter } from './auth-failure-limiter';
import { principalFor, setPrincipal } from './principal';

/** Why a request failed authentication, as recorded in the audit log. */
export type AuthFailureReason = 'missing' | 'malformed' | 'unknown_or_revoked';

/** The peer's address as the socket sees it (no proxy headers are trusted). */
export function sourceAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Middleware: requires `Authorization: Bearer srk_…` naming a live credential and puts its
 * principal on the response. Every failure is answered 401 API.UNAUTHENTICATED (one answer
 * for every reason, so a caller learns nothing about which part was wrong), counted for the
 * source address and audited as `credential.auth_failed`; an address over its limit gets
 * 429 API.RATE_LIMITED with Retry-After before its credential is even looked at.
 */
export function authenticate(options: { store: Store; limiter: AuthFailureLimiter }): RequestHandler {
  const { store, limiter } = options;
  return async (req: Request, res: Response, next: NextFunction) => {
    const address = sourceAddress(req);
    const retryAfter = limiter.retryAfterSeconds(address);
    if (retryAfter > 0) {
      res.set('Retry-After', String(retryAfter));
      throw new ApiError(429, 'API.RATE_LIMITED', `too many failed authentications from this address; retry in ${retryAfter} s`);
    }
    const header = req.get('authorization');
    const match = header === undefined ? null : /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    const credential = match?.[1] === undefined ? undefined : await store.credentials.authenticate(match[1]);
    if (credential === undefined) {
      const reason: AuthFailureReason = header === undefined ? 'missing' : match === null ? 'malformed' : 'unknown_or_revoked';
      limiter.recordFailure(address);
      await store.audit.record({
        organizationId: null,
        actor: 'anonymous',
        event: 'credential.auth_failed',
        outcome: 'failure',
        sourceAddress: address,
        detail: { reason, method: req.method, path: req.originalUrl.split('?')[0] ?? '' },
      });
      res.set('WWW-Authenticate', 'Bearer realm="syncready"');
      throw new ApiError(401, 'API.UNAUTHENTICATED', 'a valid API credential is required (Authorization: Bearer srk_…)');
    }
    setPrincipal(res, principalFor(credential));
    next();
  };
}
