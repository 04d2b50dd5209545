import { readFileSync } from 'node:fs';
import { OBJECT_KINDS, type ObjectKind } from '@syncready/directory';
import { type LdapConnectionOptions } from '@syncready/ad-reader';
import { z } from 'zod';
import { defaultStateDir } from './enroll/agent-identity';
import { UsageError } from './exit-codes';

const kindSchema = z.enum(OBJECT_KINDS as [ObjectKind, ...ObjectKind[]]);

/** The agent's configuration file (JSON). Secrets may come from files or the environment. */
export const agentConfigSchema = z
  .object({
    server: z
      .object({
        /**
         * `wss://control-plane.example.com` (or `ws://` for local tests with allowInsecure).
         * @default the server the agent enrolled with
         */
        url: z.string().regex(/^wss?:\/\//i, 'server.url must start with wss:// (or ws:// with server.allowInsecure)').optional(),
        /** PEM file of the CA that issued the control plane's certificate. */
        caFile: z.string().optional(),
        /** SHA-256 pin of the server certificate's public key. @default the pin given at enrollment */
        caPin: z.string().optional(),
        /** Allow ws:// (no TLS). Only for a control plane on the same host. */
        allowInsecure: z.boolean().default(false),
        connectTimeoutMs: z.number().int().positive().default(15_000),
        /** How long to wait for the control plane to commit a finished snapshot. */
        commitTimeoutMs: z.number().int().positive().default(300_000),
        /** Reconnects wait a random time up to this, doubling per failure (full jitter). */
        reconnectBaseMs: z.number().int().positive().default(1000),
        /** Longest reconnect wait. */
        reconnectCapMs: z.number().int().positive().default(300_000),
        /** Longest random wait before reconnecting after a healthy session dropped. */
        reconnectAfterDropMs: z.number().int().min(0).default(30_000),
      })
      .strict()
      .default({ allowInsecure: false, connectTimeoutMs: 15_000, commitTimeoutMs: 300_000, reconnectBaseMs: 1000, reconnectCapMs: 300_000, reconnectAfterDropMs: 30_000 }),
    /** Where `syncready-agent enroll` left the identity. @default $SYNCREADY_STATE_DIR, else the platform's */
    stateDir: z.string().min(1).optional(),
    ldap: z
      .object({
        url: z.string().regex(/^ldaps?:\/\//i, 'ldap.url must start with ldaps:// or ldap://'),
        bindDn: z.string().min(1),
        /** File holding the bind password (first line); or SYNCREADY_LDAP_PASSWORD. */
        passwordFile: z.string().optional(),
        startTls: z.boolean().default(true),
        allowPlainLdap: z.boolean().default(false),
        tls: z
          .object({ caFile: z.string().optional(), serverName: z.string().optional(), verify: z.boolean().default(true) })
          .strict()
          .default({ verify: true }),
        baseDn: z.string().optional(),
        kinds: z.array(kindSchema).nonempty().optional(),
        filter: z.string().optional(),
        pageSize: z.number().int().min(1).max(5000).default(1000),
        /**
         * LDAP connections a full snapshot reads over at once, each searching uSNChanged ranges
         * (1 = one paged search).
         * @default 2
         */
        parallelism: z.number().int().min(1).max(8).default(2),
        timeoutMs: z.number().int().positive().default(120_000),
      })
      .strict(),
    snapshot: z
      .object({
        /** Objects per frame; frames are also split by size to stay under the frame limit. */
        batchSize: z.number().int().min(1).max(5000).default(500),
      })
      .strict()
      .default({ batchSize: 500 }),
    sync: z
      .object({
        /** Minutes between sync cycles of `run` (fractions allowed); --interval-minutes overrides. */
        intervalMinutes: z.number().positive().default(5),
        /**
         * A full snapshot every this many cycles, catching what deltas cannot see (an object
         * moved out of the search base); at most every 12 when tombstones cannot be read.
         * @default 288 (once a day at 5 minutes)
         */
        reconcileEveryCycles: z.number().int().min(1).default(288),
      })
      .strict()
      .default({ intervalMinutes: 5, reconcileEveryCycles: 288 }),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** The config with secrets and the state directory resolved. */
export interface ResolvedAgentConfig extends AgentConfig {
  readonly ldapPassword: string;
  readonly stateDir: string;
}

function readSecretFile(path: string, what: string): string {
  try {
    const first = readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
    if (first === '') throw new UsageError(`${what} file ${path} is empty`);
    return first;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Loads, validates and resolves the config once; every problem is a UsageError (exit 2). */
export function loadAgentConfig(path: string, env: NodeJS.ProcessEnv = process.env): ResolvedAgentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code ? `cannot read config file ${path} (${code}): pass --config FILE or set SYNCREADY_AGENT_CONFIG` : `config file ${path} is not valid JSON: ${(err as Error).message}`,
    );
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new UsageError(`config file ${path} is invalid:\n${problems}`);
  }
  const config = parsed.data;
  const ldapPassword =
    env['SYNCREADY_LDAP_PASSWORD'] ?? (config.ldap.passwordFile ? readSecretFile(config.ldap.passwordFile, 'ldap.passwordFile') : undefined);
  if (!ldapPassword) throw new UsageError('no LDAP password: set ldap.passwordFile in the config or SYNCREADY_LDAP_PASSWORD');
  if (config.server.url?.toLowerCase().startsWith('ws://') && !config.server.allowInsecure) {
    throw new UsageError('server.url is ws:// (no TLS): use wss://, or set server.allowInsecure for a control plane on this host');
  }
  return { ...config, ldapPassword, stateDir: config.stateDir ?? defaultStateDir(env) };
}

/**
 * The WebSocket URL to connect to: server.url, else the server the agent enrolled with.
 * Plain ws:// only with server.allowInsecure.
 */
export function resolveServerUrl(config: ResolvedAgentConfig, enrolledWith: string): string {
  const url = config.server.url ?? enrolledWith.replace(/^http(s?):/i, 'ws$1:');
  if (url.toLowerCase().startsWith('ws://') && !config.server.allowInsecure) {
    throw new UsageError(`the control plane ${url} is not TLS (ws://): use wss://, or set server.allowInsecure for a control plane on this host`);
  }
  return url;
}

/** How to reach and bind to the DC, as the config says: one mapping for every reader the agent opens. */
export function ldapConnection(config: ResolvedAgentConfig): LdapConnectionOptions {
  return {
    url: config.ldap.url,
    bindDn: config.ldap.bindDn,
    password: config.ldapPassword,
    startTls: config.ldap.startTls,
    allowPlainLdap: config.ldap.allowPlainLdap,
    tls: config.ldap.tls,
  };
}
