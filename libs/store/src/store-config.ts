import { StoreError } from './store-error';

/** Options every dialect accepts. */
export interface CommonStoreOptions {
  /**
   * Source of "now" for `createdAt`, `startedAt`, `completedAt` and `lastSnapshotAt`.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/** An embedded SQLite file: the default for a single control-plane replica. */
export interface SqliteStoreConfig extends CommonStoreOptions {
  readonly dialect: 'sqlite';
  /** Database file; created, with its parent directory, when missing. `:memory:` also works. */
  readonly filename: string;
  /**
   * How long a writer waits for another process's write lock before failing (SQLite
   * `busy_timeout`).
   * @default 5000
   */
  readonly busyTimeoutMs?: number;
}

/** A PostgreSQL database shared by N control-plane replicas. */
export interface PostgresStoreConfig extends CommonStoreOptions {
  readonly dialect: 'postgres';
  /** libpq-style URL, e.g. `postgres://user@host:5432/db`. */
  readonly connectionString: string;
  /**
   * Schema that holds the tables (created when missing, then the connection's `search_path`).
   * Lower-case letters, digits and `_`, starting with a letter or `_`.
   * @default 'public'
   */
  readonly schema?: string;
  /**
   * Maximum connections in the pool.
   * @default 10
   */
  readonly poolSize?: number;
  /**
   * How long to wait for a connection (new or from the pool) before failing.
   * @default 10000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Server-side `statement_timeout` of every statement.
   * @default 60000
   */
  readonly statementTimeoutMs?: number;
}

/** Where and how {@link openStore} keeps its data. */
export type StoreConfig = SqliteStoreConfig | PostgresStoreConfig;

/** {@link SqliteStoreConfig} with defaults applied. */
export type ResolvedSqliteConfig = Required<Omit<SqliteStoreConfig, 'now'>>;
/** {@link PostgresStoreConfig} with defaults applied. */
export type ResolvedPostgresConfig = Required<Omit<PostgresStoreConfig, 'now'>>;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Applies defaults to a SQLite config and validates it (STORE.INVALID_ARGUMENT). */
export function resolveSqliteConfig(config: SqliteStoreConfig): ResolvedSqliteConfig {
  if (config.filename.trim() === '') invalid('filename must not be empty');
  return {
    dialect: 'sqlite',
    filename: config.filename,
    busyTimeoutMs: positiveInteger('busyTimeoutMs', config.busyTimeoutMs ?? 5000),
  };
}

/** Applies defaults to a PostgreSQL config and validates it (STORE.INVALID_ARGUMENT). */
export function resolvePostgresConfig(config: PostgresStoreConfig): ResolvedPostgresConfig {
  if (config.connectionString.trim() === '') invalid('connectionString must not be empty');
  const schema = config.schema ?? 'public';
  // The name is interpolated into `set search_path` and `create schema`; the pattern keeps
  // that safe and avoids quoting surprises (PostgreSQL folds unquoted names to lower case).
  if (!SCHEMA_NAME.test(schema)) invalid(`schema ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`);
  return {
    dialect: 'postgres',
    connectionString: config.connectionString,
    schema,
    poolSize: positiveInteger('poolSize', config.poolSize ?? 10),
    connectTimeoutMs: positiveInteger('connectTimeoutMs', config.connectTimeoutMs ?? 10_000),
    statementTimeoutMs: positiveInteger('statementTimeoutMs', config.statementTimeoutMs ?? 60_000),
  };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) invalid(`${name} must be a positive integer, got ${value}`);
  return value;
}

function invalid(message: string): never {
  throw new StoreError('STORE.INVALID_ARGUMENT', message);
}
