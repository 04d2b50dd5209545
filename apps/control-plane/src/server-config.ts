import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A site the control plane accepts snapshots for, with its pre-shared key. */
const siteSchema = z
  .object({
    name: z.string().min(1).max(200),
    key: z.string().min(16, 'a site key must be at least 16 characters'),
    /** The Entra tenant the site's forest syncs to (e.g. contoso.onmicrosoft.com): its sites are checked together for duplicates. */
    tenant: z.string().min(1).optional(),
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
    /** Sites and their pre-shared keys (until enrollment replaces them). */
    sites: z.array(siteSchema).default([]),
    checks: z
      .object({
        /** Rule set the control plane runs when a generation is committed. */
        ruleSet: z.enum(['entra', 'idfix']).default('entra'),
      })
      .strict()
      .default({ ruleSet: 'entra' }),
    gateway: z
      .object({
        /** Largest frame accepted from an agent, in bytes. */
        maxFrameBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
        /** An agent must say hello (and authenticate) within this time. */
        helloTimeoutMs: z.number().int().positive().default(10_000),
        /** Frames queued for the store per agent before the gateway stops reading its socket. */
        maxQueuedFrames: z.number().int().min(1).max(1000).default(8),
      })
      .strict()
      .default({ maxFrameBytes: 4 * 1024 * 1024, helloTimeoutMs: 10_000, maxQueuedFrames: 8 }),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** Invalid configuration: the server does not start (exit 2). */
export class ConfigError extends Error {
  readonly code = 'SERVER.CONFIG';
}

/**
 * Reads the config file (optional) and applies environment overrides:
 * SYNCREADY_LISTEN_PORT, SYNCREADY_STORE_FILE, SYNCREADY_DATABASE_URL (selects PostgreSQL),
 * SYNCREADY_SITE_KEYS (`name=key,name2=key2`).
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
    for (const pair of env['SYNCREADY_SITE_KEYS'].split(',')) {
      const at = pair.indexOf('=');
      const site = siteSchema.safeParse({ name: pair.slice(0, at).trim(), key: pair.slice(at + 1).trim() });
      if (at <= 0 || !site.success) throw new ConfigError('SYNCREADY_SITE_KEYS must be name=key pairs separated by commas, keys at least 16 characters');
      config.sites.push(site.data);
    }
  }
  const names = new Set<string>();
  for (const site of config.sites) {
    if (names.has(site.name)) throw new ConfigError(`site "${site.name}" is configured twice`);
    names.add(site.name);
  }
  return config;
}
