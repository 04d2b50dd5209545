import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A site known before any agent enrolls into it (its organization and tenant). Agents join
 * sites by enrolling (`syncready-server token create`); pre-shared site keys are gone.
 */
const siteSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** The Entra tenant the site's forest syncs to (e.g. contoso.onmicrosoft.com): its sites are checked together for duplicates. */
    tenant: z.string().min(1).optional(),
    /** The organization (customer) the site belongs to, created when missing; default: `default`. */
    organization: z.string().min(1).max(200).optional(),
  })
  .strict();

/** syncready-server configuration (JSON file, with environment overrides). */
export const serverConfigSchema = z
  .object({
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        /** 0 picks a free port (printed at start). */
        port: z.number().int().min(0).max(65535).default(8443),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8443 }),
    /** Serve HTTPS/WSS with this certificate; without it the server speaks plain HTTP/WS. */
    tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().optional(),
    store: z
      .discriminatedUnion('dialect', [
        z.object({ dialect: z.literal('sqlite'), filename: z.string().min(1) }).strict(),
        z.object({ dialect: z.literal('postgres'), connectionString: z.string().min(1), schema: z.string().optional() }).strict(),
      ])
      .default({ dialect: 'sqlite', filename: 'data/syncready.sqlite' }),
    /** Sites to create (or move) at start, with their organization and tenant. */
    sites: z.array(siteSchema).default([]),
    api: z
      .object({
        /** Failed authentications one source address may make per window before it gets 429. */
        authFailureLimit: z.number().int().min(1).max(100_000).default(20),
        /** Length of that window, in seconds. */
        authFailureWindowSeconds: z.number().int().min(1).max(86_400).default(60),
      })
      .strict()
      .default({ authFailureLimit: 20, authFailureWindowSeconds: 60 }),
    checks: z
      .object({
        /** Rule set the control plane runs when a generation is committed. */
        ruleSet: z.enum(['entra', 'idfix']).default('entra'),
        /**
         * Objects the sites' live checks may hold in memory together (least recently used site
         * out first; about 1–2.5 KB each), so a delta re-checks only its own objects. A site that
         * is not held is checked in full. 0 turns incremental checks off.
         */
        liveObjects: z.number().int().min(0).max(100_000_000).default(250_000),
      })
      .strict()
      .default({ ruleSet: 'entra', liveObjects: 250_000 }),
    gateway: z
      .object({
        /** Largest frame accepted from an agent, in bytes. */
        maxFrameBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
        /** An agent must say hello (and authenticate) within this time. */
        helloTimeoutMs: z.number().int().positive().default(10_000),
        /** Frames queued for the store per agent before the gateway stops reading its socket. */
        maxQueuedFrames: z.number().int().min(1).max(1000).default(8),
        /** Challenges and WebSocket upgrades per source address and minute. */
        authAttemptsPerMinute: z.number().int().min(1).max(1_000_000).default(120),
        /** `POST /api/v1/enroll` requests per source address and minute. */
        enrollAttemptsPerMinute: z.number().int().min(1).max(1_000_000).default(30),
        /** Heartbeat interval announced to agents; a peer silent for two intervals plus a second is dropped. */
        heartbeatIntervalMs: z.number().int().min(100).max(600_000).default(30_000),
        /** How long a partial snapshot of a disconnected agent waits to be resumed. */
        resumeWindowMs: z.number().int().min(0).max(3_600_000).default(300_000),
      })
      .strict()
      .default({
        maxFrameBytes: 4 * 1024 * 1024,
        helloTimeoutMs: 10_000,
        maxQueuedFrames: 8,
        authAttemptsPerMinute: 120,
        enrollAttemptsPerMinute: 30,
        heartbeatIntervalMs: 30_000,
        resumeWindowMs: 300_000,
      }),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** Invalid configuration: the server does not start (exit 2). */
export class ConfigError extends Error {
  readonly code = 'SERVER.CONFIG';
}

/**
 * Reads the config file (optional) and applies environment overrides:
 * SYNCREADY_LISTEN_PORT, SYNCREADY_STORE_FILE, SYNCREADY_DATABASE_URL (selects PostgreSQL).
 */
export function loadServerConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  let raw: Record<string, unknown> = {};
  if (path) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError(code ? `cannot read config file ${path} (${code})` : `config file ${path} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const parsed = serverConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new ConfigError(`config ${path ?? '(defaults)'} is invalid:\n${problems}`);
  }
  const config = parsed.data;
  if (env['SYNCREADY_LISTEN_PORT']) {
    const port = Number(env['SYNCREADY_LISTEN_PORT']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('SYNCREADY_LISTEN_PORT must be a port number');
    config.listen.port = port;
  }
  if (env['SYNCREADY_DATABASE_URL']) config.store = { dialect: 'postgres', connectionString: env['SYNCREADY_DATABASE_URL'] };
  else if (env['SYNCREADY_STORE_FILE']) config.store = { dialect: 'sqlite', filename: env['SYNCREADY_STORE_FILE'] };
  if (env['SYNCREADY_SITE_KEYS']) {
    throw new ConfigError('SYNCREADY_SITE_KEYS is no longer supported: agents enroll with a token (syncready-server token create --org NAME --site NAME)');
  }
  const names = new Set<string>();
  for (const site of config.sites) {
    if (names.has(site.name)) throw new ConfigError(`site "${site.name}" is configured twice`);
    names.add(site.name);
  }
  return config;
}
