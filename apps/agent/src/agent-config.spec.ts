import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig } from './agent-config';
import { UsageError } from './exit-codes';

const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
const passwordFile = join(dir, 'pw');
writeFileSync(passwordFile, 'secret-from-file\nignored second line');

function write(config: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

const valid = {
  server: { url: 'wss://cp.example.test', siteKey: 'site-key-0123456789' },
  ldap: { url: 'ldaps://dc.example.test', bindDn: 'svc@example.test', passwordFile },
};

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('loadAgentConfig', () => {
  it('applies defaults and reads the password file (first line)', () => {
    const config = loadAgentConfig(write(valid), {});
    expect(config.ldapPassword).toBe('secret-from-file');
    expect(config.ldap.pageSize).toBe(1000);
    expect(config.ldap.startTls).toBe(true);
    expect(config.snapshot.batchSize).toBe(500);
  });

  it('lets the environment supply secrets', () => {
    const config = loadAgentConfig(write({ ...valid, server: { url: 'wss://x' }, ldap: { ...valid.ldap, passwordFile: undefined } }), {
      SYNCREADY_SITE_KEY: 'env-site-key-0123456789',
      SYNCREADY_LDAP_PASSWORD: 'env-password',
    });
    expect(config.siteKey).toBe('env-site-key-0123456789');
    expect(config.ldapPassword).toBe('env-password');
  });

  it.each<[string, unknown, string]>([
    ['a missing file', undefined, 'cannot read config file'],
    ['invalid JSON', '{ nope', 'not valid JSON'],
    ['an unknown key', { ...valid, extra: 1 }, '(root)'],
    ['a bad URL scheme', { ...valid, ldap: { ...valid.ldap, url: 'http://dc' } }, 'ldap.url'],
    ['ws:// without allowInsecure', { ...valid, server: { ...valid.server, url: 'ws://cp' } }, 'allowInsecure'],
    ['no site key', { ...valid, server: { url: 'wss://cp' } }, 'site key'],
    ['an unreadable password file', { ...valid, ldap: { ...valid.ldap, passwordFile: join(dir, 'missing') } }, 'ENOENT'],
    ['an unknown kind', { ...valid, ldap: { ...valid.ldap, kinds: ['printer'] } }, 'ldap.kinds.0'],
  ])('rejects %s', (_what, config, fragment) => {
    const path = config === undefined ? join(dir, 'does-not-exist.json') : write(config);
    expect(usageMessage(() => loadAgentConfig(path, {}))).toContain(fragment);
  });
});
