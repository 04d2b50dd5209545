import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreDatabase } from './database-schema';
import type { ResolvedPostgresConfig } from './store-config';
import type { StoreConnection, StoreDialect } from './store-dialect';
import { StoreError } from './store-error';

/** PostgreSQL facts for the repositories and migrations. */
export function postgresDialect(schema: string): StoreDialect {
  return {
    name: 'postgres',
    maxBindParameters: 65_535,
    rowLocks: true,
    timestampType: 'timestamptz',
    guidType: sql`text collate "C"`,
    serialType: 'bigint',
    serialPrimaryKey: (column) => column.primaryKey().generatedAlwaysAsIdentity(),
    migrationSchema: schema,
  };
}

/**
 * Type parsers of this pool only (the global `pg.types` stay untouched): int8 (counts, USNs,
 * ids) as number, and timestamptz as ISO-8601 text, so rows look the same as SQLite's.
 */
const storeTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return parseInt8;
    if (oid === pg.types.builtins.TIMESTAMPTZ) return parseTimestamptz;
    return pg.types.getTypeParser(oid, format);
  },
};

function parseInt8(text: string): number {
  const value = Number(text);
  // Refuse to round silently; nothing the store keeps comes near 2^53.
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} does not fit a JavaScript number`);
  return value;
}

function parseTimestamptz(text: string): string {
  // In UTC sessions PostgreSQL prints `2024-05-01 12:00:00.123+00`; Date reads it once the
  // space is a T and the offset has minutes.
  return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

/**
 * Creates the pool behind a Kysely instance, checks the server answers, and creates the
 * schema when missing. Every new connection gets `search_path` set to the schema, so
 * unqualified table names resolve there, and UTC as its time zone.
 */
export async function openPostgres(config: ResolvedPostgresConfig): Promise<StoreConnection> {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    types: storeTypes,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that
  // would crash the process. The pool drops the client and the next query reconnects.
  pool.on('error', () => undefined);
  const setSearchPath = CompiledQuery.raw(`set search_path to "${config.schema}"`);
  // Timestamps then print as `… +00`, whatever the server's TimeZone setting is.
  const setTimeZone = CompiledQuery.raw(`set time zone 'UTC'`);
  const db = new Kysely<StoreDatabase>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(setSearchPath);
        await connection.executeQuery(setTimeZone);
      },
    }),
  });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new StoreError('STORE.CONNECTION_FAILED', `cannot reach PostgreSQL: ${String(error)}`, { cause: error });
  }
  try {
    await ensureSchema(db, config.schema);
  } catch (error) {
    await db.destroy();
    throw new StoreError('STORE.MIGRATION_FAILED', `cannot create schema ${config.schema}: ${String(error)}`, { cause: error });
  }
  return { db, dialect: postgresDialect(config.schema), close: () => db.destroy() };
}

async function ensureSchema(db: Kysely<StoreDatabase>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (error) {
    // Two replicas starting together can both pass `if not exists` and one then hits the
    // unique index of pg_namespace (23505); the schema exists either way.
    if (!(error instanceof Error && 'code' in error && error.code === '23505')) throw error;
  }
}
