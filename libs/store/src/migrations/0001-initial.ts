import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../store-dialect';

/**
 * The first schema: sites, generations and the objects of each generation.
 *
 * Migrations are frozen once released: the status and kind lists below are spelled out rather
 * than taken from the model's constants, so that a later change to those constants cannot
 * rewrite what this migration did.
 */
export function initialMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('last_snapshot_at', dialect.timestampType)
        .execute();

      await db.schema
        .createTable('generations')
        .addColumn('id', dialect.serialType, (col) => dialect.serialPrimaryKey(col))
        .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('snapshot_id', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('base_dn', 'text', (col) => col.notNull())
        .addColumn('forest_json', 'text', (col) => col.notNull())
        .addColumn('started_at', dialect.timestampType, (col) => col.notNull())
        .addColumn('completed_at', dialect.timestampType)
        .addColumn('object_count', 'integer')
        .addColumn('digest', 'text')
        .addColumn('discard_reason', 'text')
        .addUniqueConstraint('generations_site_snapshot_key', ['site_id', 'snapshot_id'])
        .addCheckConstraint(
          'generations_status_check',
          sql`status in ('receiving', 'complete', 'superseded', 'discarded')`,
        )
        .execute();
      // At most one complete (= current) generation per site, enforced by the database; also
      // the index every "current generation of site X" lookup uses.
      await db.schema
        .createIndex('generations_current_key')
        .on('generations')
        .column('site_id')
        .unique()
        .where(sql.ref('status'), '=', 'complete')
        .execute();
      // Start-up looks for generations left receiving by a previous process.
      await db.schema
        .createIndex('generations_receiving_idx')
        .on('generations')
        .column('site_id')
        .where(sql.ref('status'), '=', 'receiving')
        .execute();

      await db.schema
        .createTable('directory_objects')
        .addColumn('generation_id', dialect.serialType, (col) =>
          col.notNull().references('generations.id').onDelete('cascade'),
        )
        .addColumn('object_guid', dialect.guidType, (col) => col.notNull())
        .addColumn('distinguished_name', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('usn_changed', 'bigint', (col) => col.notNull())
        .addColumn('attributes_json', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('directory_objects_pkey', ['generation_id', 'object_guid'])
        .addCheckConstraint('directory_objects_kind_check', sql`kind in ('user', 'group', 'contact', 'computer')`)
        .execute();
      // Keyset pages filtered by kind; unfiltered pages use the primary key.
      await db.schema
        .createIndex('directory_objects_kind_idx')
        .on('directory_objects')
        .columns(['generation_id', 'kind', 'object_guid'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('directory_objects').execute();
      await db.schema.dropTable('generations').execute();
      await db.schema.dropTable('sites').execute();
    },
  };
}
