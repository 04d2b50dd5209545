import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { migrateToLatest } from './migrate';
import { storeMigrations } from './migrations';
import { openPostgres } from './postgres-dialect';
import { openSqlite } from './sqlite-dialect';
import { openStore } from './store';
import { resolvePostgresConfig, resolveSqliteConfig, type StoreConfig } from './store-config';
import type { StoreConnection } from './store-dialect';
import { storeFactories } from './testing';
import { ALL_ORGANIZATIONS as ALL } from './access-scope';

function connect(config: StoreConfig): Promise<StoreConnection> {
  return config.dialect === 'sqlite'
    ? Promise.resolve(openSqlite(resolveSqliteConfig(config)))
    : openPostgres(resolvePostgresConfig(config));
}

async function tableNames(connection: StoreConnection): Promise<string[]> {
  const tables = await connection.db.introspection.getTables({ withInternalKyselyTables: true });
  const schema = connection.dialect.migrationSchema;
  return tables
    .filter((table) => schema === undefined || table.schema === schema)
    .map((table) => table.name)
    .sort();
}

const STORE_TABLES = [
  'agents',
  'api_credential_organizations',
  'api_credentials',
  'audit_events',
  'directory_objects',
  'enrollment_tokens',
  'finding_runs',
  'findings',
  'generations',
  'kysely_migration',
  'kysely_migration_lock',
  'organizations',
  'sites',
];
const MIGRATIONS = ['0001-initial', '0002-findings', '0003-access', '0004-agents', '0005-sync-cursor'];

describe.each(storeFactories())('migrations on $name', (factory) => {
  afterAll(() => factory.cleanup());

  it('creates the schema on an empty database, and re-opening runs nothing', async () => {
    const config = factory.freshConfig();
    const first = await factory.open(config);
    await first.close();

    const connection = await connect(config);
    try {
      expect(await tableNames(connection)).toEqual(STORE_TABLES);
      expect(await migrateToLatest(connection, storeMigrations(connection.dialect))).toEqual([]);
    } finally {
      await connection.close();
    }
    const again = await factory.open(config);
    expect(await again.sites.listSites(ALL)).toEqual([]);
  });

  it('runs pending migrations in one transaction: a failure leaves the schema as it was', async () => {
    const connection = await connect(factory.freshConfig());
    try {
      const broken: Migration = {
        async up(db: Kysely<unknown>): Promise<void> {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await sql`select * from no_such_table`.execute(db);
        },
      };
      const migrations = { ...storeMigrations(connection.dialect), '9999-broken': broken };

      await expect(migrateToLatest(connection, migrations)).rejects.toMatchObject({ code: 'STORE.MIGRATION_FAILED' });
      // Neither the broken migration nor the good one before it in the same run left anything.
      const left = await tableNames(connection);
      expect(left).not.toContain('half_done');
      expect(left).not.toContain('sites');

      // The good migrations alone then apply, and the broken one still fails on its own.
      expect(await migrateToLatest(connection, storeMigrations(connection.dialect))).toEqual(MIGRATIONS);
      await expect(migrateToLatest(connection, migrations)).rejects.toMatchObject({ code: 'STORE.MIGRATION_FAILED' });
      expect(await tableNames(connection)).toEqual(STORE_TABLES);
    } finally {
      await connection.close();
    }
  });
});

describe('openStore on SQLite', () => {
  const root = mkdtempSync(join(tmpdir(), 'syncready-store-open-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing directory and the file in it', async () => {
    const filename = join(root, 'missing', 'nested', 'control-plane.db');
    const store = await openStore({ dialect: 'sqlite', filename });
    try {
      expect(existsSync(filename)).toBe(true);
      expect((await store.sites.ensureSite('first')).name).toBe('first');
    } finally {
      await store.close();
    }
  });

  it('shares one connection between stores on the same file; closing one leaves the other open', async () => {
    const filename = join(root, 'shared.db');
    const first = await openStore({ dialect: 'sqlite', filename });
    const second = await openStore({ dialect: 'sqlite', filename: join(root, '.', 'shared.db') });
    try {
      const [a, b] = await Promise.all([first.sites.ensureSite('shared'), second.sites.ensureSite('shared')]);
      expect(b.id).toBe(a.id);
      await first.close();
      await first.close();
      expect((await second.sites.getSite(a.id, ALL))?.name).toBe('shared');
    } finally {
      await second.close();
    }
  });

  it('rejects an empty filename with a code', async () => {
    await expect(openStore({ dialect: 'sqlite', filename: '' })).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});

describe('openStore on PostgreSQL', () => {
  it('reports an unreachable server with a code', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const config: StoreConfig = { dialect: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:1/test', connectTimeoutMs: 2000 };
    await expect(openStore(config)).rejects.toMatchObject({ code: 'STORE.CONNECTION_FAILED' });
  });

  it('rejects a schema name it would have to quote', async () => {
    const config: StoreConfig = { dialect: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema: 'x"; drop' };
    await expect(openStore(config)).rejects.toMatchObject({ code: 'STORE.INVALID_ARGUMENT' });
  });
});
