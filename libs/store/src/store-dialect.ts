import type { ColumnDataType, ColumnDefinitionBuilder, Expression, Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';

/** A column type: a name Kysely knows, or raw SQL such as `text collate "C"`. */
export type ColumnTypeExpression = ColumnDataType | Expression<unknown>;

/**
 * Everything that differs between SQLite and PostgreSQL, in one place. Repositories and
 * migrations are written once against the query builder and consult this object only where
 * the two databases genuinely differ.
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Most bound parameters one statement may carry (SQLite 32,766; PostgreSQL 65,535). */
  readonly maxBindParameters: number;
  /**
   * Whether `select … for update / for share` exists. PostgreSQL needs row locks to order
   * concurrent writers under READ COMMITTED; SQLite has none and instead serialises every
   * write transaction with `BEGIN IMMEDIATE`.
   */
  readonly rowLocks: boolean;
  /** Column type of timestamps (`text` holding ISO-8601 in SQLite, `timestamptz` in PostgreSQL). */
  readonly timestampType: ColumnTypeExpression;
  /**
   * Column type of object GUIDs. PostgreSQL gets the "C" collation so that `order by` and the
   * keyset `>` compare bytes exactly as SQLite does, whatever the database's locale.
   */
  readonly guidType: ColumnTypeExpression;
  /** Column type of an auto-generated integer primary key. */
  readonly serialType: ColumnTypeExpression;
  /** Completes an auto-generated primary key column definition. */
  serialPrimaryKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Schema that holds the migration bookkeeping tables (undefined: the default one). */
  readonly migrationSchema: string | undefined;
}

/** An open connection (pool) plus the dialect facts the rest of the store needs. */
export interface StoreConnection {
  readonly db: Kysely<StoreDatabase>;
  readonly dialect: StoreDialect;
  /** Releases this user of the connection; the database closes when its last user is gone. */
  close(): Promise<void>;
}
