import { type AccessScope, type ApiCredential, type CredentialRole } from '@syncready/store';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from './api-error';

/** Who is calling: the authenticated API credential, as the routes need it. */
export interface Principal {
  readonly credentialId: string;
  readonly role: CredentialRole;
  /** The credential's own organization; null for a provider-level credential. */
  readonly organizationId: string | null;
  /** What every read of this caller is scoped to, in the store query. */
  readonly scope: AccessScope;
}

const RANK: Readonly<Record<CredentialRole, number>> = { viewer: 1, operator: 2, admin: 3 };

/** True when `role` grants at least what `needed` grants (admin ⊃ operator ⊃ viewer). */
export function roleAllows(role: CredentialRole, needed: CredentialRole): boolean {
  return RANK[role] >= RANK[needed];
}

/** The principal of an authenticated credential. */
export function principalFor(credential: ApiCredential): Principal {
  return {
    credentialId: credential.id,
    role: credential.role,
    organizationId: credential.organizationId,
    scope: { organizationIds: credential.organizationIds },
  };
}

/** Stores the principal on the response for the handlers after authentication. */
export function setPrincipal(res: Response, principal: Principal): void {
  res.locals['principal'] = principal;
}

/**
 * The caller of a request that passed authentication. Throws (a bug, answered 500) when
 * called on a route mounted before the authentication middleware.
 */
export function principalOf(res: Response): Principal {
  const principal = res.locals['principal'] as Principal | undefined;
  if (principal === undefined) throw new Error('principalOf called on a route without authentication');
  return principal;
}

/** Middleware: 403 API.FORBIDDEN unless the caller's role grants `needed`. */
export function requireRole(needed: CredentialRole): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const { role } = principalOf(res);
    if (!roleAllows(role, needed)) {
      next(new ApiError(403, 'API.FORBIDDEN', `this needs the ${needed} role; the credential has ${role}`));
      return;
    }
    next();
  };
}
