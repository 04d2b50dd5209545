import { ProtocolError, ProtocolErrorCode } from './protocol-error';

/**
 * Default limit on one frame, length prefix included: 4 MiB. Frames are meant to be tens to
 * hundreds of kB (protobuf is not built for messages above about 1 MB), so this leaves room
 * for a large batch without letting a peer make the other side buffer much. Use it as the
 * WebSocket `maxPayload` too, since one WebSocket message carries exactly one frame.
 * @default 4194304
 */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** A length prefix is a varint of at most 32 bits, so at most 5 bytes. */
export const MAX_LENGTH_PREFIX_BYTES = 5;

/** Where a frame's body lies, from its length prefix. */
export interface FrameHeader {
  /** Bytes taken by the varint length prefix (1–5). */
  readonly prefixBytes: number;
  /** Bytes of the protobuf message that follows. */
  readonly bodyBytes: number;
}

/**
 * Reads the varint length prefix at `offset`. Returns `undefined` when `bytes` end inside the
 * varint (more bytes may complete it). Throws MALFORMED_FRAME for a varint that runs past
 * 32 bits and FRAME_TOO_LARGE when prefix + body exceed `maxFrameBytes`, before anything of
 * the body is read or allocated.
 */
export function readFrameHeader(bytes: Uint8Array, offset: number, maxFrameBytes: number): FrameHeader | undefined {
  let bodyBytes = 0;
  for (let i = 0; i < MAX_LENGTH_PREFIX_BYTES; i++) {
    if (offset + i >= bytes.length) return undefined;
    const byte = bytes[offset + i] as number;
    // The fifth byte may only carry the top 4 bits of a 32-bit length and no continuation.
    if (i === MAX_LENGTH_PREFIX_BYTES - 1 && byte > 0x0f) {
      throw new ProtocolError(ProtocolErrorCode.MALFORMED_FRAME, 'frame length prefix is not a 32-bit varint');
    }
    bodyBytes += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      const header = { prefixBytes: i + 1, bodyBytes };
      checkFrameSize(header.prefixBytes + bodyBytes, maxFrameBytes);
      return header;
    }
  }
  /* istanbul ignore next -- the fifth byte either ends the varint or throws above */
  throw new ProtocolError(ProtocolErrorCode.MALFORMED_FRAME, 'frame length prefix is not a 32-bit varint');
}

/** Throws FRAME_TOO_LARGE when a frame of `frameBytes` exceeds `maxFrameBytes`. */
export function checkFrameSize(frameBytes: number, maxFrameBytes: number): void {
  if (frameBytes > maxFrameBytes) {
    throw new ProtocolError(
      ProtocolErrorCode.FRAME_TOO_LARGE,
      `frame of ${frameBytes} bytes exceeds the limit of ${maxFrameBytes} bytes`,
    );
  }
}

/** Validates a `maxFrameBytes` option (a programming error, so a plain RangeError). */
export function resolveMaxFrameBytes(maxFrameBytes: number | undefined): number {
  const value = maxFrameBytes ?? MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`maxFrameBytes must be a positive integer, got ${value}`);
  }
  return value;
}
