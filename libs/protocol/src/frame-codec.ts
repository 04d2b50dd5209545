import { type Fail, failWith } from './field-checks';
import { checkFrameSize, readFrameHeader, resolveMaxFrameBytes } from './frame-header';
import { syncready } from './generated/agent';
import { agentMessageFromWire, agentMessageToWire, serverMessageFromWire, serverMessageToWire } from './message-mapping';
import { validateAgentMessage, validateServerMessage } from './message-validation';
import { type AgentMessage, type ServerMessage } from './messages';
import { ProtocolError, ProtocolErrorCode } from './protocol-error';

import wire = syncready.agent.v1;

/*
 * One frame = varint length prefix + one AgentFrame or ServerFrame (protobuf.js'
 * encodeDelimited layout), and one WebSocket binary message carries exactly one frame.
 */

/** Options of the frame encoders and decoders. */
export interface FrameCodecOptions {
  /**
   * Largest frame accepted or produced, length prefix included. Pass the peer's limit when
   * encoding (from `welcome.maxFrameBytes`) and this side's limit when decoding.
   * @default MAX_FRAME_BYTES (4 MiB)
   */
  readonly maxFrameBytes?: number;
}

// Explicitly typed so TypeScript treats calls as never-returning.
const invalidMessage: Fail = failWith(ProtocolErrorCode.INVALID_MESSAGE);
const malformedFrame: Fail = failWith(ProtocolErrorCode.MALFORMED_FRAME);

/**
 * Encodes one agent message as one frame. Throws ProtocolError INVALID_MESSAGE when the message
 * breaks the protocol (a bug on this side) and FRAME_TOO_LARGE when the frame would exceed
 * `maxFrameBytes`, so the sender can split its batch instead of being disconnected.
 */
export function encodeAgentMessage(message: AgentMessage, options: FrameCodecOptions = {}): Uint8Array {
  validateAgentMessage(message, invalidMessage);
  return finish(wire.AgentFrame.encodeDelimited(agentMessageToWire(message)), options);
}

/** Encodes one control-plane message as one frame; throws like {@link encodeAgentMessage}. */
export function encodeServerMessage(message: ServerMessage, options: FrameCodecOptions = {}): Uint8Array {
  validateServerMessage(message, invalidMessage);
  return finish(wire.ServerFrame.encodeDelimited(serverMessageToWire(message)), options);
}

/**
 * Decodes a buffer that must hold exactly one frame from an agent (one WebSocket message).
 * Throws ProtocolError: FRAME_TOO_LARGE (declared length over the limit, checked before
 * decoding), MALFORMED_FRAME (bad or truncated prefix, trailing bytes, undecodable body,
 * invalid field values), UNEXPECTED_MESSAGE (no message this version knows).
 */
export function decodeAgentFrame(bytes: Uint8Array, options: FrameCodecOptions = {}): AgentMessage {
  return decodeAgentBody(frameBody(bytes, options));
}

/** Decodes exactly one frame from the control plane; throws like {@link decodeAgentFrame}. */
export function decodeServerFrame(bytes: Uint8Array, options: FrameCodecOptions = {}): ServerMessage {
  return decodeServerBody(frameBody(bytes, options));
}

/**
 * Decodes the body of an agent frame, without its length prefix (what {@link FrameDecoder}
 * returns). The body's size must already be bounded by the caller.
 */
export function decodeAgentBody(body: Uint8Array): AgentMessage {
  const message = agentMessageFromWire(decodeWire(() => wire.AgentFrame.decode(body)), malformedFrame);
  validateAgentMessage(message, malformedFrame);
  return message;
}

/** Decodes the body of a control-plane frame; see {@link decodeAgentBody}. */
export function decodeServerBody(body: Uint8Array): ServerMessage {
  const message = serverMessageFromWire(decodeWire(() => wire.ServerFrame.decode(body)), malformedFrame);
  validateServerMessage(message, malformedFrame);
  return message;
}

function finish(writer: { readonly len: number; finish(): Uint8Array }, options: FrameCodecOptions): Uint8Array {
  // writer.len is the exact frame size before the bytes are assembled.
  checkFrameSize(writer.len, resolveMaxFrameBytes(options.maxFrameBytes));
  return writer.finish();
}

function frameBody(bytes: Uint8Array, options: FrameCodecOptions): Uint8Array {
  const header = readFrameHeader(bytes, 0, resolveMaxFrameBytes(options.maxFrameBytes));
  if (header === undefined) malformedFrame('frame ends inside its length prefix');
  const frameBytes = header.prefixBytes + header.bodyBytes;
  if (bytes.length < frameBytes) malformedFrame(`frame is truncated: ${bytes.length} of ${frameBytes} bytes`);
  if (bytes.length > frameBytes) malformedFrame(`${bytes.length - frameBytes} bytes follow the frame`);
  return bytes.subarray(header.prefixBytes);
}

function decodeWire<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    // protobuf.js throws plain Errors/RangeErrors (index out of range, invalid wire type,
    // invalid UTF-8, max depth exceeded); to the caller they are all one malformed frame.
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProtocolError(ProtocolErrorCode.MALFORMED_FRAME, `frame body is not valid protobuf: ${detail}`, {
      cause: error,
    });
  }
}
