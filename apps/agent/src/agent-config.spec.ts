import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig, resolveServerUrl } from './agent-config';
import { UsageError } from './exit-codes';

const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
const passwordFile = join(dir, 'pw');
writeFileSync(passwordFile, 'secret-from-file\nignored second line');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(config: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

const valid = {
  server: { url: 'wss://cp.example.test' },
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
    expect(config.ldap.parallelism).toBe(2);
    expect(config.ldap.startTls).toBe(true);
    expect(config.snapshot.batchSize).toBe(500);
  });

  it('lets the environment supply secrets', () => {
    const config = loadAgentConfig(write({ ...valid, server: { url: 'wss://x' }, ldap: { ...valid.ldap, passwordFile: undefined } }), {
      SYNCREADY_STATE_DIR: '/srv/agent-state',
      SYNCREADY_LDAP_PASSWORD: 'env-password',
    });
    expect(config.stateDir).toBe('/srv/agent-state');
    expect(config.ldapPassword).toBe('env-password');
  });

  it('connects to the enrolled server unless server.url says otherwise, and refuses ws:// unless allowed', () => {
    const enrolled = loadAgentConfig(write({ ...valid, server: {} }), {});
    expect(resolveServerUrl(enrolled, 'https://cp.example.test:8443')).toBe('wss://cp.example.test:8443');
    expect(() => resolveServerUrl(enrolled, 'http://127.0.0.1:8080')).toThrow(UsageError);
    const insecure = loadAgentConfig(write({ ...valid, server: { allowInsecure: true } }), {});
    expect(resolveServerUrl(insecure, 'http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080');
    expect(resolveServerUrl(loadAgentConfig(write(valid), {}), 'https://other')).toBe('wss://cp.example.test');
  });

  it.each<[string, unknown, string]>([
    ['a missing file', undefined, 'cannot read config file'],
    ['invalid JSON', '{ nope', 'not valid JSON'],
    ['an unknown key', { ...valid, extra: 1 }, '(root)'],
    ['a bad URL scheme', { ...valid, ldap: { ...valid.ldap, url: 'http://dc' } }, 'ldap.url'],
    ['ws:// without allowInsecure', { ...valid, server: { ...valid.server, url: 'ws://cp' } }, 'allowInsecure'],
    ['a leftover site key', { ...valid, server: { url: 'wss://cp', siteKey: 'site-key-0123456789' } }, 'siteKey'],
    ['an unreadable password file', { ...valid, ldap: { ...valid.ldap, passwordFile: join(dir, 'missing') } }, 'ENOENT'],
    ['an unknown kind', { ...valid, ldap: { ...valid.ldap, kinds: ['printer'] } }, 'ldap.kinds.0'],
    ['a parallelism above 8', { ...valid, ldap: { ...valid.ldap, parallelism: 9 } }, 'ldap.parallelism'],
    ['a parallelism of 0', { ...valid, ldap: { ...valid.ldap, parallelism: 0 } }, 'ldap.parallelism'],
  ])('rejects %s', (_what, config, fragment) => {
    const path = config === undefined ? join(dir, 'does-not-exist.json') : write(config);
    expect(usageMessage(() => loadAgentConfig(path, {}))).toContain(fragment);
  });
});
