import { agentDeltaFromWire, agentDeltaToWire, cursorFromWire, cursorToWire, serverDeltaFromWire, serverDeltaToWire } from './delta-mapping';
import { directoryObjectFromWire, directoryObjectToWire, forestFromWire, forestToWire } from './directory-mapping';
import { type Fail, wireUint64 } from './field-checks';
import { syncready } from './generated/agent';
import { type AgentMessage, REJECT_REASONS, type RejectReason, type ServerMessage } from './messages';
import { ProtocolError, ProtocolErrorCode } from './protocol-error';

import wire = syncready.agent.v1;

/*
 * Plain messages ⟷ the generated protobuf.js types. Nothing outside this library sees the
 * generated classes. `*ToWire` expects a validated message; `*FromWire` converts whatever the
 * decoder produced and leaves the protocol invariants to message-validation.ts.
 *
 * Proto3 has no presence for scalars, so absent strings and numbers read as "" and 0; the
 * validators then reject the required ones.
 */

/** Wire enum value for each reject reason (index = wire value, see REJECT_REASONS). */
const REASON_TO_WIRE: Readonly<Record<RejectReason, wire.RejectReason>> = {
  unspecified: wire.RejectReason.REJECT_REASON_UNSPECIFIED,
  countMismatch: wire.RejectReason.REJECT_REASON_COUNT_MISMATCH,
  digestMismatch: wire.RejectReason.REJECT_REASON_DIGEST_MISMATCH,
  sequenceGap: wire.RejectReason.REJECT_REASON_SEQUENCE_GAP,
  unknownSnapshot: wire.RejectReason.REJECT_REASON_UNKNOWN_SNAPSHOT,
  snapshotExpired: wire.RejectReason.REJECT_REASON_SNAPSHOT_EXPIRED,
};

const REASON_FROM_WIRE: ReadonlyMap<number, RejectReason> = new Map(
  REJECT_REASONS.map((reason) => [REASON_TO_WIRE[reason], reason]),
);

function noBody(direction: string): never {
  // An empty oneof is either corruption or a message type from a newer peer that this
  // version dropped as an unknown field; either way there is nothing to act on.
  throw new ProtocolError(ProtocolErrorCode.UNEXPECTED_MESSAGE, `${direction} frame carries no message this version knows`);
}

/** Plain → generated AgentFrame. */
export function agentMessageToWire(message: AgentMessage): wire.AgentFrame.$Properties {
  switch (message.type) {
    case 'hello':
      return {
        hello: {
          protocolVersion: message.protocolVersion,
          minProtocolVersion: message.minVersion ?? 0,
          maxProtocolVersion: message.maxVersion ?? 0,
          agentVersion: message.agentVersion,
          capabilities: [...message.capabilities],
          siteKey: message.siteKey,
          hostName: message.hostName,
        },
      };
    case 'snapshotBegin':
      return {
        snapshotBegin: { snapshotId: message.snapshotId, forest: forestToWire(message.forest), baseDn: message.baseDn },
      };
    case 'objectBatch':
      return {
        objectBatch: {
          snapshotId: message.snapshotId,
          sequence: message.sequence,
          objects: message.objects.map(directoryObjectToWire),
        },
      };
    case 'snapshotEnd':
      return {
        snapshotEnd: {
          snapshotId: message.snapshotId,
          sequence: message.sequence,
          objectCount: message.objectCount,
          digest: message.digest,
        },
      };
    case 'heartbeat':
      return { heartbeat: { sentAtMs: message.sentAtMs } };
    case 'deltaBegin':
    case 'deltaBatch':
    case 'deltaEnd':
      return agentDeltaToWire(message);
  }
}

/** Generated AgentFrame → plain; the caller validates the result. */
export function agentMessageFromWire(frame: wire.AgentFrame & wire.AgentFrame.$Shape, fail: Fail): AgentMessage {
  switch (frame.body) {
    case 'hello': {
      const h = frame.hello;
      return {
        type: 'hello',
        protocolVersion: h.protocolVersion ?? 0,
        // 0 is proto3's "not set"; a version is never 0.
        ...(h.minProtocolVersion ? { minVersion: h.minProtocolVersion } : {}),
        ...(h.maxProtocolVersion ? { maxVersion: h.maxProtocolVersion } : {}),
        agentVersion: h.agentVersion ?? '',
        capabilities: h.capabilities ?? [],
        siteKey: h.siteKey ?? '',
        hostName: h.hostName ?? '',
      };
    }
    case 'snapshotBegin': {
      const b = frame.snapshotBegin;
      return {
        type: 'snapshotBegin',
        snapshotId: b.snapshotId ?? '',
        forest: forestFromWire(b.forest, 'snapshotBegin.forest', fail),
        baseDn: b.baseDn ?? '',
      };
    }
    case 'objectBatch': {
      const b = frame.objectBatch;
      return {
        type: 'objectBatch',
        snapshotId: b.snapshotId ?? '',
        sequence: wireUint64(b.sequence, 'objectBatch.sequence', fail),
        objects: (b.objects ?? []).map((o, i) => directoryObjectFromWire(o, `objectBatch.objects[${i}]`, fail)),
      };
    }
    case 'snapshotEnd': {
      const e = frame.snapshotEnd;
      return {
        type: 'snapshotEnd',
        snapshotId: e.snapshotId ?? '',
        sequence: wireUint64(e.sequence, 'snapshotEnd.sequence', fail),
        objectCount: wireUint64(e.objectCount, 'snapshotEnd.objectCount', fail),
        digest: e.digest ?? '',
      };
    }
    case 'heartbeat':
      return { type: 'heartbeat', sentAtMs: wireUint64(frame.heartbeat.sentAtMs, 'heartbeat.sentAtMs', fail) };
    default:
      return agentDeltaFromWire(frame, fail) ?? noBody('agent');
  }
}

/** Plain → generated ServerFrame. */
export function serverMessageToWire(message: ServerMessage): wire.ServerFrame.$Properties {
  switch (message.type) {
    case 'welcome':
      return {
        welcome: {
          protocolVersion: message.protocolVersion,
          serverVersion: message.serverVersion,
          capabilities: [...message.capabilities],
          siteId: message.siteId,
          sessionId: message.sessionId,
          maxFrameBytes: message.maxFrameBytes,
          heartbeatIntervalMs: message.heartbeatIntervalMs,
          ...(message.cursor ? { cursor: cursorToWire(message.cursor) } : {}),
        },
      };
    case 'ack':
      return { ack: { snapshotId: message.snapshotId, sequence: message.sequence } };
    case 'snapshotCommitted':
      return {
        snapshotCommitted: {
          snapshotId: message.snapshotId,
          generation: message.generation,
          objectCount: message.objectCount,
        },
      };
    case 'snapshotRejected':
      return {
        snapshotRejected: {
          snapshotId: message.snapshotId,
          reason: REASON_TO_WIRE[message.reason],
          message: message.message,
        },
      };
    case 'error':
      return { error: { code: message.code, message: message.message } };
    case 'heartbeat':
      return { heartbeat: { sentAtMs: message.sentAtMs } };
    case 'deltaCommitted':
    case 'deltaRejected':
      return serverDeltaToWire(message);
    case 'syncRequest':
      return { syncRequest: { fullSnapshot: message.fullSnapshot, reason: message.reason } };
  }
}

/** Generated ServerFrame → plain; the caller validates the result. */
export function serverMessageFromWire(frame: wire.ServerFrame & wire.ServerFrame.$Shape, fail: Fail): ServerMessage {
  switch (frame.body) {
    case 'welcome': {
      const w = frame.welcome;
      const cursor = cursorFromWire(w.cursor, fail);
      return {
        type: 'welcome',
        protocolVersion: w.protocolVersion ?? 0,
        serverVersion: w.serverVersion ?? '',
        capabilities: w.capabilities ?? [],
        siteId: w.siteId ?? '',
        sessionId: w.sessionId ?? '',
        maxFrameBytes: w.maxFrameBytes ?? 0,
        heartbeatIntervalMs: w.heartbeatIntervalMs ?? 0,
        ...(cursor ? { cursor } : {}),
      };
    }
    case 'ack':
      return {
        type: 'ack',
        snapshotId: frame.ack.snapshotId ?? '',
        sequence: wireUint64(frame.ack.sequence, 'ack.sequence', fail),
      };
    case 'snapshotCommitted': {
      const c = frame.snapshotCommitted;
      return {
        type: 'snapshotCommitted',
        snapshotId: c.snapshotId ?? '',
        generation: wireUint64(c.generation, 'snapshotCommitted.generation', fail),
        objectCount: wireUint64(c.objectCount, 'snapshotCommitted.objectCount', fail),
      };
    }
    case 'snapshotRejected': {
      const r = frame.snapshotRejected;
      return {
        type: 'snapshotRejected',
        snapshotId: r.snapshotId ?? '',
        // Enums are open: a reason added later reads as 'unspecified' rather than failing.
        reason: REASON_FROM_WIRE.get(r.reason ?? 0) ?? 'unspecified',
        message: r.message ?? '',
      };
    }
    case 'error':
      return { type: 'error', code: frame.error.code ?? '', message: frame.error.message ?? '' };
    case 'heartbeat':
      return { type: 'heartbeat', sentAtMs: wireUint64(frame.heartbeat.sentAtMs, 'heartbeat.sentAtMs', fail) };
    case 'syncRequest':
      return { type: 'syncRequest', fullSnapshot: frame.syncRequest.fullSnapshot ?? false, reason: frame.syncRequest.reason ?? '' };
    default:
      return serverDeltaFromWire(frame, fail) ?? noBody('server');
  }
}
