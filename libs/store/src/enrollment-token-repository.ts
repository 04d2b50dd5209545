import type { Kysely, Selectable, Transaction } from 'kysely';
import { inScope, type AccessScope } from './access-scope';
import type { EnrollmentTokensTable, StoreDatabase } from './database-schema';
import { StoreError } from './store-error';

/** An enrollment token as admins see it: never with its secret or the secret's hash. */
export interface EnrollmentToken {
  /** `etk_` followed by 24 hex digits; the public half of `set_<id>_<secret>`. */
  id: string;
  organizationId: string;
  /** The site agents enrolled with this token join; null: the agent names it (`--site`). */
  siteName: string | null;
  /** The Entra tenant given to the site at enrollment; null leaves the site's tenant alone. */
  tenant: string | null;
  labels: string[];
  usesTotal: number;
  usesLeft: number;
  /** ISO-8601. */
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** What {@link EnrollmentTokenRepository.create} stores. */
export interface NewEnrollmentToken {
  id: string;
  /** SHA-256 of the secret, hex (the caller hashes; the store never sees the secret). */
  secretHash: string;
  organizationId: string;
  siteName?: string | null;
  tenant?: string | null;
  labels?: readonly string[];
  /** @default 1 */
  uses?: number;
  expiresAt: Date;
  createdBy: string;
}

/** Why a token could not be used; each maps to its own error code at the edge. */
export type TokenRejection = 'unknown' | 'expired' | 'revoked' | 'used_up';

/** The outcome of consuming one use of a token. */
export type ConsumeResult = { ok: true; token: EnrollmentToken } | { ok: false; reason: TokenRejection };

/** Enrollment tokens: created by admins, consumed one use at a time by enrolling agents. */
export interface EnrollmentTokenRepository {
  create(input: NewEnrollmentToken): Promise<EnrollmentToken>;
  /** The token and its secret hash (for the constant-time comparison), or undefined. */
  getForVerification(id: string): Promise<{ token: EnrollmentToken; secretHash: string } | undefined>;
  /** Tokens of the organizations in scope, newest first. */
  list(scope: AccessScope): Promise<EnrollmentToken[]>;
  /** Revokes the token when it is in scope; undefined when there is no such token in scope. */
  revoke(id: string, scope: AccessScope): Promise<EnrollmentToken | undefined>;
  /**
   * Takes one use of the token, atomically: of any number of concurrent callers on a token
   * with n uses left, exactly n succeed (one conditional UPDATE; the row count decides).
   */
  consume(id: string): Promise<ConsumeResult>;
}

/** Hard upper bound of uses of one token (a typo must not create a fleet-wide secret). */
export const MAX_TOKEN_USES = 10_000;

/** {@link EnrollmentTokenRepository} over the query builder, for both dialects. */
export class KyselyEnrollmentTokenRepository implements EnrollmentTokenRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async create(input: NewEnrollmentToken): Promise<EnrollmentToken> {
    const uses = input.uses ?? 1;
    if (!Number.isInteger(uses) || uses < 1 || uses > MAX_TOKEN_USES) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `uses must be an integer from 1 to ${MAX_TOKEN_USES}`);
    }
    if (!/^etk_[0-9a-f]{24}$/.test(input.id)) throw new StoreError('STORE.INVALID_ARGUMENT', 'token id must be etk_ and 24 hex digits');
    const row = {
      id: input.id,
      secret_hash: input.secretHash,
      organization_id: input.organizationId,
      site_name: input.siteName ?? null,
      tenant: input.tenant ?? null,
      labels_json: JSON.stringify([...(input.labels ?? [])]),
      uses_total: uses,
      uses_left: uses,
      expires_at: input.expiresAt.toISOString(),
      created_at: this.now().toISOString(),
      created_by: input.createdBy,
      revoked_at: null,
      last_used_at: null,
    };
    await this.db.insertInto('enrollment_tokens').values(row).execute();
    return toToken(row);
  }

  async getForVerification(id: string): Promise<{ token: EnrollmentToken; secretHash: string } | undefined> {
    const row = await this.db.selectFrom('enrollment_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { token: toToken(row), secretHash: row.secret_hash };
  }

  async list(scope: AccessScope): Promise<EnrollmentToken[]> {
    const query = this.db.selectFrom('enrollment_tokens').selectAll().where(inScope('organization_id', scope));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(toToken);
  }

  async revoke(id: string, scope: AccessScope): Promise<EnrollmentToken | undefined> {
    const update = this.db.updateTable('enrollment_tokens').set({ revoked_at: this.now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).where(inScope('organization_id', scope));
    await update.execute();
    const select = this.db.selectFrom('enrollment_tokens').selectAll().where('id', '=', id).where(inScope('organization_id', scope));
    const row = await select.executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  consume(id: string): Promise<ConsumeResult> {
    return consumeTokenUse(this.db, id, this.now());
  }
}

/**
 * One use of token `id`, as a single conditional UPDATE: the row lock (PostgreSQL) or the
 * write lock (SQLite) serialises concurrent callers, and each re-checks `uses_left > 0`, so
 * no two of them can take the last use. On failure the row is read to name the reason.
 */
export async function consumeTokenUse(db: Kysely<StoreDatabase> | Transaction<StoreDatabase>, id: string, now: Date): Promise<ConsumeResult> {
  const at = now.toISOString();
  const result = await db
    .updateTable('enrollment_tokens')
    .set((eb) => ({ uses_left: eb('uses_left', '-', 1), last_used_at: at }))
    .where('id', '=', id)
    .where('uses_left', '>', 0)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  const row = await db.selectFrom('enrollment_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return { ok: false, reason: 'unknown' };
  if (Number(result.numUpdatedRows) === 1) return { ok: true, token: toToken(row) };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  if (Date.parse(row.expires_at) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: false, reason: 'used_up' };
}

function toToken(row: Selectable<EnrollmentTokensTable>): EnrollmentToken {
  return {
    id: row.id,
    organizationId: row.organization_id,
    siteName: row.site_name,
    tenant: row.tenant,
    labels: JSON.parse(row.labels_json) as string[],
    usesTotal: row.uses_total,
    usesLeft: row.uses_left,
    expiresAt: new Date(row.expires_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}
