import { isGuid } from '@syncready/directory';
import {
  DELTA_REJECT_REASONS,
  type DeltaBatchMessage,
  type DeltaBeginMessage,
  type DeltaCommittedMessage,
  type DeltaEndMessage,
  type DeltaRejectedMessage,
  type DeltaRejectReason,
  type SyncCursor,
} from './delta-messages';
import { directoryObjectFromWire, directoryObjectToWire, validateDirectoryObject } from './directory-mapping';
import { checkText, checkUint, type Fail, wireUint64 } from './field-checks';
import { syncready } from './generated/agent';

import wire = syncready.agent.v1;

/*
 * Plain ⟷ generated for the "delta.v1" messages, and their protocol invariants. Kept apart from
 * message-mapping.ts so each file holds one family of messages.
 */

const REASON_TO_WIRE: Readonly<Record<DeltaRejectReason, wire.DeltaRejectReason>> = {
  unspecified: wire.DeltaRejectReason.DELTA_REJECT_REASON_UNSPECIFIED,
  baseMismatch: wire.DeltaRejectReason.DELTA_REJECT_REASON_BASE_MISMATCH,
  unknownCursor: wire.DeltaRejectReason.DELTA_REJECT_REASON_UNKNOWN_CURSOR,
  invalid: wire.DeltaRejectReason.DELTA_REJECT_REASON_INVALID,
};

const REASON_FROM_WIRE: ReadonlyMap<number, DeltaRejectReason> = new Map(DELTA_REJECT_REASONS.map((reason) => [REASON_TO_WIRE[reason], reason]));

/** Plain → wire cursor. */
export function cursorToWire(cursor: SyncCursor): wire.SyncCursor.$Properties {
  return { invocationId: cursor.invocationId, highestUsn: cursor.highestUsn, generation: cursor.generation, baseDn: cursor.baseDn };
}

/** Wire → plain cursor; an unset or empty one (proto3 has no presence for "none") is undefined. */
export function cursorFromWire(cursor: wire.SyncCursor.$Properties | null | undefined, fail: Fail): SyncCursor | undefined {
  if (!cursor || !cursor.invocationId) return undefined;
  return {
    invocationId: cursor.invocationId,
    highestUsn: wireUint64(cursor.highestUsn, 'welcome.cursor.highestUsn', fail),
    generation: wireUint64(cursor.generation, 'welcome.cursor.generation', fail),
    baseDn: cursor.baseDn ?? '',
  };
}

/** Checks a cursor in a welcome. */
export function validateCursor(cursor: SyncCursor, fail: Fail): void {
  checkText(cursor.invocationId, 'welcome.cursor.invocationId', fail, true);
  checkUint(cursor.highestUsn, 'welcome.cursor.highestUsn', fail);
  checkUint(cursor.generation, 'welcome.cursor.generation', fail, 1);
  checkText(cursor.baseDn, 'welcome.cursor.baseDn', fail, true);
}

type AgentDelta = DeltaBeginMessage | DeltaBatchMessage | DeltaEndMessage;
type ServerDelta = DeltaCommittedMessage | DeltaRejectedMessage;

/** Plain → generated AgentFrame body for a delta message. */
export function agentDeltaToWire(message: AgentDelta): wire.AgentFrame.$Properties {
  switch (message.type) {
    case 'deltaBegin':
      return {
        deltaBegin: {
          deltaId: message.deltaId,
          baseGeneration: message.baseGeneration,
          invocationId: message.invocationId,
          fromUsn: message.fromUsn,
          toUsn: message.toUsn,
        },
      };
    case 'deltaBatch':
      return {
        deltaBatch: {
          deltaId: message.deltaId,
          sequence: message.sequence,
          upserts: message.upserts.map(directoryObjectToWire),
          deletions: [...message.deletions],
        },
      };
    case 'deltaEnd':
      return {
        deltaEnd: { deltaId: message.deltaId, sequence: message.sequence, upsertCount: message.upsertCount, deletionCount: message.deletionCount },
      };
  }
}

/** Generated AgentFrame → plain delta message, or undefined when the body is not a delta. */
export function agentDeltaFromWire(frame: wire.AgentFrame & wire.AgentFrame.$Shape, fail: Fail): AgentDelta | undefined {
  switch (frame.body) {
    case 'deltaBegin': {
      const b = frame.deltaBegin;
      return {
        type: 'deltaBegin',
        deltaId: b.deltaId ?? '',
        baseGeneration: wireUint64(b.baseGeneration, 'deltaBegin.baseGeneration', fail),
        invocationId: b.invocationId ?? '',
        fromUsn: wireUint64(b.fromUsn, 'deltaBegin.fromUsn', fail),
        toUsn: wireUint64(b.toUsn, 'deltaBegin.toUsn', fail),
      };
    }
    case 'deltaBatch': {
      const b = frame.deltaBatch;
      return {
        type: 'deltaBatch',
        deltaId: b.deltaId ?? '',
        sequence: wireUint64(b.sequence, 'deltaBatch.sequence', fail),
        upserts: (b.upserts ?? []).map((o, i) => directoryObjectFromWire(o, `deltaBatch.upserts[${i}]`, fail)),
        deletions: b.deletions ?? [],
      };
    }
    case 'deltaEnd': {
      const e = frame.deltaEnd;
      return {
        type: 'deltaEnd',
        deltaId: e.deltaId ?? '',
        sequence: wireUint64(e.sequence, 'deltaEnd.sequence', fail),
        upsertCount: wireUint64(e.upsertCount, 'deltaEnd.upsertCount', fail),
        deletionCount: wireUint64(e.deletionCount, 'deltaEnd.deletionCount', fail),
      };
    }
    default:
      return undefined;
  }
}

/** Plain → generated ServerFrame body for a delta answer. */
export function serverDeltaToWire(message: ServerDelta): wire.ServerFrame.$Properties {
  if (message.type === 'deltaCommitted') {
    return { deltaCommitted: { deltaId: message.deltaId, generation: message.generation, toUsn: message.toUsn } };
  }
  return { deltaRejected: { deltaId: message.deltaId, reason: REASON_TO_WIRE[message.reason], message: message.message } };
}

/** Generated ServerFrame → plain delta answer, or undefined when the body is not one. */
export function serverDeltaFromWire(frame: wire.ServerFrame & wire.ServerFrame.$Shape, fail: Fail): ServerDelta | undefined {
  switch (frame.body) {
    case 'deltaCommitted': {
      const c = frame.deltaCommitted;
      return {
        type: 'deltaCommitted',
        deltaId: c.deltaId ?? '',
        generation: wireUint64(c.generation, 'deltaCommitted.generation', fail),
        toUsn: wireUint64(c.toUsn, 'deltaCommitted.toUsn', fail),
      };
    }
    case 'deltaRejected': {
      const r = frame.deltaRejected;
      // Enums are open: a reason added later reads as 'unspecified'.
      return { type: 'deltaRejected', deltaId: r.deltaId ?? '', reason: REASON_FROM_WIRE.get(r.reason ?? 0) ?? 'unspecified', message: r.message ?? '' };
    }
    default:
      return undefined;
  }
}

/** Protocol invariants of the agent's delta messages. */
export function validateAgentDelta(message: AgentDelta, fail: Fail): void {
  switch (message.type) {
    case 'deltaBegin': {
      checkText(message.deltaId, 'deltaBegin.deltaId', fail, true);
      checkUint(message.baseGeneration, 'deltaBegin.baseGeneration', fail, 1);
      checkText(message.invocationId, 'deltaBegin.invocationId', fail, true);
      const from = checkUint(message.fromUsn, 'deltaBegin.fromUsn', fail, 1);
      const to = checkUint(message.toUsn, 'deltaBegin.toUsn', fail);
      // An empty delta (nothing changed) has toUsn = fromUsn - 1.
      if (to < from - 1) fail('deltaBegin.toUsn must not lie below fromUsn - 1');
      return;
    }
    case 'deltaBatch':
      checkText(message.deltaId, 'deltaBatch.deltaId', fail, true);
      checkUint(message.sequence, 'deltaBatch.sequence', fail, 1);
      if (!Array.isArray(message.upserts) || !Array.isArray(message.deletions)) fail('deltaBatch.upserts and deletions must be arrays');
      message.upserts.forEach((object, i) => validateDirectoryObject(object, `deltaBatch.upserts[${i}]`, fail));
      message.deletions.forEach((guid, i) => {
        if (!isGuid(checkText(guid, `deltaBatch.deletions[${i}]`, fail, true))) fail(`deltaBatch.deletions[${i}] is not a GUID`);
      });
      return;
    case 'deltaEnd':
      checkText(message.deltaId, 'deltaEnd.deltaId', fail, true);
      checkUint(message.sequence, 'deltaEnd.sequence', fail);
      checkUint(message.upsertCount, 'deltaEnd.upsertCount', fail);
      checkUint(message.deletionCount, 'deltaEnd.deletionCount', fail);
      return;
  }
}

/** Protocol invariants of the control plane's delta answers. */
export function validateServerDelta(message: ServerDelta, fail: Fail): void {
  if (message.type === 'deltaCommitted') {
    checkText(message.deltaId, 'deltaCommitted.deltaId', fail, true);
    checkUint(message.generation, 'deltaCommitted.generation', fail, 1);
    checkUint(message.toUsn, 'deltaCommitted.toUsn', fail);
    return;
  }
  checkText(message.deltaId, 'deltaRejected.deltaId', fail, true);
  if (!DELTA_REJECT_REASONS.includes(message.reason)) fail('deltaRejected.reason is not a known reason');
  checkText(message.message, 'deltaRejected.message', fail, false);
}
