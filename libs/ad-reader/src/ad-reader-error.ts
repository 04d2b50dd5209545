/** Stable codes for everything that can go wrong talking to a DC. */
export type AdReaderErrorCode =
  | 'LDAP.BIND_FAILED'
  | 'LDAP.UNREACHABLE'
  | 'LDAP.TLS_FAILED'
  | 'LDAP.INSECURE_TRANSPORT'
  | 'LDAP.TIMEOUT'
  | 'LDAP.SEARCH_FAILED'
  | 'LDAP.INVALID_FILTER'
  /** The reader's own configuration is unusable (URL scheme, plain LDAP not allowed, CA file). */
  | 'LDAP.CONFIG'
  /** The installed LDAP client library is not the version the reader decodes entries with. */
  | 'LDAP.CLIENT';

/**
 * An error reading the directory. The message names the DC and the bind account an admin
 * has to look at, never the password.
 */
export class AdReaderError extends Error {
  constructor(
    readonly code: AdReaderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdReaderError';
  }
}

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
}

/** Maps an error from ldapts, net or tls to an AdReaderError, once, at this edge. */
export function toAdReaderError(err: unknown, context: { url: string; bindDn: string; operation: string }): AdReaderError {
  if (err instanceof AdReaderError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const sysCode = typeof e.code === 'string' ? e.code : '';
  const detail = typeof e.message === 'string' ? e.message : String(err);
  const where = `DC ${context.url}`;
  if (name === 'InvalidCredentialsError' || e.code === 49) {
    return new AdReaderError(
      'LDAP.BIND_FAILED',
      `${where} refused the credentials of bind account "${context.bindDn}": check the account name, its password and that it is not locked or disabled`,
      { cause: err },
    );
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'].includes(sysCode)) {
    return new AdReaderError('LDAP.UNREACHABLE', `${where} cannot be reached (${sysCode}) while trying to ${context.operation}: check the host name, port and firewall, and that the DC is running`, { cause: err });
  }
  if (/timed? ?out/i.test(detail) || sysCode === 'ETIMEDOUT') {
    return new AdReaderError('LDAP.TIMEOUT', `${where} did not answer in time while trying to ${context.operation}`, { cause: err });
  }
  if (/certificate|self[- ]signed|TLS|SSL|handshake/i.test(detail) || sysCode.startsWith('ERR_TLS') || sysCode.includes('CERT')) {
    return new AdReaderError(
      'LDAP.TLS_FAILED',
      `TLS with ${where} failed while trying to ${context.operation} (${detail}): trust the DC's CA with ldap.tls.caFile, or check the host name in the URL matches the certificate`,
      { cause: err },
    );
  }
  if (name === 'StrongAuthRequiredError' || name === 'ConfidentialityRequiredError') {
    return new AdReaderError('LDAP.INSECURE_TRANSPORT', `${where} requires an encrypted connection: use ldaps:// or StartTLS`, { cause: err });
  }
  return new AdReaderError('LDAP.SEARCH_FAILED', `${where} failed to ${context.operation}: ${detail}`, { cause: err });
}
