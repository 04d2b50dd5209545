import { parseArgs } from 'node:util';
import { ALL_ORGANIZATIONS, type Store } from '@syncready/store';
import { withConfiguredStore, type CommandOutput } from '../command-store';
import { ConfigError } from '../server-config';
import { issueEnrollmentToken, TokenRequestError } from './token-issuer';

/** Sub-commands handled here, by their first word. */
export const ENROLLMENT_COMMANDS = ['token', 'agent'] as const;

/** Usage lines, for `--help`. */
export const ENROLLMENT_USAGE = `  syncready-server token create --org NAME [--site NAME] [--labels a,b] [--uses N] [--expires 1h] [--tenant T] [--config FILE]
  syncready-server token revoke ID [--config FILE]
  syncready-server token list [--config FILE]
  syncready-server agent list [--config FILE]
  syncready-server agent revoke ID [--config FILE]`;

/**
 * `token …` and `agent …`, against the store named by the same config and environment as
 * `start`. A revoked agent is disconnected by the running server within a second (it checks
 * its live agents against the store).
 */
export async function runEnrollmentCommand(argv: readonly string[], output: CommandOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      org: { type: 'string' },
      site: { type: 'string' },
      labels: { type: 'string' },
      uses: { type: 'string' },
      expires: { type: 'string' },
      tenant: { type: 'string' },
    },
  });
  const [noun, verb, arg, ...extra] = positionals;
  if (extra.length > 0) throw new ConfigError(`unexpected arguments: ${extra.join(' ')}`);
  return withConfiguredStore(values.config, env, async (store) => {
    if (noun === 'token' && verb === 'create') return await createToken(store, values, output);
    if (noun === 'token' && verb === 'revoke') return await revokeToken(store, required(arg, 'ID'), output);
    if (noun === 'token' && verb === 'list') {
      for (const t of await store.enrollmentTokens.list(ALL_ORGANIZATIONS)) {
        const state = t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= Date.now() ? 'expired' : t.usesLeft === 0 ? 'used' : 'active';
        output.out([t.id, state, t.organizationId, t.siteName ?? '-', t.labels.join(',') || '-', `${t.usesLeft}/${t.usesTotal}`, t.expiresAt].join('\t'));
      }
      return 0;
    }
    if (noun === 'agent' && verb === 'list') {
      for (const a of await store.agents.list(ALL_ORGANIZATIONS)) {
        output.out([a.id, a.revokedAt ? 'revoked' : 'active', a.organizationId, a.siteId, a.hostName, a.installId, a.labels.join(',') || '-', a.lastSeenAt ?? '-'].join('\t'));
      }
      return 0;
    }
    if (noun === 'agent' && verb === 'revoke') return await revokeAgent(store, required(arg, 'ID'), output);
    throw new ConfigError(`unknown command "${positionals.join(' ')}"; see syncready-server --help`);
  });
}

async function createToken(
  store: Store,
  values: { org?: string | undefined; site?: string | undefined; labels?: string | undefined; uses?: string | undefined; expires?: string | undefined; tenant?: string | undefined },
  output: CommandOutput,
): Promise<number> {
  const orgName = required(values.org, '--org NAME');
  const org = await store.organizations.getByName(orgName);
  if (!org) throw new ConfigError(`no organization named "${orgName}"; create it with: syncready-server org create NAME`);
  const uses = values.uses === undefined ? 1 : Number(values.uses);
  try {
    const { token, record } = await issueEnrollmentToken(store, {
      organizationId: org.id,
      ...(values.site !== undefined ? { siteName: values.site } : {}),
      ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
      labels: (values.labels ?? '').split(',').map((l) => l.trim()).filter(Boolean),
      uses,
      expiresIn: values.expires ?? '1h',
      createdBy: 'cli',
    });
    output.err(`created enrollment token ${record.id} for ${orgName}${record.siteName ? `, site ${record.siteName}` : ''}: ${record.usesTotal} use(s) until ${record.expiresAt}; shown once:`);
    output.out(token);
    return 0;
  } catch (err) {
    if (err instanceof TokenRequestError) throw new ConfigError(err.message);
    throw err;
  }
}

async function revokeToken(store: Store, id: string, output: CommandOutput): Promise<number> {
  const token = await store.enrollmentTokens.revoke(id, ALL_ORGANIZATIONS);
  if (!token) throw new ConfigError(`no enrollment token ${id}`);
  await store.audit.record({ organizationId: token.organizationId, actor: 'cli', event: 'enrollment_token.revoked', outcome: 'success', detail: { tokenId: id } });
  output.err(`revoked ${id}; agents can no longer enroll with it (agents already enrolled stay)`);
  return 0;
}

async function revokeAgent(store: Store, id: string, output: CommandOutput): Promise<number> {
  const agent = await store.agents.revoke(id, ALL_ORGANIZATIONS);
  if (!agent) throw new ConfigError(`no agent ${id}`);
  await store.audit.record({ organizationId: agent.organizationId, actor: 'cli', event: 'agent.revoked', outcome: 'success', detail: { agentId: id, hostName: agent.hostName } });
  output.err(`revoked ${id} (${agent.hostName}); a running control plane disconnects it within a second and refuses it from now on`);
  return 0;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new ConfigError(`${what} is required`);
  return value;
}
