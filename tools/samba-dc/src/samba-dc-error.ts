/** Stable codes for everything that can go wrong around the test DC; tests assert on these. */
export type SambaDcErrorCode =
  /** No connection.json in the state dir: the DC was never provisioned there. */
  | 'SAMBA_DC.NOT_RUNNING'
  /** connection.json exists but is not what `samba-dc provision` writes. */
  | 'SAMBA_DC.BAD_CONNECTION_FILE'
  /** tools/samba-dc/samba-dc is not above this module nor the working directory. */
  | 'SAMBA_DC.SCRIPT_NOT_FOUND'
  /** The samba-dc script exited non-zero (see `exitCode` and the message for its stderr). */
  | 'SAMBA_DC.COMMAND_FAILED'
  /** An ldap-utils tool (ldapsearch, ldapdelete) failed against the DC. */
  | 'SAMBA_DC.LDAP_FAILED'
  /** Fixture options out of range (negative counts, an OU name that needs DN escaping). */
  | 'SAMBA_DC.BAD_FIXTURE_OPTIONS'
  /** Another process held the fixture lock for longer than the wait allows. */
  | 'SAMBA_DC.FIXTURE_LOCKED';

/** An error from the samba-dc helpers, with a stable `code`. */
export class SambaDcError extends Error {
  constructor(
    readonly code: SambaDcErrorCode,
    message: string,
    /** Exit code of the failed process, when one failed. */
    readonly exitCode?: number | null,
  ) {
    super(message);
    this.name = 'SambaDcError';
  }
}
