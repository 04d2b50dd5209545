import { createPublicKey, verify } from 'node:crypto';
import { agentAuthMessage } from '@syncready/protocol';

/**
 * Whether `signature` (base64url) is the Ed25519 signature of the agent-auth message made by
 * the key whose raw 32 bytes are `publicKeyBase64`. Never throws: malformed input is false.
 */
export function verifyAgentSignature(
  publicKeyBase64: string,
  signature: string,
  fields: { agentId: string; nonce: string; installId: string; hostName: string },
): boolean {
  try {
    const raw = Buffer.from(publicKeyBase64, 'base64');
    const sig = Buffer.from(signature, 'base64url');
    if (raw.length !== 32 || sig.length !== 64) return false;
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    return verify(null, agentAuthMessage(fields.agentId, fields.nonce, fields.installId, fields.hostName), key, sig);
  } catch {
    return false;
  }
}
