import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiCredentialsTable, StoreDatabase } from './database-schema';
import { inScope, type AccessScope } from './access-scope';
import { StoreError } from './store-error';

/** What a credential may do: read; read and operate; read, operate and manage its organizations. */
export type CredentialRole = 'viewer' | 'operator' | 'admin';

/** Every role, least privileged first. */
export const CREDENTIAL_ROLES: readonly CredentialRole[] = ['viewer', 'operator', 'admin'];

/**
 * Where a credential applies: one organization, or provider-level over a list of
 * organizations or all of them (`'*'`, including organizations created later).
 */
export type CredentialScope = { organizationId: string } | { provider: true; organizationIds: readonly string[] | '*' };

/** An API credential as the control plane sees it; never its secret. */
export interface ApiCredential {
  /** `cred_` followed by 32 hex digits; also part of the token. */
  id: string;
  name: string;
  role: CredentialRole;
  /** The organization of an organization-scoped credential; null for a provider-level one. */
  organizationId: string | null;
  /** The organizations the credential sees (for reads, pass `{ organizationIds }` as the scope). */
  organizationIds: readonly string[] | '*';
  createdAt: string;
  revokedAt: string | null;
}

/** A credential just created, with its token: shown once, never stored. */
export interface IssuedCredential {
  credential: ApiCredential;
  /** `srk_<id>_<secret>`: what a client sends as `Authorization: Bearer …`. */
  token: string;
}

/** API credentials: created, checked, listed, revoked. */
export interface CredentialRepository {
  /** Creates a credential. STORE.NOT_FOUND when an organization of the scope does not exist. */
  create(input: { name: string; role: CredentialRole; scope: CredentialScope }): Promise<IssuedCredential>;
  /**
   * Creates the first admin credential (provider-level over all organizations) when the store
   * holds no credential at all and none was ever bootstrapped; undefined otherwise. Safe when
   * replicas start together: exactly one creates it.
   */
  createBootstrap(): Promise<IssuedCredential | undefined>;
  /** The live (not revoked) credential a token belongs to, or undefined; compares in constant time. */
  authenticate(token: string): Promise<ApiCredential | undefined>;
  /** The credential with this id when `scope` covers it, revoked or not. */
  get(id: string, scope: AccessScope): Promise<ApiCredential | undefined>;
  /** Credentials `scope` covers (organization-scoped ones of its organizations; provider-level ones only for `'*'`), oldest first. */
  list(scope: AccessScope): Promise<ApiCredential[]>;
  /** Revokes a credential; false when it was already revoked. STORE.NOT_FOUND for an unknown id. */
  revoke(id: string): Promise<boolean>;
}

const TOKEN_PATTERN = /^srk_(cred_[0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** {@link CredentialRepository} over the query builder, for both dialects. */
export class KyselyCredentialRepository implements CredentialRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async create(input: { name: string; role: CredentialRole; scope: CredentialScope }): Promise<IssuedCredential> {
    const { name, role, scope } = input;
    if (name.trim() === '' || name.length > 200) throw new StoreError('STORE.INVALID_ARGUMENT', 'a credential name must be 1 to 200 characters');
    if (!CREDENTIAL_ROLES.includes(role)) throw new StoreError('STORE.INVALID_ARGUMENT', `role must be one of ${CREDENTIAL_ROLES.join(', ')}`);
    const wanted = 'organizationId' in scope ? [scope.organizationId] : scope.organizationIds === '*' ? [] : [...new Set(scope.organizationIds)];
    const issued = newSecret();
    await this.db.transaction().execute(async (trx) => {
      if (wanted.length > 0) {
        const found = await trx.selectFrom('organizations').select('id').where('id', 'in', wanted).execute();
        if (found.length !== wanted.length) throw new StoreError('STORE.NOT_FOUND', 'an organization of the scope does not exist');
      }
      await trx.insertInto('api_credentials').values(this.row(issued, name, role, scope)).execute();
      if (!('organizationId' in scope) && wanted.length > 0) {
        await trx
          .insertInto('api_credential_organizations')
          .values(wanted.map((organization_id) => ({ credential_id: issued.id, organization_id })))
          .execute();
      }
    });
    return { credential: await this.mustGet(issued.id), token: issued.token };
  }

  async createBootstrap(): Promise<IssuedCredential | undefined> {
    const issued = newSecret();
    const inserted = await this.db.transaction().execute(async (trx) => {
      const any = await trx.selectFrom('api_credentials').select('id').limit(1).executeTakeFirst();
      if (any !== undefined) return false;
      const result = await trx
        .insertInto('api_credentials')
        .values({ ...this.row(issued, 'bootstrap admin', 'admin', { provider: true, organizationIds: '*' }), bootstrap_key: 'bootstrap' })
        .onConflict((oc) => oc.column('bootstrap_key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
    return inserted ? { credential: await this.mustGet(issued.id), token: issued.token } : undefined;
  }

  async authenticate(token: string): Promise<ApiCredential | undefined> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match?.[1] || !match[2]) return undefined;
    const row = await this.db.selectFrom('api_credentials').selectAll().where('id', '=', match[1]).executeTakeFirst();
    // Hash compared in constant time: the id is not secret, the time taken must not tell how
    // close a guessed secret came.
    if (row === undefined || !timingSafeEqual(Buffer.from(row.secret_hash, 'hex'), sha256(match[2])) || row.revoked_at !== null) return undefined;
    return this.toCredential(row);
  }

  async get(id: string, scope: AccessScope): Promise<ApiCredential | undefined> {
    const row = await this.db
      .selectFrom('api_credentials')
      .selectAll()
      .where('id', '=', id)
      .where(inScope('organization_id', scope))
      .executeTakeFirst();
    return row === undefined ? undefined : this.toCredential(row);
  }

  async list(scope: AccessScope): Promise<ApiCredential[]> {
    const rows = await this.db
      .selectFrom('api_credentials')
      .selectAll()
      .where(inScope('organization_id', scope))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.toCredential(row)));
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_credentials')
      .set({ revoked_at: this.now().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    const exists = await this.db.selectFrom('api_credentials').select('id').where('id', '=', id).executeTakeFirst();
    if (exists === undefined) throw new StoreError('STORE.NOT_FOUND', `credential ${id} does not exist`);
    return false;
  }

  private row(issued: { id: string; hash: string }, name: string, role: CredentialRole, scope: CredentialScope): ApiCredentialsTable {
    const provider = !('organizationId' in scope);
    return {
      id: issued.id,
      name,
      role,
      organization_id: provider ? null : scope.organizationId,
      all_organizations: provider && scope.organizationIds === '*' ? 1 : 0,
      secret_hash: issued.hash,
      bootstrap_key: null,
      created_at: this.now().toISOString(),
      revoked_at: null,
    };
  }

  private async mustGet(id: string): Promise<ApiCredential> {
    const credential = await this.get(id, { organizationIds: '*' });
    if (credential === undefined) throw new Error(`credential ${id} vanished right after its insert`);
    return credential;
  }

  private async toCredential(row: ApiCredentialsTable): Promise<ApiCredential> {
    let organizationIds: readonly string[] | '*';
    if (row.organization_id !== null) organizationIds = [row.organization_id];
    else if (row.all_organizations === 1) organizationIds = '*';
    else {
      const managed = await this.db
        .selectFrom('api_credential_organizations')
        .select('organization_id')
        .where('credential_id', '=', row.id)
        .orderBy('organization_id')
        .execute();
      organizationIds = managed.map((m) => m.organization_id);
    }
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      organizationId: row.organization_id,
      organizationIds,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
    };
  }
}

function newSecret(): { id: string; token: string; hash: string } {
  const id = `cred_${randomUUID().replace(/-/g, '')}`;
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `srk_${id}_${secret}`, hash: sha256(secret).toString('hex') };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
