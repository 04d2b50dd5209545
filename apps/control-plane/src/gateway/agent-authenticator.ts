import { type IncomingMessage } from 'node:http';
import { AgentAuthHeader } from '@syncready/protocol';
import { type Agent, type Store } from '@syncready/store';
import { verifyAgentSignature } from './agent-signature';
import { type NonceStore } from './nonce-store';

/** An agent that proved who it is, with what it claimed about the installation. */
export interface AuthenticatedAgent {
  readonly agent: Agent;
  readonly installId: string;
  readonly hostName: string;
}

/** A refused upgrade: the HTTP status, a stable code and the agent id when one was claimed. */
export interface AuthRefusal {
  readonly status: 401 | 403;
  readonly code: 'AGENT.UNAUTHENTICATED' | 'AGENT.NONCE_INVALID' | 'AGENT.SIGNATURE_INVALID' | 'AGENT.UNKNOWN' | 'AGENT.REVOKED';
  readonly agent?: Agent;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
}

/**
 * Checks the upgrade request's identity headers: the nonce must be one this replica issued
 * and not yet redeemed (it is redeemed here, whatever follows), the agent must exist and not
 * be revoked, and the signature must verify with its enrolled public key.
 */
export async function authenticateUpgrade(request: IncomingMessage, store: Store, nonces: NonceStore): Promise<AuthenticatedAgent | AuthRefusal> {
  const agentId = header(request, AgentAuthHeader.AGENT_ID);
  const nonce = header(request, AgentAuthHeader.NONCE);
  const signature = header(request, AgentAuthHeader.SIGNATURE);
  const installId = header(request, AgentAuthHeader.INSTALL_ID);
  const hostName = header(request, AgentAuthHeader.HOST_NAME);
  if (!agentId || !nonce || !signature || !installId || !hostName) return { status: 401, code: 'AGENT.UNAUTHENTICATED' };
  if (!nonces.redeem(nonce)) return { status: 401, code: 'AGENT.NONCE_INVALID' };
  if (!/^agt_[0-9a-f]{32}$/.test(agentId)) return { status: 401, code: 'AGENT.UNKNOWN' };
  const agent = await store.agents.get(agentId);
  if (!agent) return { status: 401, code: 'AGENT.UNKNOWN' };
  if (!verifyAgentSignature(agent.publicKey, signature, { agentId, nonce, installId, hostName })) return { status: 401, code: 'AGENT.SIGNATURE_INVALID', agent };
  if (agent.revokedAt !== null) return { status: 403, code: 'AGENT.REVOKED', agent };
  let decodedHost: string;
  try {
    decodedHost = decodeURIComponent(hostName);
  } catch {
    decodedHost = hostName;
  }
  return { agent, installId, hostName: decodedHost };
}
