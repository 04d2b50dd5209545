import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../store-dialect';

/**
 * Access control: organizations (customers) own sites; API credentials carry a role and a
 * scope (one organization, or provider-level over a list of organizations or all of them);
 * security events go to an append-only audit log.
 *
 * Sites that exist before this migration move to an organization named `default`, so that
 * an organization-scoped credential never sees a site nobody assigned.
 */
export function accessMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('organizations')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', dialect.timestampType, (col) => col.notNull())
        .execute();
      await db.schema.alterTable('sites').addColumn('organization_id', 'text', (col) => col.references('organizations.id')).execute();
      await db.schema.createIndex('sites_organization_idx').on('sites').column('organization_id').execute();

      const existing = await sql<{ n: number | string }>`select count(*) as n from sites`.execute(db);
      if (Number(existing.rows[0]?.n ?? 0) > 0) {
        const id = `org_${randomUUID().replace(/-/g, '')}`;
        await sql`insert into organizations (id, name, created_at) values (${id}, 'default', ${new Date().toISOString()})`.execute(db);
        await sql`update sites set organization_id = ${id} where organization_id is null`.execute(db);
      }

      await db.schema
        .createTable('api_credentials')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('role', 'text', (col) => col.notNull())
        // Null for a provider-level credential.
        .addColumn('organization_id', 'text', (col) => col.references('organizations.id'))
        // Provider-level over every organization, present and future.
        .addColumn('all_organizations', 'integer', (col) => col.notNull().defaultTo(0))
        // SHA-256 (hex) of the secret part of the token; the secret itself is never stored.
        .addColumn('secret_hash', 'text', (col) => col.notNull())
        // 'bootstrap' on the credential made at first start, null otherwise: the unique
        // constraint lets exactly one of several replicas starting together create it.
        .addColumn('bootstrap_key', 'text', (col) => col.unique())
        .addColumn('created_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('revoked_at', dialect.timestampType)
        .addCheckConstraint('api_credentials_role_check', sql`role in ('viewer', 'operator', 'admin')`)
        .execute();
      await db.schema
        .createTable('api_credential_organizations')
        .addColumn('credential_id', 'text', (col) => col.notNull().references('api_credentials.id').onDelete('cascade'))
        .addColumn('organization_id', 'text', (col) => col.notNull().references('organizations.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('api_credential_organizations_pkey', ['credential_id', 'organization_id'])
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', dialect.serialType, (col) => dialect.serialPrimaryKey(col))
        .addColumn('at', dialect.timestampType, (col) => col.notNull())
        // No foreign key: the log outlives what it talks about.
        .addColumn('organization_id', 'text')
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('source_address', 'text')
        .addColumn('detail_json', 'text', (col) => col.notNull())
        .addCheckConstraint('audit_events_outcome_check', sql`outcome in ('success', 'failure')`)
        .execute();
      await db.schema.createIndex('audit_events_organization_idx').on('audit_events').columns(['organization_id', 'id']).execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('audit_events').execute();
      await db.schema.dropTable('api_credential_organizations').execute();
      await db.schema.dropTable('api_credentials').execute();
      await db.schema.dropIndex('sites_organization_idx').execute();
      await db.schema.alterTable('sites').dropColumn('organization_id').execute();
      await db.schema.dropTable('organizations').execute();
    },
  };
}
