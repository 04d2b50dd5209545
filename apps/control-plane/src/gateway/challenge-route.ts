import { Router } from 'express';
import { ApiError } from '../http/api-error';
import { type FixedWindowRateLimiter } from '../enrollment/rate-limiter';
import { type NonceStore } from './nonce-store';

/** `GET /agent/v1/challenge`: a single-use nonce for the next upgrade; rate limited per address. */
export function challengeRouter(nonces: NonceStore, limiter: FixedWindowRateLimiter): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (!limiter.take(req.socket.remoteAddress ?? 'unknown')) throw new ApiError(429, 'AGENT.RATE_LIMITED', 'too many challenges from this address');
    const nonce = nonces.issue();
    if (nonce === undefined) throw new ApiError(503, 'AGENT.BUSY', 'too many outstanding challenges; retry shortly');
    res.json({ nonce });
  });
  return router;
}
