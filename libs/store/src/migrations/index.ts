import type { Migration } from 'kysely';
import type { StoreDialect } from '../store-dialect';
import { initialMigration } from './0001-initial';
import { findingsMigration } from './0002-findings';
import { accessMigration } from './0003-access';
import { agentsMigration } from './0004-agents';
import { syncCursorMigration } from './0005-sync-cursor';

/**
 * Every migration of the store, by name. Names sort in the order they run; a new migration
 * gets the next number and is never renamed or edited once released.
 */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-findings': findingsMigration(dialect),
    '0003-access': accessMigration(dialect),
    '0004-agents': agentsMigration(dialect),
    '0005-sync-cursor': syncCursorMigration(),
  };
}
