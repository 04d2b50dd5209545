import { ObjectSetDigest } from '@syncready/directory';
import { Writer } from 'protobufjs/minimal';
import {
  decodeAgentFrame,
  decodeServerFrame,
  encodeAgentMessage,
  encodeServerMessage,
} from './frame-codec';
import { MAX_FRAME_BYTES } from './frame-header';
import { syncready } from './generated/agent';
import { type AgentMessage, REJECT_REASONS, type ServerMessage } from './messages';
import { ProtocolError, type ProtocolErrorCode } from './protocol-error';
import { MAX_SAFE, sampleAgentMessages, sampleObjects, sampleServerMessages, sampleUser } from './testing/sample-messages';

import wire = syncready.agent.v1;

/** Runs `fn` and returns the ProtocolError code it threw (fails the test on anything else). */
function codeOf(fn: () => unknown): ProtocolErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

/** Frames a raw body the way the codec does, for hand-made (possibly invalid) bodies. */
function frame(body: Uint8Array): Uint8Array {
  return Writer.create().bytes(body).finish();
}

function agentFrame(properties: wire.AgentFrame.$Properties): Uint8Array {
  return wire.AgentFrame.encodeDelimited(properties).finish();
}

function serverFrame(properties: wire.ServerFrame.$Properties): Uint8Array {
  return wire.ServerFrame.encodeDelimited(properties).finish();
}

const wireUser: wire.DirectoryObject.$Properties = {
  objectGuid: sampleUser.objectGuid,
  distinguishedName: sampleUser.distinguishedName,
  kind: wire.ObjectKind.OBJECT_KIND_USER,
  usnChanged: 1,
  attributes: [{ name: 'mail', values: ['a@example.com'] }],
};

describe('frame codec round trips', () => {
  it.each(sampleAgentMessages.map((m) => [m.type, m] as const))('agent %s', (_type, message) => {
    const bytes = encodeAgentMessage(message);
    expect(decodeAgentFrame(bytes)).toEqual(message);
  });

  it.each(sampleServerMessages.map((m) => [m.type, m] as const))('server %s', (_type, message) => {
    expect(decodeServerFrame(encodeServerMessage(message))).toEqual(message);
  });

  it.each(REJECT_REASONS)('reject reason %s', (reason) => {
    const message: ServerMessage = { type: 'snapshotRejected', snapshotId: 's', reason, message: 'm' };
    expect(decodeServerFrame(encodeServerMessage(message))).toEqual(message);
  });

  it('carries the digest the directory model computes', () => {
    const digest = new ObjectSetDigest();
    for (const object of sampleObjects) digest.add(object.objectGuid, object.usnChanged);
    const end: AgentMessage = { type: 'snapshotEnd', snapshotId: 's', sequence: 1, objectCount: digest.size, digest: digest.toString() };
    expect(decodeAgentFrame(encodeAgentMessage(end))).toEqual(end);
  });

  it('keeps a hello without a version range free of min/max keys', () => {
    const hello = decodeAgentFrame(encodeAgentMessage(sampleAgentMessages[1] as AgentMessage));
    expect(hello).not.toHaveProperty('minVersion');
    expect(hello).not.toHaveProperty('maxVersion');
  });

  it('keeps attribute names like __proto__ as ordinary keys', () => {
    const attributes = JSON.parse('{"__proto__":["x"],"constructor":["y"]}') as Record<string, string[]>;
    const message: AgentMessage = { type: 'objectBatch', snapshotId: 's', sequence: 1, objects: [{ ...sampleUser, attributes }] };
    const decoded = decodeAgentFrame(encodeAgentMessage(message));
    expect(decoded.type === 'objectBatch' && Object.entries(decoded.objects[0]?.attributes ?? {})).toEqual([
      ['__proto__', ['x']],
      ['constructor', ['y']],
    ]);
  });

  it('produces one delimited frame: varint length, then the message', () => {
    const bytes = encodeAgentMessage({ type: 'heartbeat', sentAtMs: 5 });
    // AgentFrame{heartbeat(5): Heartbeat{sent_at_ms(1): 5}}
    expect([...bytes]).toEqual([4, 0x2a, 2, 0x08, 5]);
  });

  it('ignores fields added by a newer peer', () => {
    const body = Writer.create();
    body.uint32((5 << 3) | 2).fork().uint32(8).uint64(7).uint32((99 << 3) | 2).string('new field').ldelim();
    body.uint32((42 << 3) | 0).uint32(1);
    expect(decodeAgentFrame(frame(body.finish()))).toEqual({ type: 'heartbeat', sentAtMs: 7 });
  });
});

describe('frame size limit', () => {
  const message: AgentMessage = { type: 'objectBatch', snapshotId: 's', sequence: 1, objects: [sampleUser] };
  const size = encodeAgentMessage(message).length;

  it('counts the length prefix and accepts a frame of exactly the limit', () => {
    expect(decodeAgentFrame(encodeAgentMessage(message, { maxFrameBytes: size }), { maxFrameBytes: size })).toEqual(message);
  });

  it('refuses to encode a frame above the limit', () => {
    expect(codeOf(() => encodeAgentMessage(message, { maxFrameBytes: size - 1 }))).toBe('PROTOCOL.FRAME_TOO_LARGE');
  });

  it('refuses to decode a frame above the limit', () => {
    const bytes = encodeAgentMessage(message);
    expect(codeOf(() => decodeAgentFrame(bytes, { maxFrameBytes: size - 1 }))).toBe('PROTOCOL.FRAME_TOO_LARGE');
  });

  it('rejects an oversize declared length from the prefix alone, before reading a body', () => {
    // Five prefix bytes declaring 2^32 - 1 body bytes, and no body at all: a decoder that
    // read or allocated first would report truncation (or run out of memory) instead.
    expect(codeOf(() => decodeAgentFrame(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)))).toBe('PROTOCOL.FRAME_TOO_LARGE');
    const justOver = Writer.create().uint32(MAX_FRAME_BYTES).finish();
    expect(codeOf(() => decodeServerFrame(justOver))).toBe('PROTOCOL.FRAME_TOO_LARGE');
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxFrameBytes %p as a programming error', (maxFrameBytes) => {
    expect(() => decodeAgentFrame(Uint8Array.of(0), { maxFrameBytes })).toThrow(RangeError);
  });
});

describe('malformed frames', () => {
  const valid = encodeAgentMessage({ type: 'heartbeat', sentAtMs: 300 });

  it.each([
    ['empty buffer', new Uint8Array(0)],
    ['prefix cut inside the varint', Uint8Array.of(0x80)],
    ['six-byte varint', Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x00)],
    ['varint above 32 bits', Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x10)],
    ['continuation on the fifth byte', Uint8Array.of(0x81, 0x80, 0x80, 0x80, 0x80, 0x01)],
    ['trailing garbage', Uint8Array.of(...valid, 0x00)],
    ['two frames in one message', Uint8Array.of(...valid, ...valid)],
    ['invalid wire type in the body', frame(Uint8Array.of(0x2f))],
    ['field number 0', frame(Uint8Array.of(0x00, 0x00))],
    ['nested length past the end', frame(Uint8Array.of(0x2a, 0x10, 0x08))],
    ['invalid UTF-8 in a string', agentFrameWithRawSiteKey(Uint8Array.of(0xed, 0xa0, 0x80))],
  ])('%s', (_name, bytes) => {
    expect(codeOf(() => decodeAgentFrame(bytes))).toBe('PROTOCOL.MALFORMED_FRAME');
  });

  it('rejects every truncation of a valid frame', () => {
    const bytes = encodeAgentMessage(sampleAgentMessages[0] as AgentMessage);
    for (let length = 0; length < bytes.length; length++) {
      expect(codeOf(() => decodeAgentFrame(bytes.subarray(0, length)))).toBe('PROTOCOL.MALFORMED_FRAME');
    }
  });

  function agentFrameWithRawSiteKey(raw: Uint8Array): Uint8Array {
    const hello = Writer.create().uint32(8).uint32(1).uint32((4 << 3) | 2).string('1.0');
    hello.uint32((6 << 3) | 2).bytes(raw).uint32((7 << 3) | 2).string('h');
    return frame(Writer.create().uint32((1 << 3) | 2).bytes(hello.finish()).finish());
  }
});

describe('frames with no or unexpected content', () => {
  it.each([
    ['zero-length body', frame(new Uint8Array(0))],
    ['only an unknown field (a newer message type)', frame(Uint8Array.of((15 << 3) | 2, 0))],
  ])('%s is UNEXPECTED_MESSAGE', (_name, bytes) => {
    expect(codeOf(() => decodeAgentFrame(bytes))).toBe('PROTOCOL.UNEXPECTED_MESSAGE');
    expect(codeOf(() => decodeServerFrame(bytes))).toBe('PROTOCOL.UNEXPECTED_MESSAGE');
  });

  it('never accepts a frame sent in the wrong direction as valid', () => {
    for (const message of sampleAgentMessages) {
      const bytes = encodeAgentMessage(message);
      expect(() => decodeServerFrame(bytes)).toThrow(ProtocolError);
    }
  });
});

describe('invalid field values on the wire', () => {
  const batch = (object: wire.DirectoryObject.$Properties, sequence: number = 1): Uint8Array =>
    agentFrame({ objectBatch: { snapshotId: 's', sequence, objects: [object] } });

  it.each([
    ['kind UNSPECIFIED', batch({ ...wireUser, kind: wire.ObjectKind.OBJECT_KIND_UNSPECIFIED })],
    ['unknown kind 9', batch({ ...wireUser, kind: 9 as wire.ObjectKind })],
    ['missing objectGuid', batch({ ...wireUser, objectGuid: '' })],
    ['objectGuid not a GUID', batch({ ...wireUser, objectGuid: 'not-a-guid' })],
    ['missing distinguishedName', batch({ ...wireUser, distinguishedName: '' })],
    ['attribute without values', batch({ ...wireUser, attributes: [{ name: 'mail', values: [] }] })],
    ['attribute without a name', batch({ ...wireUser, attributes: [{ name: '', values: ['x'] }] })],
    ['repeated attribute', batch({ ...wireUser, attributes: [{ name: 'a', values: ['1'] }, { name: 'a', values: ['2'] }] })],
    ['usnChanged = 2^53', batch({ ...wireUser, usnChanged: 2 ** 53 })],
    ['usnChanged = 2^63', batch({ ...wireUser, usnChanged: 2 ** 63 })],
    ['sequence 0', batch(wireUser, 0)],
    ['sequence 2^53 + 2', batch(wireUser, 2 ** 53 + 2)],
    ['batch without snapshotId', agentFrame({ objectBatch: { sequence: 1, objects: [] } })],
    ['snapshotBegin without forest', agentFrame({ snapshotBegin: { snapshotId: 's', baseDn: 'DC=x' } })],
    ['snapshotEnd with a bad digest', agentFrame({ snapshotEnd: { snapshotId: 's', digest: 'XYZ' } })],
    ['hello version 0', agentFrame({ hello: { agentVersion: '1', siteKey: 'k', hostName: 'h' } })],
    ['hello outside its own range', agentFrame({ hello: { protocolVersion: 5, maxProtocolVersion: 3, agentVersion: '1', siteKey: 'k', hostName: 'h' } })],
    ['heartbeat at 2^53', agentFrame({ heartbeat: { sentAtMs: 2 ** 53 } })],
  ])('agent frame: %s', (_name, bytes) => {
    expect(codeOf(() => decodeAgentFrame(bytes))).toBe('PROTOCOL.MALFORMED_FRAME');
  });

  it.each([
    ['welcome without a session id', serverFrame({ welcome: { protocolVersion: 1, serverVersion: '1', siteId: 's', maxFrameBytes: 1, heartbeatIntervalMs: 1 } })],
    ['welcome with maxFrameBytes 0', serverFrame({ welcome: { protocolVersion: 1, serverVersion: '1', siteId: 's', sessionId: 'x', heartbeatIntervalMs: 1 } })],
    ['ack without snapshotId', serverFrame({ ack: { sequence: 1 } })],
    ['ack sequence 2^53', serverFrame({ ack: { snapshotId: 's', sequence: 2 ** 53 } })],
    ['snapshotCommitted generation 0', serverFrame({ snapshotCommitted: { snapshotId: 's' } })],
    ['error without a code', serverFrame({ error: { message: 'boom' } })],
  ])('server frame: %s', (_name, bytes) => {
    expect(codeOf(() => decodeServerFrame(bytes))).toBe('PROTOCOL.MALFORMED_FRAME');
  });

  it('reads a reject reason added by a newer control plane as unspecified', () => {
    const bytes = serverFrame({ snapshotRejected: { snapshotId: 's', reason: 77 as wire.RejectReason, message: 'new' } });
    expect(decodeServerFrame(bytes)).toEqual({ type: 'snapshotRejected', snapshotId: 's', reason: 'unspecified', message: 'new' });
  });

  it('accepts a hello without a site key (agents authenticate during the upgrade)', () => {
    const hello = decodeAgentFrame(agentFrame({ hello: { protocolVersion: 1, agentVersion: '1', hostName: 'h' } }));
    expect(hello).toMatchObject({ type: 'hello', siteKey: '', hostName: 'h' });
  });

  it('never puts the site key into an error message', () => {
    const bytes = agentFrame({ hello: { protocolVersion: 1, agentVersion: '1', siteKey: 'sk_secret_value', hostName: '' } });
    try {
      decodeAgentFrame(bytes);
      throw new Error('expected a ProtocolError');
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as Error).message).not.toContain('sk_secret_value');
    }
  });
});

describe('encoding refuses messages that break the protocol', () => {
  const batch = (patch: Partial<typeof sampleUser>): AgentMessage => ({
    type: 'objectBatch',
    snapshotId: 's',
    sequence: 1,
    objects: [{ ...sampleUser, ...patch }],
  });

  it.each<[string, AgentMessage]>([
    ['sequence above 2^53 - 1', { type: 'objectBatch', snapshotId: 's', sequence: MAX_SAFE + 1, objects: [] }],
    ['negative sequence', { type: 'snapshotEnd', snapshotId: 's', sequence: -1, objectCount: 0, digest: '0000000000000000' }],
    ['fractional heartbeat', { type: 'heartbeat', sentAtMs: 1.5 }],
    ['empty snapshotId', { type: 'objectBatch', snapshotId: '', sequence: 1, objects: [] }],
    ['bad GUID', batch({ objectGuid: '{not-a-guid}' })],
    ['unknown kind', batch({ kind: 'printer' as 'user' })],
    ['empty attribute value list', batch({ attributes: { mail: [] } })],
    ['unpaired surrogate', batch({ attributes: { displayName: ['bad \ud800 text'] } })],
    ['uint32 overflow', { type: 'hello', protocolVersion: 2 ** 32, agentVersion: '1', capabilities: [], siteKey: 'k', hostName: 'h' }],
    ['unknown type', { type: 'goodbye' } as unknown as AgentMessage],
  ])('%s', (_name, message) => {
    expect(codeOf(() => encodeAgentMessage(message))).toBe('PROTOCOL.INVALID_MESSAGE');
  });

  it('refuses an empty error code from the control plane side', () => {
    expect(codeOf(() => encodeServerMessage({ type: 'error', code: '', message: 'x' }))).toBe('PROTOCOL.INVALID_MESSAGE');
  });
});

describe('delta messages', () => {
  it('refuses a deletion that is not a GUID', () => {
    const bad: AgentMessage = { type: 'deltaBatch', deltaId: 'd', sequence: 1, upserts: [], deletions: ['CN=not-a-guid'] };
    expect(() => encodeAgentMessage(bad)).toThrow(expect.objectContaining({ code: 'PROTOCOL.INVALID_MESSAGE' }));
  });

  it('refuses a delta whose toUsn lies below its start', () => {
    const bad: AgentMessage = { type: 'deltaBegin', deltaId: 'd', baseGeneration: 1, invocationId: 'i', fromUsn: 10, toUsn: 5 };
    expect(() => encodeAgentMessage(bad)).toThrow(expect.objectContaining({ code: 'PROTOCOL.INVALID_MESSAGE' }));
  });

  it('reads a welcome without a cursor as having none', () => {
    const welcome = sampleServerMessages.find((m) => m.type === 'welcome' && !m.cursor) as ServerMessage;
    expect(decodeServerFrame(encodeServerMessage(welcome))).not.toHaveProperty('cursor');
  });
});
