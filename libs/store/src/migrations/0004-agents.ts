import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../store-dialect';

/**
 * Enrollment tokens and enrolled agents. Agents replace the pre-shared site keys: each one
 * holds an Ed25519 key pair and is bound to one site of one organization.
 *
 * `organization_id` is plain text rather than a foreign key to `organizations`, so that an
 * agent or token row never blocks the removal of an organization the access-control side
 * manages; the repositories scope every read by it.
 */
export function agentsMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('enrollment_tokens')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('secret_hash', 'text', (col) => col.notNull())
        .addColumn('organization_id', 'text', (col) => col.notNull())
        .addColumn('site_name', 'text')
        .addColumn('tenant', 'text')
        .addColumn('labels_json', 'text', (col) => col.notNull())
        .addColumn('uses_total', 'integer', (col) => col.notNull())
        .addColumn('uses_left', 'integer', (col) => col.notNull())
        .addColumn('expires_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('created_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('revoked_at', dialect.timestampType)
        .addColumn('last_used_at', dialect.timestampType)
        .addCheckConstraint('enrollment_tokens_uses_check', sql`uses_left >= 0 and uses_left <= uses_total`)
        .execute();
      await db.schema.createIndex('enrollment_tokens_org_idx').on('enrollment_tokens').column('organization_id').execute();

      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('organization_id', 'text', (col) => col.notNull())
        .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('public_key', 'text', (col) => col.notNull().unique())
        .addColumn('host_name', 'text', (col) => col.notNull())
        .addColumn('install_id', 'text', (col) => col.notNull())
        .addColumn('computer_guid', 'text')
        .addColumn('labels_json', 'text', (col) => col.notNull())
        .addColumn('token_id', 'text')
        .addColumn('enrolled_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('revoked_at', dialect.timestampType)
        .addColumn('last_seen_at', dialect.timestampType)
        .execute();
      await db.schema.createIndex('agents_org_idx').on('agents').columns(['organization_id', 'site_id']).execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('agents').execute();
      await db.schema.dropTable('enrollment_tokens').execute();
    },
  };
}
