import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { agentAuthMessage } from '@syncready/protocol';

/** A freshly generated Ed25519 key pair, as stored and as sent to the control plane. */
export interface AgentKeyPair {
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** Raw 32-byte public key, base64 (what `POST /api/v1/enroll` takes). */
  readonly publicKeyBase64: string;
}

/** Generates the agent's Ed25519 key pair on this host; the private key never leaves it. */
export function generateAgentKeyPair(): AgentKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyBase64: rawPublicKey(publicKey) };
}

/** The raw 32-byte public key of an Ed25519 key, base64 (the last 32 bytes of its SPKI DER). */
export function rawPublicKey(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
}

/** The raw public key belonging to a private key PEM. */
export function publicKeyOf(privateKeyPem: string): string {
  return rawPublicKey(createPublicKey(createPrivateKey(privateKeyPem)));
}

/** Signs the challenge (see `agentAuthMessage`); base64url. */
export function signChallenge(privateKeyPem: string, agentId: string, nonce: string, installId: string, hostName: string): string {
  return sign(null, agentAuthMessage(agentId, nonce, installId, hostName), createPrivateKey(privateKeyPem)).toString('base64url');
}
