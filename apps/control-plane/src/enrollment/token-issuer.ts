import { MAX_TOKEN_USES, type EnrollmentToken, type Store } from '@syncready/store';
import { parseDuration } from './duration';
import { mintEnrollmentToken } from './enrollment-secret';

/** A request for a token, as the CLI and the admin API take it. */
export interface TokenRequest {
  readonly organizationId: string;
  readonly siteName?: string;
  readonly tenant?: string;
  readonly labels?: readonly string[];
  /** @default 1 */
  readonly uses?: number;
  /** `30m`, `1h`, `7d` (at most 7 days). @default '1h' */
  readonly expiresIn?: string;
  /** Who asked: a credential id or `cli`. */
  readonly createdBy: string;
  readonly sourceAddress?: string;
}

/** A bad token request (a caller error, never a server fault). */
export class TokenRequestError extends Error {
  readonly code = 'TOKEN.INVALID_REQUEST';
}

const LABEL = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Creates an enrollment token, audits it, and returns the token text once: the store keeps
 * only the secret's hash, so it can never be shown again.
 */
export async function issueEnrollmentToken(store: Store, request: TokenRequest): Promise<{ token: string; record: EnrollmentToken }> {
  const uses = request.uses ?? 1;
  if (!Number.isInteger(uses) || uses < 1 || uses > MAX_TOKEN_USES) throw new TokenRequestError(`uses must be a whole number from 1 to ${MAX_TOKEN_USES}`);
  const lifetime = parseDuration(request.expiresIn ?? '1h');
  if (lifetime === undefined) throw new TokenRequestError('expires must be a duration like 30m, 1h or 7d, at most 7d');
  const labels = [...new Set(request.labels ?? [])];
  for (const label of labels) if (!LABEL.test(label)) throw new TokenRequestError(`label "${label}" must be lower-case letters, digits, . _ - (at most 63)`);
  if (request.siteName !== undefined && (request.siteName.trim() === '' || request.siteName.length > 200)) throw new TokenRequestError('site must be 1 to 200 characters');
  const minted = mintEnrollmentToken();
  const record = await store.enrollmentTokens.create({
    id: minted.id,
    secretHash: minted.secretHash,
    organizationId: request.organizationId,
    siteName: request.siteName ?? null,
    tenant: request.tenant ?? null,
    labels,
    uses,
    expiresAt: new Date(Date.now() + lifetime),
    createdBy: request.createdBy,
  });
  await store.audit.record({
    organizationId: request.organizationId,
    actor: request.createdBy,
    event: 'enrollment_token.created',
    outcome: 'success',
    ...(request.sourceAddress ? { sourceAddress: request.sourceAddress } : {}),
    detail: { tokenId: record.id, siteName: record.siteName, labels, uses, expiresAt: record.expiresAt },
  });
  return { token: minted.token, record };
}
