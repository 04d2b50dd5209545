import { type FrameCodecOptions } from './frame-codec';
import { MAX_LENGTH_PREFIX_BYTES, readFrameHeader, resolveMaxFrameBytes } from './frame-header';
import { ProtocolError, ProtocolErrorCode } from './protocol-error';

/**
 * Splits a byte stream of frames (a spool file, a stream socket, several frames in one chunk)
 * into frame bodies, whatever the chunk boundaries: a frame may be split at any byte,
 * including inside its length prefix. Decode each body with `decodeAgentBody` or
 * `decodeServerBody`.
 *
 * Memory stays bounded: a body buffer is allocated only after its declared length passed the
 * `maxFrameBytes` check, and at most one partial frame is held.
 *
 * After the first ProtocolError the stream has lost its framing, so every later call throws
 * the same error.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  /** Bytes of a length prefix that a chunk boundary split. */
  private readonly prefix = new Uint8Array(MAX_LENGTH_PREFIX_BYTES);
  private prefixLength = 0;
  /** Body of the current frame while it is being filled, once its length is known. */
  private body: Uint8Array | undefined;
  private bodyFilled = 0;
  private failure: ProtocolError | undefined;

  /** @param options `maxFrameBytes` bounds every frame, prefix included (@default MAX_FRAME_BYTES). */
  constructor(options: FrameCodecOptions = {}) {
    this.maxFrameBytes = resolveMaxFrameBytes(options.maxFrameBytes);
  }

  /**
   * Feeds the next chunk; returns the bodies of the frames it completed, in order. A body that
   * lies wholly inside `chunk` is a view of it (no copy), so do not reuse `chunk` before the
   * bodies are decoded. Throws ProtocolError MALFORMED_FRAME or FRAME_TOO_LARGE.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (error) {
      if (error instanceof ProtocolError) this.failure = error;
      throw error;
    }
  }

  /** Declares the end of the stream; throws MALFORMED_FRAME if it stopped inside a frame. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.prefixLength > 0 || this.body !== undefined) {
      const held = this.body === undefined ? `${this.prefixLength} bytes of a length prefix` : `${this.bodyFilled} of ${this.body.length} body bytes`;
      this.failure = new ProtocolError(ProtocolErrorCode.MALFORMED_FRAME, `stream ends inside a frame (${held})`);
      throw this.failure;
    }
  }

  /** True when no partial frame is held (the stream may end here). */
  get idle(): boolean {
    return this.prefixLength === 0 && this.body === undefined;
  }

  private consume(chunk: Uint8Array): Uint8Array[] {
    const bodies: Uint8Array[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.body !== undefined) {
        const take = Math.min(this.body.length - this.bodyFilled, chunk.length - pos);
        this.body.set(chunk.subarray(pos, pos + take), this.bodyFilled);
        this.bodyFilled += take;
        pos += take;
        if (this.bodyFilled === this.body.length) {
          bodies.push(this.body);
          this.body = undefined;
        }
        continue;
      }
      if (this.prefixLength === 0) {
        // Fast path: the whole prefix is in this chunk, and often the whole body too.
        const header = readFrameHeader(chunk, pos, this.maxFrameBytes);
        if (header !== undefined) {
          pos += header.prefixBytes;
          if (chunk.length - pos >= header.bodyBytes) {
            bodies.push(chunk.subarray(pos, pos + header.bodyBytes));
            pos += header.bodyBytes;
          } else {
            this.startBody(header.bodyBytes);
          }
          continue;
        }
      }
      // Slow path: the prefix straddles chunks; collect it one byte at a time (5 at most).
      this.prefix[this.prefixLength++] = chunk[pos++] as number;
      const header = readFrameHeader(this.prefix.subarray(0, this.prefixLength), 0, this.maxFrameBytes);
      if (header === undefined) continue;
      this.prefixLength = 0;
      if (header.bodyBytes === 0) bodies.push(new Uint8Array(0));
      else this.startBody(header.bodyBytes);
    }
    return bodies;
  }

  private startBody(bodyBytes: number): void {
    this.body = new Uint8Array(bodyBytes);
    this.bodyFilled = 0;
  }
}
