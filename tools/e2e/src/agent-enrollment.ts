import { join } from 'node:path';
import { runAgent, runServerCommand, tempDir, type AgentRun, type ServerProcess } from './processes';

/** What a token is created with (`syncready-server token create`). */
export interface TokenOptions {
  readonly org: string;
  readonly site?: string;
  readonly labels?: readonly string[];
  readonly uses?: number;
  readonly expires?: string;
  readonly tenant?: string;
}

/** Creates the organization when missing (`syncready-server org create`). */
export async function ensureOrganization(server: ServerProcess, org: string): Promise<void> {
  const list = await runServerCommand(['org', 'list'], server.storeFile);
  if (list.stdout.split('\n').some((line) => line.split('\t')[1] === org)) return;
  const created = await runServerCommand(['org', 'create', org], server.storeFile);
  if (created.code !== 0) throw new Error(`org create ${org} failed: ${created.stderr}`);
}

/** A fresh enrollment token from the server CLI (the organization is created when missing). */
export async function createToken(server: ServerProcess, options: TokenOptions): Promise<string> {
  await ensureOrganization(server, options.org);
  const args = ['token', 'create', '--org', options.org];
  if (options.site) args.push('--site', options.site);
  if (options.labels?.length) args.push('--labels', options.labels.join(','));
  if (options.uses !== undefined) args.push('--uses', String(options.uses));
  if (options.expires) args.push('--expires', options.expires);
  if (options.tenant) args.push('--tenant', options.tenant);
  const run = await runServerCommand(args, server.storeFile);
  const token = run.stdout.trim();
  if (run.code !== 0 || !/^set_\S+$/.test(token)) throw new Error(`token create failed (${run.code}): ${run.stderr}`);
  return token;
}

/** Runs `syncready-agent enroll` against the server; plain http is allowed explicitly. */
export function enroll(server: ServerProcess, token: string, stateDir: string, extra: string[] = []): Promise<AgentRun> {
  const insecure = server.url.startsWith('http:') ? ['--allow-insecure'] : [];
  return runAgent(['enroll', '--server', server.url, '--token', token, '--state-dir', stateDir, ...insecure, ...extra]);
}

/** The agent id an enrollment printed. */
export function enrolledAgentId(run: AgentRun): string {
  const id = /enrolled as (agt_[0-9a-f]{32})/.exec(run.stdout)?.[1];
  if (!id) throw new Error(`no agent id in: ${run.stdout}${run.stderr}`);
  return id;
}

/**
 * Enrolls a fresh agent state directory into `site` of `org` with a single-use token and
 * returns the directory (for `stateDir` in the agent config).
 */
export async function enrollNewAgent(server: ServerProcess, options: { org: string; site: string; tenant?: string }): Promise<{ stateDir: string; agentId: string }> {
  const stateDir = join(tempDir('agent-state'), 'state');
  const token = await createToken(server, { org: options.org, site: options.site, ...(options.tenant ? { tenant: options.tenant } : {}) });
  const run = await enroll(server, token, stateDir);
  if (run.code !== 0) throw new Error(`enroll failed (${run.code}): ${run.stderr}`);
  return { stateDir, agentId: enrolledAgentId(run) };
}
