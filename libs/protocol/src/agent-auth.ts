/**
 * How an enrolled agent proves its identity when it opens the WebSocket. Both ends build the
 * signed message from here, so the format cannot drift between them.
 *
 * 1. `GET {@link AGENT_CHALLENGE_PATH}` answers `{ "nonce": "<base64url of 32 random bytes>" }`;
 *    the nonce is good for one use within {@link AGENT_NONCE_TTL_MS}.
 * 2. The upgrade request to `/agent/v1` carries {@link AgentAuthHeader}: the agent id, the
 *    nonce, and an Ed25519 signature (base64url) over {@link agentAuthMessage}.
 * 3. The control plane verifies all three before the WebSocket exists and answers a failed
 *    check with HTTP 401 (unknown agent, bad or replayed nonce, bad signature) or 403 (revoked).
 */

/** Path of the challenge endpoint (same origin as the gateway). */
export const AGENT_CHALLENGE_PATH = '/agent/v1/challenge';

/** Lifetime of a challenge nonce. @default 60000 */
export const AGENT_NONCE_TTL_MS = 60_000;

/** Upgrade-request headers of an authenticating agent (lower case, as Node hands them over). */
export const AgentAuthHeader = {
  AGENT_ID: 'x-syncready-agent',
  NONCE: 'x-syncready-nonce',
  SIGNATURE: 'x-syncready-signature',
  /** The agent's install id: tells a reconnect of the same install from a clone. */
  INSTALL_ID: 'x-syncready-install-id',
  /** The agent host's DNS name (a cloned VM usually keeps the install id but not the name). */
  HOST_NAME: 'x-syncready-host',
} as const;

/** Domain-separation prefix: a signature made for this purpose is useless for any other. */
export const AGENT_AUTH_CONTEXT = 'syncready-agent-auth-v1';

/**
 * The exact bytes an agent signs, UTF-8:
 * `syncready-agent-auth-v1\n<agentId>\n<nonce>\n<installId>\n<hostName>`. Binding the install id
 * and host name means the clone check cannot be dodged by editing headers.
 */
export function agentAuthMessage(agentId: string, nonce: string, installId: string, hostName: string): Uint8Array {
  return new TextEncoder().encode(`${AGENT_AUTH_CONTEXT}\n${agentId}\n${nonce}\n${installId}\n${hostName}`);
}

/** Path of the public enrollment endpoint. */
export const ENROLL_PATH = '/api/v1/enroll';

/** Body of `POST /api/v1/enroll`. */
export interface EnrollRequest {
  /** `set_<id>_<secret>`. */
  readonly token: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string;
  readonly hostName: string;
  readonly installId: string;
  readonly computerObjectGuid?: string;
  readonly siteName?: string;
}

/** Answer of a successful enrollment (HTTP 201). */
export interface EnrollResponse {
  readonly agentId: string;
  readonly siteId: string;
  readonly siteName: string;
  readonly organizationId: string;
}

/** Stable error codes of the enrollment endpoint, one per reason an agent is refused. */
export const EnrollErrorCode = {
  MALFORMED: 'ENROLL.MALFORMED',
  TOKEN_UNKNOWN: 'ENROLL.TOKEN_UNKNOWN',
  TOKEN_EXPIRED: 'ENROLL.TOKEN_EXPIRED',
  TOKEN_REVOKED: 'ENROLL.TOKEN_REVOKED',
  TOKEN_USED_UP: 'ENROLL.TOKEN_USED_UP',
  SITE_REQUIRED: 'ENROLL.SITE_REQUIRED',
  SITE_NOT_ALLOWED: 'ENROLL.SITE_NOT_ALLOWED',
  SITE_CONFLICT: 'ENROLL.SITE_CONFLICT',
  KEY_IN_USE: 'ENROLL.KEY_IN_USE',
  RATE_LIMITED: 'ENROLL.RATE_LIMITED',
} as const;

/** One of {@link EnrollErrorCode}'s values. */
export type EnrollErrorCode = (typeof EnrollErrorCode)[keyof typeof EnrollErrorCode];
