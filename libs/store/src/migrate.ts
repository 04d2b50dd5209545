import { Migrator, type Migration } from 'kysely';
import type { StoreConnection } from './store-dialect';
import { StoreError } from './store-error';

/**
 * Bookkeeping table names: Kysely's defaults spelled out, because changing them later would
 * make every migration run again.
 */
const MIGRATION_TABLE = 'kysely_migration';
const MIGRATION_LOCK_TABLE = 'kysely_migration_lock';

/**
 * Runs the pending migrations, all in one transaction on both dialects, so a failure leaves
 * the schema as it was (STORE.MIGRATION_FAILED). Running it again when nothing is pending is a
 * no-op. Returns the names of the migrations it ran.
 */
export async function migrateToLatest(
  connection: StoreConnection,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const migrator = new Migrator({
    db: connection.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Pinned to the store's schema: without it Kysely would find another schema's table of
    // the same name in the database and skip creating its own.
    ...(connection.dialect.migrationSchema === undefined ? {} : { migrationTableSchema: connection.dialect.migrationSchema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? '(bookkeeping)';
    throw new StoreError('STORE.MIGRATION_FAILED', `migration ${failed} failed: ${String(error)}`, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
