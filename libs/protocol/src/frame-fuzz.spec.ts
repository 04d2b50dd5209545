import { Writer } from 'protobufjs/minimal';
import {
  decodeAgentBody,
  decodeAgentFrame,
  decodeServerBody,
  decodeServerFrame,
  encodeAgentMessage,
  encodeServerMessage,
} from './frame-codec';
import { FrameDecoder } from './frame-decoder';
import { ProtocolError } from './protocol-error';
import { sampleAgentMessages, sampleServerMessages } from './testing/sample-messages';
import { randomBytes, seededRandom } from './testing/seeded-random';

/*
 * Whatever bytes arrive, decoding either yields a message that is valid (it re-encodes and
 * round-trips) or throws a ProtocolError: never a TypeError, a RangeError from protobuf.js,
 * a hang, or a half-valid message.
 */

type Outcome = 'decoded' | 'refused';

function check<M>(decode: () => M, encode: (m: M) => Uint8Array, decodeAgain: (b: Uint8Array) => M): Outcome {
  let message: M;
  try {
    message = decode();
  } catch (error) {
    if (error instanceof ProtocolError) return 'refused';
    throw error;
  }
  expect(decodeAgain(encode(message))).toEqual(message);
  return 'decoded';
}

function checkBoth(bytes: Uint8Array): Outcome[] {
  return [
    check(() => decodeAgentFrame(bytes), (m) => encodeAgentMessage(m), (b) => decodeAgentFrame(b)),
    check(() => decodeServerFrame(bytes), (m) => encodeServerMessage(m), (b) => decodeServerFrame(b)),
  ];
}

function delimit(body: Uint8Array): Uint8Array {
  return Writer.create().bytes(body).finish();
}

function mutate(random: () => number, body: Uint8Array): Uint8Array {
  const out = Uint8Array.from(body);
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits && out.length > 0; i++) {
    out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  }
  return out;
}

// Bodies of valid frames (small ones, so mutations hit structure rather than long strings).
const validBodies = [
  ...sampleAgentMessages.map((m) => encodeAgentMessage(m)),
  ...sampleServerMessages.map((m) => encodeServerMessage(m)),
]
  .filter((frame) => frame.length < 2000)
  .map((frame) => frame.subarray((frame[0] ?? 0) < 0x80 ? 1 : 2));

describe('decoding random bytes', () => {
  it('refuses or accepts 2000 random buffers, never anything else', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 2000; i++) checkBoth(randomBytes(random, Math.floor(random() * 64)));
  });

  it('refuses or accepts 2000 random bodies behind a correct length prefix', () => {
    const random = seededRandom(2);
    for (let i = 0; i < 2000; i++) checkBoth(delimit(randomBytes(random, Math.floor(random() * 200))));
  });

  it('refuses or accepts 3000 mutations of valid frames, and accepts some of them', () => {
    const random = seededRandom(3);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 3000; i++) {
      const body = validBodies[i % validBodies.length] as Uint8Array;
      outcomes.push(...checkBoth(delimit(mutate(random, body))));
    }
    // Otherwise the property above would hold trivially.
    expect(outcomes).toContain('decoded');
    expect(outcomes).toContain('refused');
  });

  it('refuses or accepts random streams fed to FrameDecoder in random chunks', () => {
    const random = seededRandom(4);
    for (let i = 0; i < 500; i++) {
      const decoder = new FrameDecoder({ maxFrameBytes: 4096 });
      const stream = randomBytes(random, Math.floor(random() * 512));
      try {
        for (let pos = 0; pos < stream.length; ) {
          const size = 1 + Math.floor(random() * 32);
          for (const body of decoder.push(stream.subarray(pos, pos + size))) {
            check(() => decodeAgentBody(body), (m) => encodeAgentMessage(m), (b) => decodeAgentFrame(b));
            check(() => decodeServerBody(body), (m) => encodeServerMessage(m), (b) => decodeServerFrame(b));
          }
          pos += size;
        }
        decoder.end();
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
      }
    }
  });
});
