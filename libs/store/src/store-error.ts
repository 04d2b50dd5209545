/**
 * Stable codes of {@link StoreError}. Callers branch on these, never on message text.
 *
 * - `STORE.NOT_FOUND`: the site or generation named by the call does not exist.
 * - `STORE.ALREADY_EXISTS`: a row with this unique name exists (an organization, …).
 * - `STORE.GENERATION_CLOSED`: the generation no longer accepts writes (it is complete,
 *   superseded or discarded).
 * - `STORE.INVALID_ARGUMENT`: the input breaks the model (a GUID that is not canonical, a
 *   page size out of range, a bad schema name, …); a caller bug, not a database fault.
 * - `STORE.MIGRATION_FAILED`: a migration failed; the schema was left as it was before.
 * - `STORE.CONNECTION_FAILED`: the database could not be opened or reached.
 */
export type StoreErrorCode =
  | 'STORE.NOT_FOUND'
  | 'STORE.ALREADY_EXISTS'
  | 'STORE.GENERATION_CLOSED'
  | 'STORE.INVALID_ARGUMENT'
  | 'STORE.MIGRATION_FAILED'
  | 'STORE.CONNECTION_FAILED';

/** An error raised by the store, with a stable {@link StoreErrorCode}. */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    /** Stable code; see {@link StoreErrorCode}. */
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a {@link StoreError}, optionally with the given code. */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
