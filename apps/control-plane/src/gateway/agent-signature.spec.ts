import { generateKeyPairSync, sign } from 'node:crypto';
import { agentAuthMessage } from '@syncready/protocol';
import { verifyAgentSignature } from './agent-signature';

const fields = { agentId: `agt_${'a'.repeat(32)}`, nonce: 'bm9uY2U', installId: '7d8f4c0e-2b1a-4c3d-9e8f-0a1b2c3d4e5f', hostName: 'dc01.corp.example.com' };

function keyPair(): { publicKey: string; signWith: (f: typeof fields) => string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64'),
    signWith: (f) => sign(null, agentAuthMessage(f.agentId, f.nonce, f.installId, f.hostName), privateKey).toString('base64url'),
  };
}

describe('verifyAgentSignature', () => {
  const agent = keyPair();
  const other = keyPair();

  it('accepts the enrolled key signing exactly these fields', () => {
    expect(verifyAgentSignature(agent.publicKey, agent.signWith(fields), fields)).toBe(true);
  });

  it.each<[string, () => [string, string, typeof fields]]>([
    ['another key', () => [agent.publicKey, other.signWith(fields), fields]],
    ['another nonce', () => [agent.publicKey, agent.signWith({ ...fields, nonce: 'b3RoZXI' }), fields]],
    ['another agent id', () => [agent.publicKey, agent.signWith({ ...fields, agentId: `agt_${'b'.repeat(32)}` }), fields]],
    ['another install id (a clone editing headers)', () => [agent.publicKey, agent.signWith(fields), { ...fields, installId: '00000000-0000-4000-8000-000000000000' }]],
    ['another host name', () => [agent.publicKey, agent.signWith(fields), { ...fields, hostName: 'clone' }]],
    ['a flipped bit', () => [agent.publicKey, Buffer.from(Buffer.from(agent.signWith(fields), 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url'), fields]],
    ['a truncated signature', () => [agent.publicKey, agent.signWith(fields).slice(0, 40), fields]],
    ['garbage', () => [agent.publicKey, '!!!', fields]],
    ['a malformed public key', () => ['AAAA', agent.signWith(fields), fields]],
  ])('refuses %s', (_what, make) => {
    const [publicKey, signature, claimed] = make();
    expect(verifyAgentSignature(publicKey, signature, claimed)).toBe(false);
  });
});
