import { REDACTED, redact, redactText } from './redact';
import { createRedactingLogger } from './redacting-logger';

const TOKEN = 'srk_cred_0123456789abcdef0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const ENROLL = 'set_tok_0123456789abcdef_secretsecretsecretsecret';
const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIK9x\n-----END PRIVATE KEY-----';

describe('redact', () => {
  it.each([
    ['authorization', `Bearer ${TOKEN}`],
    ['Authorization', 'Basic dXNlcjpwYXNz'],
    ['password', 'hunter2'],
    ['ldapPassword', 'hunter2'],
    ['siteKey', 'a-site-key-0123456789'],
    ['site_key', 'a-site-key-0123456789'],
    ['token', 'opaque'],
    ['enrollmentToken', 'opaque'],
    ['privateKey', 'opaque'],
    ['clientSecret', 'opaque'],
    ['cookie', 'sid=1'],
  ])('hides the value of %s', (key, value) => {
    expect(redact({ [key]: value, keep: 'visible' })).toEqual({ [key]: REDACTED, keep: 'visible' });
  });

  it.each([
    ['an API credential', `auth with ${TOKEN} failed`, TOKEN],
    ['an enrollment token', `token ${ENROLL} expired`, ENROLL],
    ['a bearer header', `header was Bearer abc.def.ghi`, 'abc.def.ghi'],
    ['a private key', `key: ${PEM}`, 'MC4CAQAwBQYDK2VwBCIEIK9x'],
    ['a password in a URL', 'connect postgres://app:s3cret@db:5432/x failed', 's3cret'],
  ])('scrubs %s from free text', (_name, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('scrubs nested objects, arrays and errors, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { note: `got ${TOKEN}` };
    cyclic['self'] = cyclic;
    const error = new Error(`bad credential ${TOKEN}`);
    const out = JSON.stringify(redact({ headers: { Authorization: `Bearer ${TOKEN}` }, list: [TOKEN], error, cyclic }));
    expect(out).not.toContain(TOKEN.slice(10));
    expect(out).toContain('bad credential');
  });

  it('leaves ordinary values alone', () => {
    const plain = { siteId: 'site_1', count: 3, ok: true, none: null, monkey: 'key lime', tokenId: 'tok_1', credentialId: 'cred_1', revokedAt: 'then' };
    expect(redact(plain)).toEqual(plain);
  });
});

describe('createRedactingLogger', () => {
  it('writes one JSON line per event with the secrets removed', () => {
    const lines: string[] = [];
    const log = createRedactingLogger((line) => lines.push(line), () => new Date('2024-01-02T03:04:05.000Z'));
    log('api.error', { error: `Error: no credential ${TOKEN}`, authorization: `Bearer ${TOKEN}`, siteId: 'site_1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(parsed).toMatchObject({ time: '2024-01-02T03:04:05.000Z', event: 'api.error', authorization: REDACTED, siteId: 'site_1' });
    expect(lines[0]).not.toContain(TOKEN.slice(10));
  });
});
