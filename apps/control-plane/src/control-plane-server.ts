import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { type Store } from '@syncready/store';
import express from 'express';
import { applyConfiguredSites } from './admin/configured-sites';
import { runSiteFindings } from './findings/findings-runner';
import { FindingsScheduler } from './findings/findings-scheduler';
import { LiveCheckCache } from './findings/live-check-cache';
import { AGENT_CHALLENGE_PATH, ENROLL_PATH } from '@syncready/protocol';
import { enrollRouter } from './enrollment/enroll-route';
import { enrollmentAdminRouter } from './enrollment/enrollment-admin-routes';
import { syncRouter } from './http/sync-routes';
import { FixedWindowRateLimiter } from './enrollment/rate-limiter';
import { AgentGateway } from './gateway/agent-gateway';
import { challengeRouter } from './gateway/challenge-route';
import { NonceStore } from './gateway/nonce-store';
import { apiRouter } from './http/api-router';
import { errorHandler } from './http/api-error';
import { AuthFailureLimiter } from './http/auth-failure-limiter';
import { type ServerConfig } from './server-config';

/** A structured log line writer. */
export type Logger = (event: string, fields: Record<string, unknown>) => void;

/** The running control plane: HTTP API and agent gateway on one port. */
export interface ControlPlane {
  readonly url: string;
  readonly port: number;
  readonly gateway: AgentGateway;
  close(): Promise<void>;
}

/** Builds and starts the control plane on an already opened store. */
export async function startControlPlane(options: { config: ServerConfig; store: Store; version: string; log: Logger }): Promise<ControlPlane> {
  const { config, store, log } = options;
  const discarded = await store.snapshots.discardIncompleteGenerations();
  if (discarded > 0) log('store.discarded_incomplete', { generations: discarded });
  await applyConfiguredSites(store, config.sites);
  const tls = config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      // A JSON API: nothing it serves may run script, load anything or be framed.
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...(tls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
    });
    next();
  });
  // Public, unauthenticated entry points of agents: each rate limited per source address, the
  // enrollment body capped well below the API's. Mounted before the API's JSON parser.
  const nonces = new NonceStore();
  const authLimiter = new FixedWindowRateLimiter({ limit: config.gateway.authAttemptsPerMinute });
  app.use(ENROLL_PATH, enrollRouter({ store, limiter: new FixedWindowRateLimiter({ limit: config.gateway.enrollAttemptsPerMinute }), log }));
  app.use(AGENT_CHALLENGE_PATH, challengeRouter(nonces, new FixedWindowRateLimiter({ limit: config.gateway.authAttemptsPerMinute })));
  // The admin routes are built before the gateway they disconnect revoked agents through.
  const gatewayRef: { current?: AgentGateway } = {};
  app.use(express.json({ limit: '64kb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const limiter = new AuthFailureLimiter({ maxFailures: config.api.authFailureLimit, windowMs: config.api.authFailureWindowSeconds * 1000 });
  // Sites' live checks, so a delta re-checks its own objects only; rebuilt by any full run.
  const live = new LiveCheckCache(config.checks.liveObjects);
  const findings = new FindingsScheduler(
    async (siteId, work) => {
      const started = Date.now();
      const outcome = await runSiteFindings(store, siteId, config.checks.ruleSet, work, live);
      if (outcome) {
        const { result, mode, fallback } = outcome;
        log('findings.computed', { siteId, mode, ...(fallback ? { fallback } : {}), findings: result.findings.length, objects: result.summary.objectsChecked, liveObjects: live.objects, ms: Date.now() - started });
      }
      return outcome && { findings: outcome.result.findings.length, generation: outcome.generation };
    },
    (siteId, err) => log('findings.failed', { siteId, error: err instanceof Error ? err.message : String(err) }),
  );
  app.use(
    '/api/v1',
    apiRouter({
      store,
      limiter,
      // Through the scheduler: after any run under way, never beside it.
      recomputeFindings: (siteId) => findings.recompute(siteId),
      authenticatedRoutes: [
        enrollmentAdminRouter(store, (agentId) => gatewayRef.current?.disconnectRevoked(agentId)),
        syncRouter(store, (siteId, fullSnapshot, reason) => gatewayRef.current?.requestSync(siteId, fullSnapshot, reason) ?? []),
      ],
    }),
  );
  app.use(errorHandler(log));

  const server: Server = tls ? createTlsServer(tls, app) : createServer(app);
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  const gateway = new AgentGateway(server, {
    store,
    nonces,
    authLimiter,
    serverVersion: options.version,
    maxFrameBytes: config.gateway.maxFrameBytes,
    helloTimeoutMs: config.gateway.helloTimeoutMs,
    maxQueuedFrames: config.gateway.maxQueuedFrames,
    heartbeatIntervalMs: config.gateway.heartbeatIntervalMs,
    resumeWindowMs: config.gateway.resumeWindowMs,
    log,
    afterCommit: (siteId, change) => findings.request(siteId, change),
  });
  gatewayRef.current = gateway;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    gateway,
    async close() {
      await gateway.close();
      // Checks still running read the store, which the caller closes next.
      await findings.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
