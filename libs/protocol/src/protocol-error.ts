/**
 * Stable codes for everything that can go wrong at the protocol layer. Tests, logs and the
 * close-code mapping ({@link closeCodeForError}) rely on these strings; messages are for people.
 */
export const ProtocolErrorCode = {
  /** Bytes that are not one well-formed frame: bad varint, truncated, trailing bytes, invalid fields. */
  MALFORMED_FRAME: 'PROTOCOL.MALFORMED_FRAME',
  /** A frame whose declared size exceeds the agreed limit (checked before the body is read). */
  FRAME_TOO_LARGE: 'PROTOCOL.FRAME_TOO_LARGE',
  /** A well-formed frame carrying no message this version knows, or one not allowed now. */
  UNEXPECTED_MESSAGE: 'PROTOCOL.UNEXPECTED_MESSAGE',
  /** The two sides share no protocol version. */
  UNSUPPORTED_VERSION: 'PROTOCOL.UNSUPPORTED_VERSION',
  /** This side was asked to encode a message that breaks the protocol (a local bug). */
  INVALID_MESSAGE: 'PROTOCOL.INVALID_MESSAGE',
} as const;

/** One of {@link ProtocolErrorCode}'s values. */
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

/**
 * A protocol violation, by either side. Messages never contain field values that may be
 * secret (the site key), so they are safe to log and to send back in an `error` frame.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
