/** One physical line of a text file, without its line feed. */
export interface RawLine {
  /** 1-based. */
  readonly number: number;
  /** The bytes of the line; a CR before the LF stays (the LDIF parser strips it). */
  readonly bytes: Buffer;
  /** False only for the last line of an input that does not end with a line feed. */
  readonly terminated: boolean;
}

/** A line longer than this is not LDIF any export tool writes; refusing it bounds memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Thrown for a line over the limit (the caller maps it to an input error with the line). */
export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly limit: number,
  ) {
    super(`line ${line} is longer than ${limit} bytes`);
    this.name = 'LineTooLongError';
  }
}

/**
 * Splits a byte stream into lines at LF, across chunk boundaries, without decoding: a
 * multi-byte UTF-8 sequence or a CRLF pair split between two chunks comes out whole, and
 * bytes that are not UTF-8 reach the caller as they are. Memory is bounded by one chunk plus
 * the longest line.
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  for await (const chunk of chunks) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const lf = buffer.indexOf(0x0a, start);
      if (lf < 0) break;
      const piece = buffer.subarray(start, lf);
      const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      number++;
      if (bytes.length > maxLineBytes) throw new LineTooLongError(number, maxLineBytes);
      yield { number, bytes, terminated: true };
      start = lf + 1;
    }
    if (start < buffer.length) {
      // Copy: the stream may reuse its chunk buffers.
      const rest = Buffer.from(buffer.subarray(start));
      pending.push(rest);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) throw new LineTooLongError(number + 1, maxLineBytes);
    }
  }
  if (pendingBytes > 0) yield { number: number + 1, bytes: Buffer.concat(pending), terminated: false };
}
