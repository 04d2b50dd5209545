import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { type Store } from '@syncready/store';
import express from 'express';
import { computeSiteFindings } from './findings/findings-runner';
import { AgentGateway } from './gateway/agent-gateway';
import { apiRouter } from './http/api-router';
import { errorHandler } from './http/api-error';
import { type ServerConfig } from './server-config';
import { SiteKeyring } from './site-keys';

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

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  });
  app.use(express.json({ limit: '64kb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/api/v1', apiRouter(store));
  app.use(errorHandler(log));

  const tls = config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined;
  const server: Server = tls ? createTlsServer(tls, app) : createServer(app);
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  const gateway = new AgentGateway(server, {
    store,
    keyring: new SiteKeyring(config.sites),
    serverVersion: options.version,
    maxFrameBytes: config.gateway.maxFrameBytes,
    helloTimeoutMs: config.gateway.helloTimeoutMs,
    maxQueuedFrames: config.gateway.maxQueuedFrames,
    log,
    afterCommit: async (siteId) => {
      const started = Date.now();
      const result = await computeSiteFindings(store, siteId, config.checks.ruleSet);
      if (result) log('findings.computed', { siteId, findings: result.findings.length, objects: result.summary.objectsChecked, ms: Date.now() - started });
    },
  });
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
