import { decodeAgentBody, decodeServerBody, encodeAgentMessage, encodeServerMessage } from './frame-codec';
import { FrameDecoder } from './frame-decoder';
import { type AgentMessage } from './messages';
import { ProtocolError, type ProtocolErrorCode } from './protocol-error';
import { sampleForest, sampleServerMessages, sampleUser } from './testing/sample-messages';
import { seededRandom } from './testing/seeded-random';

function codeOf(fn: () => unknown): ProtocolErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Feeds `chunks` to a fresh decoder, ends the stream, and decodes every body. */
function decodeStream(chunks: readonly Uint8Array[], maxFrameBytes?: number): AgentMessage[] {
  const decoder = new FrameDecoder(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  const bodies = chunks.flatMap((chunk) => decoder.push(chunk));
  decoder.end();
  return bodies.map(decodeAgentBody);
}

// A small session: 1-byte and 2-byte length prefixes, and an empty batch.
const messages: AgentMessage[] = [
  { type: 'heartbeat', sentAtMs: 1 },
  { type: 'snapshotBegin', snapshotId: 'snap', forest: sampleForest, baseDn: 'DC=corp' },
  { type: 'objectBatch', snapshotId: 'snap', sequence: 1, objects: [sampleUser] },
  { type: 'objectBatch', snapshotId: 'snap', sequence: 2, objects: [] },
  { type: 'snapshotEnd', snapshotId: 'snap', sequence: 2, objectCount: 1, digest: 'ffffffffffffffff' },
];
const frames = messages.map((m) => encodeAgentMessage(m));
const stream = concat(frames);

describe('FrameDecoder', () => {
  it('uses both one- and multi-byte length prefixes in this fixture', () => {
    expect(frames.some((f) => f.length < 128)).toBe(true);
    expect(frames.some((f) => f.length > 128)).toBe(true);
  });

  it('decodes concatenated frames pushed as one chunk', () => {
    expect(decodeStream([stream])).toEqual(messages);
  });

  it('decodes the stream split at every byte offset', () => {
    for (let at = 0; at <= stream.length; at++) {
      expect(decodeStream([stream.subarray(0, at), stream.subarray(at)])).toEqual(messages);
    }
  });

  it('decodes the stream fed one byte at a time', () => {
    const chunks = Array.from(stream, (byte) => Uint8Array.of(byte));
    expect(decodeStream(chunks)).toEqual(messages);
  });

  it('decodes the stream under random chunkings', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const chunks: Uint8Array[] = [];
      for (let pos = 0; pos < stream.length; ) {
        const size = Math.min(stream.length - pos, Math.floor(random() * 40));
        chunks.push(stream.subarray(pos, pos + size));
        pos += size;
      }
      expect(decodeStream(chunks)).toEqual(messages);
    }
  });

  it('returns nothing for an empty chunk and is idle between frames', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.idle).toBe(true);
    decoder.push(stream.subarray(0, 1));
    expect(decoder.idle).toBe(false);
  });

  it('decodes control-plane frames too', () => {
    const decoder = new FrameDecoder();
    const bodies = decoder.push(concat(sampleServerMessages.map((m) => encodeServerMessage(m))));
    expect(bodies.map(decodeServerBody)).toEqual(sampleServerMessages);
  });

  it('reassembles a 3 MiB frame pushed in 64 KiB chunks', () => {
    const values = Array.from({ length: 3 * 1024 }, (_, i) => `${i}`.padEnd(1000, 'x'));
    const big: AgentMessage = { type: 'objectBatch', snapshotId: 's', sequence: 1, objects: [{ ...sampleUser, attributes: { member: values } }] };
    const bytes = encodeAgentMessage(big);
    const chunks = [];
    for (let pos = 0; pos < bytes.length; pos += 65536) chunks.push(bytes.subarray(pos, pos + 65536));
    expect(decodeStream(chunks)).toEqual([big]);
  });

  it('returns a zero-length frame as an empty body, which no message decodes from', () => {
    const [body] = new FrameDecoder().push(Uint8Array.of(0));
    expect(body).toEqual(new Uint8Array(0));
    expect(codeOf(() => decodeAgentBody(body as Uint8Array))).toBe('PROTOCOL.UNEXPECTED_MESSAGE');
  });

  describe('end of stream', () => {
    it.each([
      ['inside a length prefix', Uint8Array.of(0x80)],
      ['inside a body', stream.subarray(0, (frames[0]?.length ?? 0) + 3)],
    ])('throws MALFORMED_FRAME when the stream stops %s', (_name, bytes) => {
      const decoder = new FrameDecoder();
      decoder.push(bytes);
      expect(codeOf(() => decoder.end())).toBe('PROTOCOL.MALFORMED_FRAME');
    });

    it('accepts an end between frames', () => {
      const decoder = new FrameDecoder();
      decoder.push(stream);
      expect(() => decoder.end()).not.toThrow();
    });
  });

  describe('limits and corruption', () => {
    it('rejects an oversize declared length as soon as the prefix is complete, before any body byte', () => {
      const decoder = new FrameDecoder({ maxFrameBytes: 64 });
      // 64 body bytes + 1 prefix byte = 65 > 64; the prefix arrives split and alone.
      expect(decoder.push(Uint8Array.of(0xc0))).toEqual([]);
      expect(codeOf(() => decoder.push(Uint8Array.of(0x00)))).toBe('PROTOCOL.FRAME_TOO_LARGE');
    });

    it('rejects a 4 GiB declaration without allocating it', () => {
      const decoder = new FrameDecoder();
      expect(codeOf(() => decoder.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)))).toBe('PROTOCOL.FRAME_TOO_LARGE');
    });

    it('accepts a frame of exactly the limit', () => {
      const [first] = frames;
      expect(decodeStream([first as Uint8Array], first?.length)).toEqual([messages[0]]);
      expect(codeOf(() => decodeStream([first as Uint8Array], (first?.length ?? 0) - 1))).toBe('PROTOCOL.FRAME_TOO_LARGE');
    });

    it.each([
      ['six-byte varint', [Uint8Array.of(0x80, 0x80, 0x80), Uint8Array.of(0x80, 0x80, 0x00)]],
      ['varint above 32 bits', [Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x7f)]],
    ])('rejects a corrupt length prefix: %s', (_name, chunks) => {
      const decoder = new FrameDecoder();
      expect(codeOf(() => chunks.forEach((chunk) => decoder.push(chunk)))).toBe('PROTOCOL.MALFORMED_FRAME');
    });

    it('stays failed after an error: framing is lost for good', () => {
      const decoder = new FrameDecoder({ maxFrameBytes: 16 });
      let first: unknown;
      try {
        decoder.push(Uint8Array.of(0x7f));
      } catch (error) {
        first = error;
      }
      expect(first).toBeInstanceOf(ProtocolError);
      expect(() => decoder.push(frames[0] as Uint8Array)).toThrow(first as Error);
      expect(() => decoder.end()).toThrow(first as Error);
    });
  });
});
