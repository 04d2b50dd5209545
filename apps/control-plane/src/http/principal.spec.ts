import { CREDENTIAL_ROLES, type CredentialRole } from '@syncready/store';
import { roleAllows } from './principal';

describe('roleAllows', () => {
  // Rows: the credential's role; columns: the role a route needs.
  const MATRIX: Record<CredentialRole, Record<CredentialRole, boolean>> = {
    viewer: { viewer: true, operator: false, admin: false },
    operator: { viewer: true, operator: true, admin: false },
    admin: { viewer: true, operator: true, admin: true },
  };
  const cases = CREDENTIAL_ROLES.flatMap((role) => CREDENTIAL_ROLES.map((needed) => [role, needed, MATRIX[role][needed]] as const));

  it.each(cases)('%s on a route that needs %s → %s', (role, needed, allowed) => {
    expect(roleAllows(role, needed)).toBe(allowed);
  });
});
