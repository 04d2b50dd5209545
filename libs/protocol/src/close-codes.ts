import { ProtocolError, ProtocolErrorCode } from './protocol-error';

/**
 * WebSocket close codes of the agent protocol, shared by both ends. 4000–4999 is the range
 * RFC 6455 leaves to applications; the 1xxx entries are the standard codes an agent sees.
 */
export const CloseCode = {
  /** Orderly close by either side. */
  NORMAL: 1000,
  /** The peer is going away (process exit, proxy idle timeout). */
  GOING_AWAY: 1001,
  /** Receive-only: the connection dropped without a close frame. Never sent (ws refuses it). */
  ABNORMAL_CLOSURE: 1006,
  /** A WebSocket message above the receiver's `maxPayload`; sent by ws itself. */
  MESSAGE_TOO_BIG: 1009,
  /** The agent's identity was not proven (no or a bad signature, unknown agent). */
  UNAUTHORIZED: 4001,
  /** No common protocol version. */
  UNSUPPORTED_VERSION: 4002,
  /** A malformed frame or a message not allowed at this point. */
  PROTOCOL_ERROR: 4003,
  /** A frame above the announced `maxFrameBytes`. */
  FRAME_TOO_LARGE: 4004,
  /** No hello within the pre-authentication deadline. */
  HELLO_TIMEOUT: 4005,
  /** The snapshot was rejected and the session ends with it. */
  SNAPSHOT_REJECTED: 4006,
  /** A bug or failure inside the side that closes. */
  INTERNAL_ERROR: 4007,
  /** The control plane replica is stopping; reconnect (to another replica). */
  SERVER_SHUTTING_DOWN: 4008,
  /** The same agent is already connected from another installation (a cloned machine). */
  DUPLICATE_SESSION: 4009,
  /** The agent's enrollment was revoked. */
  AGENT_REVOKED: 4010,
  /** Too many connections or frames from this site. */
  RATE_LIMITED: 4011,
} as const;

/** One of {@link CloseCode}'s values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** One of {@link CloseCode}'s keys. */
export type CloseCodeName = keyof typeof CloseCode;

/** What an admin reads in the agent log or the console for each code. */
const DESCRIPTIONS: Readonly<Record<CloseCodeName, string>> = {
  NORMAL: 'the connection was closed normally',
  GOING_AWAY: 'the other side went away (agent or control plane stopping, or a proxy closing an idle connection); the agent reconnects',
  ABNORMAL_CLOSURE: 'the connection dropped without a goodbye: check the network path, proxies and firewalls between the agent and the control plane',
  MESSAGE_TOO_BIG: 'a message exceeded the WebSocket size limit: the agent and the control plane disagree on the frame limit, upgrade the older one',
  UNAUTHORIZED: 'the control plane did not accept this agent\'s identity: enroll the agent again (syncready-agent enroll --force)',
  UNSUPPORTED_VERSION: 'the agent and the control plane share no protocol version: upgrade the older of the two',
  PROTOCOL_ERROR: 'a frame broke the protocol (malformed or out of order): this is a bug, keep the agent and control-plane logs for a report',
  FRAME_TOO_LARGE: 'a frame exceeded the agreed size limit: this is a bug in the sender, keep the logs for a report',
  HELLO_TIMEOUT: 'the agent did not introduce itself in time after connecting: check load on the agent host and latency to the control plane',
  SNAPSHOT_REJECTED: 'the control plane rejected the snapshot: the agent sends a new one after it reconnects',
  INTERNAL_ERROR: 'an internal error ended the session: see the logs of the side that closed; the agent reconnects',
  SERVER_SHUTTING_DOWN: 'the control plane is restarting or scaling down; the agent reconnects',
  DUPLICATE_SESSION: 'this agent identity is already connected from another installation: a cloned machine? enroll the clone with its own token (syncready-agent enroll --force)',
  AGENT_REVOKED: "this agent's enrollment was revoked in the console: enroll it again if it should keep reporting",
  RATE_LIMITED: 'the control plane is rate-limiting this site: the agent backs off and retries',
};

/** Codes after which reconnecting cannot help until someone changes config or versions. */
const FINAL: ReadonlySet<number> = new Set<number>([CloseCode.UNAUTHORIZED, CloseCode.UNSUPPORTED_VERSION, CloseCode.AGENT_REVOKED, CloseCode.DUPLICATE_SESSION]);

const NAMES: ReadonlyMap<number, CloseCodeName> = new Map(
  (Object.keys(CloseCode) as CloseCodeName[]).map((name) => [CloseCode[name], name]),
);

/** The one place protocol errors become close codes. */
const ERROR_CLOSE_CODES: Readonly<Record<ProtocolErrorCode, CloseCode>> = {
  [ProtocolErrorCode.MALFORMED_FRAME]: CloseCode.PROTOCOL_ERROR,
  [ProtocolErrorCode.UNEXPECTED_MESSAGE]: CloseCode.PROTOCOL_ERROR,
  [ProtocolErrorCode.FRAME_TOO_LARGE]: CloseCode.FRAME_TOO_LARGE,
  [ProtocolErrorCode.UNSUPPORTED_VERSION]: CloseCode.UNSUPPORTED_VERSION,
  // This side built a bad message: its own bug, not the peer's.
  [ProtocolErrorCode.INVALID_MESSAGE]: CloseCode.INTERNAL_ERROR,
};

/** `'UNAUTHORIZED'` for 4001 and so on; `'UNKNOWN'` for codes not in {@link CloseCode}. */
export function closeCodeName(code: number): CloseCodeName | 'UNKNOWN' {
  return NAMES.get(code) ?? 'UNKNOWN';
}

/**
 * The close code for an error that ends a session: ProtocolErrors by their `code`, anything
 * else (a bug, a store failure) as INTERNAL_ERROR.
 */
export function closeCodeForError(error: unknown): CloseCode {
  return error instanceof ProtocolError ? ERROR_CLOSE_CODES[error.code] : CloseCode.INTERNAL_ERROR;
}

/**
 * False for codes after which reconnecting is pointless until an admin acts (unknown agent,
 * version mismatch, revoked agent); the agent then stops and reports instead of retrying.
 */
export function isRetryableClose(code: number): boolean {
  return !FINAL.has(code);
}

/**
 * One sentence an admin understands, e.g. for 4010: "This agent's enrollment was revoked in the
 * console: enroll it again if it should keep reporting." The peer's reason is appended when there is one.
 */
export function describeClose(code: number, reason = ''): string {
  const name = NAMES.get(code);
  const text = name === undefined ? `the connection closed with unknown code ${code}` : DESCRIPTIONS[name];
  const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)} (${code} ${name ?? 'UNKNOWN'})`;
  return reason.trim() === '' ? `${sentence}.` : `${sentence}: ${reason.trim()}.`;
}

/**
 * RFC 6455 allows 123 bytes of UTF-8 in a close reason; ws throws on more.
 * @default 123
 */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Shortens `text` to a valid close reason (at most 123 UTF-8 bytes, whole characters). */
export function toCloseReason(text: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= MAX_CLOSE_REASON_BYTES) return text;
  let out = '';
  let bytes = 0;
  const ellipsis = '…'; // 3 bytes
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (bytes + size > MAX_CLOSE_REASON_BYTES - 3) break;
    out += char;
    bytes += size;
  }
  return out + ellipsis;
}
