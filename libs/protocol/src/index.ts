/*
 * @syncready/protocol: the agent ⟷ control-plane wire protocol. Plain message types, the frame
 * codec, stream framing, close codes, version and capability negotiation. The generated
 * protobuf.js code stays internal.
 */
export type {
  AckMessage,
  AgentMessage,
  ErrorMessage,
  HeartbeatMessage,
  HelloMessage,
  ObjectBatchMessage,
  RejectReason,
  ServerMessage,
  SnapshotBeginMessage,
  SnapshotCommittedMessage,
  SnapshotEndMessage,
  SnapshotRejectedMessage,
  SyncRequestMessage,
  WelcomeMessage,
} from './messages';
export { REJECT_REASONS } from './messages';
export type {
  DeltaBatchMessage,
  DeltaBeginMessage,
  DeltaCommittedMessage,
  DeltaEndMessage,
  DeltaRejectedMessage,
  DeltaRejectReason,
  SyncCursor,
} from './delta-messages';
export { DELTA_REJECT_REASONS } from './delta-messages';
export { ProtocolError, ProtocolErrorCode } from './protocol-error';
export type { FrameCodecOptions } from './frame-codec';
export {
  decodeAgentBody,
  decodeAgentFrame,
  decodeServerBody,
  decodeServerFrame,
  encodeAgentMessage,
  encodeServerMessage,
} from './frame-codec';
export { MAX_FRAME_BYTES } from './frame-header';
export { FrameDecoder } from './frame-decoder';
export { HeartbeatMonitor, type HeartbeatMonitorOptions } from './heartbeat-monitor';
export type { CloseCodeName } from './close-codes';
export {
  CloseCode,
  closeCodeForError,
  closeCodeName,
  describeClose,
  isRetryableClose,
  MAX_CLOSE_REASON_BYTES,
  toCloseReason,
} from './close-codes';
export type { VersionRange } from './version-negotiation';
export {
  helloVersionRange,
  MIN_SUPPORTED_PROTOCOL_VERSION,
  negotiateVersion,
  PROTOCOL_VERSION,
} from './version-negotiation';
export { Capability, intersectCapabilities, SUPPORTED_CAPABILITIES } from './capabilities';
export type { EnrollRequest, EnrollResponse } from './agent-auth';
export {
  AGENT_AUTH_CONTEXT,
  AGENT_CHALLENGE_PATH,
  AGENT_NONCE_TTL_MS,
  AgentAuthHeader,
  agentAuthMessage,
  ENROLL_PATH,
  EnrollErrorCode,
} from './agent-auth';
