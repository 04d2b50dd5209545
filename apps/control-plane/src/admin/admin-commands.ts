import { parseArgs } from 'node:util';
import { CREDENTIAL_ROLES, isStoreError, type CredentialRole, type CredentialScope, type Store } from '@syncready/store';
import { withConfiguredStore, type CommandOutput } from '../command-store';
import { ConfigError } from '../server-config';
import { formatCredential } from './credential-format';

/** Sub-commands handled here, by their first word. */
export const ADMIN_COMMANDS = ['org', 'credential'] as const;

/** Usage lines of the admin commands, for `--help`. */
export const ADMIN_USAGE = `  syncready-server org create NAME [--config FILE]
  syncready-server org list [--config FILE]
  syncready-server credential create (--org NAME | --provider (--orgs A,B | --all)) --role viewer|operator|admin --name LABEL [--config FILE]
  syncready-server credential revoke ID [--config FILE]
  syncready-server credential list [--config FILE]`;

/**
 * Runs `org …` / `credential …` against the store named by the same config and environment
 * as `start`, so it works beside a running server (SQLite in WAL mode, or PostgreSQL).
 * Returns the exit code; throws ConfigError for usage errors (exit 2).
 */
export async function runAdminCommand(argv: readonly string[], output: CommandOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      org: { type: 'string' },
      provider: { type: 'boolean', default: false },
      orgs: { type: 'string' },
      all: { type: 'boolean', default: false },
      role: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const [noun, verb, arg, ...extra] = positionals;
  if (extra.length > 0) throw new ConfigError(`unexpected arguments: ${extra.join(' ')}`);
  return withConfiguredStore(values.config, env, async (store) => {
    if (noun === 'org' && verb === 'create') return await createOrganization(store, required(arg, 'NAME'), output);
    if (noun === 'org' && verb === 'list') {
      for (const org of await store.organizations.list({ organizationIds: '*' })) output.out(`${org.id}\t${org.name}\t${org.createdAt}`);
      return 0;
    }
    if (noun === 'credential' && verb === 'create') return await createCredential(store, values, output);
    if (noun === 'credential' && verb === 'revoke') return await revokeCredential(store, required(arg, 'ID'), output);
    if (noun === 'credential' && verb === 'list') {
      const names = new Map((await store.organizations.list({ organizationIds: '*' })).map((o) => [o.id, o.name]));
      for (const credential of await store.credentials.list({ organizationIds: '*' })) output.out(formatCredential(credential, names));
      return 0;
    }
    throw new ConfigError(`unknown command "${positionals.join(' ')}"; see syncready-server --help`);
  });
}

async function createOrganization(store: Store, name: string, output: CommandOutput): Promise<number> {
  try {
    const org = await store.organizations.create(name);
    await store.audit.record({ organizationId: org.id, actor: 'cli', event: 'organization.created', outcome: 'success', detail: { name } });
    output.out(org.id);
    output.err(`created organization "${name}" (${org.id})`);
    return 0;
  } catch (error) {
    if (isStoreError(error, 'STORE.ALREADY_EXISTS') || isStoreError(error, 'STORE.INVALID_ARGUMENT')) throw new ConfigError(error.message);
    throw error;
  }
}

async function createCredential(
  store: Store,
  values: { org?: string | undefined; provider?: boolean | undefined; orgs?: string | undefined; all?: boolean | undefined; role?: string | undefined; name?: string | undefined },
  output: CommandOutput,
): Promise<number> {
  const role = values.role as CredentialRole | undefined;
  if (role === undefined || !CREDENTIAL_ROLES.includes(role)) throw new ConfigError(`--role must be one of ${CREDENTIAL_ROLES.join(', ')}`);
  const name = required(values.name, '--name');
  if ((values.org !== undefined) === Boolean(values.provider)) throw new ConfigError('give exactly one of --org NAME and --provider');
  let scope: CredentialScope;
  if (values.org !== undefined) {
    scope = { organizationId: await organizationId(store, values.org) };
  } else {
    if ((values.orgs !== undefined) === Boolean(values.all)) throw new ConfigError('--provider needs exactly one of --orgs A,B and --all');
    const ids: string[] = [];
    for (const orgName of (values.orgs ?? '').split(',').map((s) => s.trim()).filter(Boolean)) ids.push(await organizationId(store, orgName));
    if (!values.all && ids.length === 0) throw new ConfigError('--orgs must name at least one organization');
    scope = { provider: true, organizationIds: values.all ? '*' : ids };
  }
  const { credential, token } = await store.credentials.create({ name, role, scope });
  await store.audit.record({
    organizationId: credential.organizationId,
    actor: 'cli',
    event: 'credential.created',
    outcome: 'success',
    detail: { credentialId: credential.id, name, role, organizationIds: credential.organizationIds },
  });
  output.err(`created ${role} credential ${credential.id} ("${name}"); the secret below is shown once and stored only as a hash:`);
  output.out(token);
  return 0;
}

async function revokeCredential(store: Store, id: string, output: CommandOutput): Promise<number> {
  const credential = await store.credentials.get(id, { organizationIds: '*' });
  if (credential === undefined) throw new ConfigError(`no credential ${id}`);
  const revoked = await store.credentials.revoke(id);
  if (revoked) {
    await store.audit.record({ organizationId: credential.organizationId, actor: 'cli', event: 'credential.revoked', outcome: 'success', detail: { credentialId: id } });
  }
  output.err(revoked ? `revoked ${id}; it is refused from now on` : `${id} was already revoked`);
  return 0;
}

async function organizationId(store: Store, name: string): Promise<string> {
  const org = await store.organizations.getByName(name);
  if (org === undefined) throw new ConfigError(`no organization named "${name}"; create it with: syncready-server org create NAME`);
  return org.id;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new ConfigError(`${what} is required`);
  return value;
}
