import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../store-dialect';

/**
 * Readiness findings per generation, and the tenant a site's forest syncs to (sites of one
 * tenant are checked together for duplicates between forests).
 */
export function findingsMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sites').addColumn('tenant', 'text').execute();
      await db.schema
        .createTable('findings')
        .addColumn('generation_id', dialect.serialType, (col) => col.notNull().references('generations.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('severity', 'text', (col) => col.notNull())
        .addColumn('attribute', 'text', (col) => col.notNull())
        .addColumn('finding_json', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('findings_pkey', ['generation_id', 'seq'])
        .addCheckConstraint('findings_severity_check', sql`severity in ('error', 'warning', 'info')`)
        .execute();
      // Which generations have had their findings computed (a generation may have none).
      await db.schema
        .createTable('finding_runs')
        .addColumn('generation_id', dialect.serialType, (col) => col.primaryKey().references('generations.id').onDelete('cascade'))
        .addColumn('rule_set', 'text', (col) => col.notNull())
        .addColumn('completed_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('finding_count', 'integer', (col) => col.notNull())
        .addColumn('summary_json', 'text', (col) => col.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('finding_runs').execute();
      await db.schema.dropTable('findings').execute();
      await db.schema.alterTable('sites').dropColumn('tenant').execute();
    },
  };
}
