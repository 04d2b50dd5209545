import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../store';
import type { PostgresStoreConfig, SqliteStoreConfig, StoreConfig } from '../store-config';

/**
 * Environment variable naming the PostgreSQL database the test factories use; when unset or
 * empty they use `postgres://postgres@127.0.0.1:5432/test` (the local test server).
 */
export const TEST_POSTGRES_URL_VARIABLE = 'SYNCREADY_TEST_POSTGRES_URL';
const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * One database for one test file, of one dialect. Nothing is created until first used;
 * `cleanup` closes every store opened through the factory and removes every database it made.
 */
export interface StoreFactory {
  readonly name: 'sqlite' | 'postgres';
  /** The factory's database; the same on every call, so a second `open()` re-opens it. */
  config(): StoreConfig;
  /** A database of its own, empty, removed by `cleanup` like the main one. */
  freshConfig(): StoreConfig;
  /** Opens (and migrates) the factory's database; the store is closed by `cleanup`. */
  open(config?: StoreConfig): Promise<Store>;
  /** Closes stores opened by `open` and deletes the databases. Call in `afterAll`. */
  cleanup(): Promise<void>;
}

/**
 * A factory per dialect, for `describe.each(storeFactories())`: SQLite on a file in a fresh
 * temporary directory, PostgreSQL on a fresh schema of the test database (URL from the
 * `SYNCREADY_TEST_POSTGRES_URL` environment variable). Create them at module level, once per
 * test file; tests in one file share the database, so give each test its own site names.
 */
export function storeFactories(): [StoreFactory, StoreFactory] {
  return [sqliteFactory(), postgresFactory()];
}

/** The SQLite factory alone. */
export function sqliteFactory(): StoreFactory {
  let directory: string | undefined;
  let count = 0;
  const dir = (): string => (directory ??= mkdtempSync(join(tmpdir(), 'syncready-store-')));
  const make = (): SqliteStoreConfig => ({ dialect: 'sqlite', filename: join(dir(), `store-${count++}.db`) });
  let main: SqliteStoreConfig | undefined;
  return withStores('sqlite', () => (main ??= make()), make, async () => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
    main = undefined;
  });
}

/** The PostgreSQL factory alone. */
export function postgresFactory(): StoreFactory {
  const connectionString = process.env[TEST_POSTGRES_URL_VARIABLE] || DEFAULT_TEST_POSTGRES_URL;
  const schemas: string[] = [];
  const make = (): PostgresStoreConfig => {
    const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    return { dialect: 'postgres', connectionString, schema, poolSize: 4 };
  };
  let main: PostgresStoreConfig | undefined;
  return withStores('postgres', () => (main ??= make()), make, async () => {
    if (schemas.length > 0) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    }
    main = undefined;
  });
}

function withStores(
  name: StoreFactory['name'],
  config: () => StoreConfig,
  freshConfig: () => StoreConfig,
  removeDatabases: () => Promise<void>,
): StoreFactory {
  const opened: Store[] = [];
  return {
    name,
    config,
    freshConfig,
    async open(explicit?: StoreConfig): Promise<Store> {
      const store = await openStore(explicit ?? config());
      opened.push(store);
      return store;
    },
    async cleanup(): Promise<void> {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await removeDatabases();
    },
  };
}
