import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../exit-codes';
import { ensureInstallId, ensureStateDir, readIdentity, readPrivateKey, writeIdentity } from './agent-identity';
import { generateAgentKeyPair, publicKeyOf, signChallenge } from './agent-key';

const identity = { agentId: `agt_${'c'.repeat(32)}`, siteId: 'site_1', siteName: 'hq', organizationId: 'org_1', serverUrl: 'https://cp.example.test', enrolledAt: '2030-01-01T00:00:00.000Z' };

describe('agent identity files', () => {
  const made: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes the private key readable by the owner only, and reads the identity back', () => {
    const dir = join(tempDir('identity-'), 'state');
    ensureStateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const keys = generateAgentKeyPair();
    writeIdentity(dir, identity, keys.privateKeyPem);
    expect(statSync(join(dir, 'agent-key.pem')).mode & 0o777).toBe(0o600);
    expect(readIdentity(dir)).toEqual(identity);
    expect(publicKeyOf(readPrivateKey(dir))).toBe(keys.publicKeyBase64);
    expect(Buffer.from(keys.publicKeyBase64, 'base64')).toHaveLength(32);
  });

  it('keeps one install id per installation', () => {
    const dir = tempDir('install-');
    const id = ensureInstallId(dir);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ensureInstallId(dir)).toBe(id);
  });

  it('has no identity before enrollment, and names a broken one', () => {
    const dir = tempDir('none-');
    expect(readIdentity(dir)).toBeUndefined();
    writeFileSync(join(dir, 'identity.json'), '{ broken');
    expect(() => readIdentity(dir)).toThrow(UsageError);
    expect(() => readPrivateKey(dir)).toThrow(/enroll/);
  });

  it('signs challenges as base64url Ed25519 signatures (64 bytes)', () => {
    const keys = generateAgentKeyPair();
    const signature = signChallenge(keys.privateKeyPem, identity.agentId, 'nonce', 'install', 'host');
    expect(Buffer.from(signature, 'base64url')).toHaveLength(64);
    expect(signChallenge(keys.privateKeyPem, identity.agentId, 'other', 'install', 'host')).not.toBe(signature);
  });
});
