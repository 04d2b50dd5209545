import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { inScope, type AccessScope } from './access-scope';
import { StoreError } from './store-error';

/** A customer: it owns sites, and organization-scoped credentials see only its data. */
export interface Organization {
  /** `org_` followed by 32 hex digits. */
  id: string;
  /** Unique per control plane. */
  name: string;
  /** ISO-8601. */
  createdAt: string;
}

/** Longest organization name accepted. */
export const MAX_ORGANIZATION_NAME = 200;

/** Organizations, keyed by id and by unique name. */
export interface OrganizationRepository {
  /** Creates an organization. STORE.ALREADY_EXISTS when the name is taken; STORE.INVALID_ARGUMENT for a blank or overlong name. */
  create(name: string): Promise<Organization>;
  /** The organization with this name, created when missing; safe to call concurrently. */
  ensure(name: string): Promise<Organization>;
  /** The organization with this name, or undefined. */
  getByName(name: string): Promise<Organization | undefined>;
  /** The organization with this id when `scope` covers it, else undefined. */
  get(id: string, scope: AccessScope): Promise<Organization | undefined>;
  /** The organizations `scope` covers, ordered by name. */
  list(scope: AccessScope): Promise<Organization[]>;
}

/** {@link OrganizationRepository} over the query builder, for both dialects. */
export class KyselyOrganizationRepository implements OrganizationRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async create(name: string): Promise<Organization> {
    const inserted = await this.insert(name);
    if (inserted === undefined) throw new StoreError('STORE.ALREADY_EXISTS', `organization "${name}" already exists`);
    return inserted;
  }

  async ensure(name: string): Promise<Organization> {
    await this.insert(name);
    const organization = await this.getByName(name);
    if (organization === undefined) throw new Error(`organization ${name} vanished right after its upsert`);
    return organization;
  }

  async getByName(name: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : toOrganization(row);
  }

  async get(id: string, scope: AccessScope): Promise<Organization | undefined> {
    const row = await this.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', id)
      .where(inScope('id', scope))
      .executeTakeFirst();
    return row === undefined ? undefined : toOrganization(row);
  }

  async list(scope: AccessScope): Promise<Organization[]> {
    const rows = await this.db
      .selectFrom('organizations')
      .selectAll()
      .where(inScope('id', scope))
      .orderBy('name')
      .execute();
    return rows.map(toOrganization);
  }

  /** Inserts unless the name is taken; the row when this call inserted it. */
  private async insert(name: string): Promise<Organization | undefined> {
    if (name.trim() === '' || name.length > MAX_ORGANIZATION_NAME) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `an organization name must be 1 to ${MAX_ORGANIZATION_NAME} characters`);
    }
    const row = { id: `org_${randomUUID().replace(/-/g, '')}`, name, created_at: this.now().toISOString() };
    const result = await this.db
      .insertInto('organizations')
      .values(row)
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? toOrganization(row) : undefined;
  }
}

function toOrganization(row: { id: string; name: string; created_at: string }): Organization {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
