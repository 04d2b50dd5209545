import { mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import type { StoreDatabase } from './database-schema';
import type { ResolvedSqliteConfig } from './store-config';
import type { StoreConnection, StoreDialect } from './store-dialect';
import { StoreError } from './store-error';

/** SQLite facts for the repositories and migrations. */
export const SQLITE_DIALECT: StoreDialect = {
  name: 'sqlite',
  maxBindParameters: 32_766,
  rowLocks: false,
  timestampType: 'text',
  guidType: 'text',
  serialType: 'integer',
  // AUTOINCREMENT: generation ids are never reused, even after the highest row is gone.
  serialPrimaryKey: (column) => column.primaryKey().autoIncrement(),
  migrationSchema: undefined,
};

interface SharedFile {
  readonly db: Kysely<StoreDatabase>;
  users: number;
}

/**
 * Open files of this process, shared by every store opened on the same file. Two connections
 * to one file in one process would deadlock: better-sqlite3 waits for a lock synchronously
 * (`busy_timeout`), blocking the very event loop the lock holder needs to finish its
 * transaction. One connection, whose queries Kysely serialises, avoids that.
 */
const openFiles = new Map<string, SharedFile>();

/**
 * Opens (creating when missing) the SQLite file behind a Kysely instance, or joins the
 * connection this process already has to it. `:memory:` is never shared.
 *
 * WAL lets readers run beside the one writer; `busy_timeout` makes a writer from another
 * process wait instead of failing at once; foreign keys are off by default in SQLite.
 * `synchronous` stays at its default (FULL) so an acknowledged commit survives power loss.
 */
export function openSqlite(config: ResolvedSqliteConfig): StoreConnection {
  if (config.filename === ':memory:') {
    const db = createKysely(config);
    return { db, dialect: SQLITE_DIALECT, close: () => db.destroy() };
  }
  const key = fileKey(config.filename);
  let shared = openFiles.get(key);
  if (shared === undefined) {
    shared = { db: createKysely(config), users: 0 };
    openFiles.set(key, shared);
  }
  shared.users++;
  const file = shared;
  let closed = false;
  return {
    db: file.db,
    dialect: SQLITE_DIALECT,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (--file.users > 0) return;
      openFiles.delete(key);
      await file.db.destroy();
    },
  };
}

/** The file's absolute path with symbolic links in its directory resolved; creates the directory. */
function fileKey(filename: string): string {
  const absolute = resolve(filename);
  try {
    mkdirSync(dirname(absolute), { recursive: true });
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch (error) {
    throw new StoreError('STORE.CONNECTION_FAILED', `cannot create the directory of ${filename}: ${String(error)}`, { cause: error });
  }
}

function createKysely(config: ResolvedSqliteConfig): Kysely<StoreDatabase> {
  let database: Database.Database | undefined;
  try {
    database = new Database(config.filename);
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${config.busyTimeoutMs}`);
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database?.close();
    throw new StoreError('STORE.CONNECTION_FAILED', `cannot open SQLite database: ${String(error)}`, { cause: error });
  }
  return new Kysely<StoreDatabase>({ dialect: new StoreSqliteDialect({ database }) });
}

/** Kysely's SQLite dialect with the two changes the store relies on. */
class StoreSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}

/**
 * Starts transactions with `BEGIN IMMEDIATE`: a deferred `BEGIN` that later upgrades to a
 * write lock fails with SQLITE_BUSY at once when another process writes, without honouring
 * `busy_timeout`. Every transaction the store opens writes, so take the lock up front.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite rolls back DDL like any other statement, but Kysely's adapter says otherwise and so
 * would run migrations outside a transaction; a failed migration must leave the schema as it
 * was.
 */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
