import { resolvePostgresConfig, resolveSqliteConfig } from './store-config';

describe('store config', () => {
  it('applies the documented defaults', () => {
    expect(resolveSqliteConfig({ dialect: 'sqlite', filename: 'data/store.db' })).toEqual({
      dialect: 'sqlite',
      filename: 'data/store.db',
      busyTimeoutMs: 5000,
    });
    expect(resolvePostgresConfig({ dialect: 'postgres', connectionString: 'postgres://db/x' })).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://db/x',
      schema: 'public',
      poolSize: 10,
      connectTimeoutMs: 10_000,
      statementTimeoutMs: 60_000,
    });
  });

  it.each([
    ['an empty filename', () => resolveSqliteConfig({ dialect: 'sqlite', filename: ' ' })],
    ['a zero busy timeout', () => resolveSqliteConfig({ dialect: 'sqlite', filename: 'a.db', busyTimeoutMs: 0 })],
    ['an empty connection string', () => resolvePostgresConfig({ dialect: 'postgres', connectionString: '' })],
    ['an upper-case schema', () => resolvePostgresConfig({ dialect: 'postgres', connectionString: 'postgres://db/x', schema: 'Tenant' })],
    ['a schema with a quote', () => resolvePostgresConfig({ dialect: 'postgres', connectionString: 'postgres://db/x', schema: 'a"b' })],
    ['a fractional pool size', () => resolvePostgresConfig({ dialect: 'postgres', connectionString: 'postgres://db/x', poolSize: 2.5 })],
  ])('rejects %s with STORE.INVALID_ARGUMENT', (_, resolve) => {
    expect(resolve).toThrow(expect.objectContaining({ code: 'STORE.INVALID_ARGUMENT' }));
  });
});
