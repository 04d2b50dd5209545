import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadServerConfig } from './server-config';

const dir = mkdtempSync(join(tmpdir(), 'server-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function write(config: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

describe('loadServerConfig', () => {
  it('runs on defaults: loopback, SQLite, no sites', () => {
    const config = loadServerConfig(undefined, {});
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(config.store).toEqual({ dialect: 'sqlite', filename: 'data/syncready.sqlite' });
    expect(config.gateway.maxFrameBytes).toBe(4 * 1024 * 1024);
  });

  it('takes overrides from the environment', () => {
    const config = loadServerConfig(write({ sites: [{ name: 'hq', tenant: 'contoso.onmicrosoft.com' }] }), {
      SYNCREADY_LISTEN_PORT: '0',
      SYNCREADY_DATABASE_URL: 'postgres://127.0.0.1/test',
    });
    expect(config.listen.port).toBe(0);
    expect(config.store).toEqual({ dialect: 'postgres', connectionString: 'postgres://127.0.0.1/test' });
    expect(config.sites.map((s) => s.name)).toEqual(['hq']);
    expect(config.gateway).toMatchObject({ authAttemptsPerMinute: 120, enrollAttemptsPerMinute: 30 });
  });

  it.each<[string, string | undefined, NodeJS.ProcessEnv, string]>([
    ['a missing file', join(dir, 'missing.json'), {}, 'ENOENT'],
    ['invalid JSON', write('{'), {}, 'not valid JSON'],
    ['a pre-shared site key (enrollment replaced them)', write({ sites: [{ name: 'hq', key: 'hq-key-0123456789abc' }] }), {}, 'sites.0'],
    ['a site twice', write({ sites: [{ name: 'hq' }, { name: 'hq' }] }), {}, 'configured twice'],
    ['SYNCREADY_SITE_KEYS', undefined, { SYNCREADY_SITE_KEYS: 'hq=0123456789abcdef0' }, 'token create'],
    ['a bad port', undefined, { SYNCREADY_LISTEN_PORT: '99999' }, 'SYNCREADY_LISTEN_PORT'],
    ['an unknown store dialect', write({ store: { dialect: 'mysql' } }), {}, 'store'],
  ])('rejects %s', (_what, path, env, fragment) => {
    expect(() => loadServerConfig(path, env)).toThrow(ConfigError);
    expect(() => loadServerConfig(path, env)).toThrow(expect.objectContaining({ message: expect.stringContaining(fragment) }));
  });
});
