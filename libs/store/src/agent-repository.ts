import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AgentsTable, StoreDatabase } from './database-schema';
import { inScope, type AccessScope } from './access-scope';
import { consumeTokenUse, type TokenRejection } from './enrollment-token-repository';

/** An enrolled agent: one installation on one host, bound to one site of one organization. */
export interface Agent {
  /** `agt_` followed by 32 hex digits. */
  id: string;
  organizationId: string;
  siteId: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  hostName: string;
  /** Random id the agent persisted at its first enrollment on this host. */
  installId: string;
  /** The AD computer object's objectGUID, when the agent knew it. */
  computerGuid: string | null;
  labels: string[];
  /** The token the agent enrolled with. */
  tokenId: string | null;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

/** What an enrolling agent presents, after the edge has verified the token's secret. */
export interface EnrollInput {
  tokenId: string;
  /** The site the agent asked for (`--site`); the token's own site wins and must not differ. */
  siteName?: string;
  publicKey: string;
  hostName: string;
  installId: string;
  computerGuid?: string | null;
}

/** Why an enrollment was refused. */
export type EnrollRejection =
  | TokenRejection
  /** The token names a site and the agent asked for another. */
  | 'site_not_allowed'
  /** Neither the token nor the agent named a site. */
  | 'site_required'
  /** The site name is taken by another organization. */
  | 'site_conflict'
  /** An agent with this public key is already enrolled. */
  | 'key_in_use';

/** Outcome of {@link AgentRepository.enroll}. */
export type EnrollResult =
  | { ok: true; agent: Agent; site: { id: string; name: string }; tokenUsesLeft: number }
  | { ok: false; reason: EnrollRejection };

/** Enrolled agents. */
export interface AgentRepository {
  /**
   * Consumes one use of the token, finds or creates the site (in the token's organization)
   * and registers the agent, in one transaction: a refused enrollment takes no use.
   */
  enroll(input: EnrollInput): Promise<EnrollResult>;
  get(id: string): Promise<Agent | undefined>;
  /** Agents of the organizations in scope, ordered by enrollment. */
  list(scope: AccessScope): Promise<Agent[]>;
  /** Marks the agent revoked when in scope; undefined when there is no such agent in scope. */
  revoke(id: string, scope: AccessScope): Promise<Agent | undefined>;
  /** Records that the agent just authenticated. */
  touch(id: string): Promise<void>;
  /** Those of `ids` that are revoked (the gateway's check of its live sessions). */
  revokedAmong(ids: readonly string[]): Promise<string[]>;
}

/** Thrown inside the enrollment transaction to roll it back with a reason. */
class Refused extends Error {
  constructor(readonly reason: EnrollRejection) {
    super(reason);
  }
}

/** {@link AgentRepository} over the query builder, for both dialects. */
export class KyselyAgentRepository implements AgentRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async enroll(input: EnrollInput): Promise<EnrollResult> {
    const now = this.now();
    try {
      return await this.db.transaction().execute(async (trx): Promise<EnrollResult> => {
        const used = await consumeTokenUse(trx, input.tokenId, now);
        if (!used.ok) throw new Refused(used.reason);
        const token = used.token;
        if (token.siteName !== null && input.siteName !== undefined && input.siteName !== token.siteName) throw new Refused('site_not_allowed');
        const siteName = token.siteName ?? input.siteName;
        if (siteName === undefined || siteName.trim() === '') throw new Refused('site_required');
        await trx
          .insertInto('sites')
          .values({ id: `site_${randomBytes(16).toString('hex')}`, name: siteName, created_at: now.toISOString(), last_snapshot_at: null, tenant: token.tenant, organization_id: token.organizationId })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        const site = await trx.selectFrom('sites').select(['id', 'name', 'organization_id']).where('name', '=', siteName).executeTakeFirstOrThrow();
        // Site names are unique per control plane: a name another organization holds is not ours.
        if (site.organization_id !== token.organizationId) throw new Refused('site_conflict');
        if (token.tenant !== null) await trx.updateTable('sites').set({ tenant: token.tenant }).where('id', '=', site.id).execute();
        const taken = await trx.selectFrom('agents').select('id').where('public_key', '=', input.publicKey).executeTakeFirst();
        if (taken) throw new Refused('key_in_use');
        const row: Selectable<AgentsTable> = {
          id: `agt_${randomBytes(16).toString('hex')}`,
          organization_id: token.organizationId,
          site_id: site.id,
          public_key: input.publicKey,
          host_name: input.hostName,
          install_id: input.installId,
          computer_guid: input.computerGuid ?? null,
          labels_json: JSON.stringify(token.labels),
          token_id: token.id,
          enrolled_at: now.toISOString(),
          revoked_at: null,
          last_seen_at: null,
        };
        await trx.insertInto('agents').values(row).execute();
        return { ok: true, agent: toAgent(row), site: { id: site.id, name: site.name }, tokenUsesLeft: token.usesLeft };
      });
    } catch (err) {
      if (err instanceof Refused) return { ok: false, reason: err.reason };
      throw err;
    }
  }

  async get(id: string): Promise<Agent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toAgent(row);
  }

  async list(scope: AccessScope): Promise<Agent[]> {
    const query = this.db.selectFrom('agents').selectAll().where(inScope('organization_id', scope));
    return (await query.orderBy('enrolled_at').orderBy('id').execute()).map(toAgent);
  }

  async revoke(id: string, scope: AccessScope): Promise<Agent | undefined> {
    const update = this.db.updateTable('agents').set({ revoked_at: this.now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).where(inScope('organization_id', scope));
    await update.execute();
    const select = this.db.selectFrom('agents').selectAll().where('id', '=', id).where(inScope('organization_id', scope));
    const row = await select.executeTakeFirst();
    return row === undefined ? undefined : toAgent(row);
  }

  async revokedAmong(ids: readonly string[]): Promise<string[]> {
    const revoked: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.db.selectFrom('agents').select('id').where('id', 'in', chunk).where('revoked_at', 'is not', null).execute();
      revoked.push(...rows.map((r) => r.id));
    }
    return revoked;
  }

  async touch(id: string): Promise<void> {
    await this.db.updateTable('agents').set({ last_seen_at: this.now().toISOString() }).where('id', '=', id).execute();
  }
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function toAgent(row: Selectable<AgentsTable>): Agent {
  return {
    id: row.id,
    organizationId: row.organization_id,
    siteId: row.site_id,
    publicKey: row.public_key,
    hostName: row.host_name,
    installId: row.install_id,
    computerGuid: row.computer_guid,
    labels: JSON.parse(row.labels_json) as string[],
    tokenId: row.token_id,
    enrolledAt: new Date(row.enrolled_at).toISOString(),
    revokedAt: iso(row.revoked_at),
    lastSeenAt: iso(row.last_seen_at),
  };
}
