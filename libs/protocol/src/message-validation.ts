import { validateAgentDelta, validateCursor, validateServerDelta } from './delta-mapping';
import { validateDirectoryObject, validateForest } from './directory-mapping';
import { checkText, checkTextList, checkUint, type Fail, MAX_UINT32 } from './field-checks';
import { type AgentMessage, REJECT_REASONS, type ServerMessage } from './messages';

/*
 * What a valid v1 message is. The encoder runs these checks before it sends (so a bug here
 * fails loudly at the sender) and the decoder after it reads (so a peer's bug or a forged frame
 * never reaches the session logic). Only protocol invariants live here; session rules such as
 * "hello comes first" belong to the session state machines.
 */

const DIGEST = /^[0-9a-f]{16}$/;

/** Checks an agent → control plane message; calls `fail` on the first violation. */
export function validateAgentMessage(message: AgentMessage, fail: Fail): void {
  switch (message.type) {
    case 'hello': {
      const preferred = checkUint(message.protocolVersion, 'hello.protocolVersion', fail, 1, MAX_UINT32);
      const min = message.minVersion === undefined ? preferred : checkUint(message.minVersion, 'hello.minVersion', fail, 1, MAX_UINT32);
      const max = message.maxVersion === undefined ? preferred : checkUint(message.maxVersion, 'hello.maxVersion', fail, 1, MAX_UINT32);
      if (min > preferred || preferred > max) fail('hello.protocolVersion must lie within [minVersion, maxVersion]');
      checkText(message.agentVersion, 'hello.agentVersion', fail, true);
      checkTextList(message.capabilities, 'hello.capabilities', fail, true);
      // Empty since agents authenticate during the upgrade; kept on the wire for compatibility.
      checkText(message.siteKey, 'hello.siteKey', fail, false);
      checkText(message.hostName, 'hello.hostName', fail, true);
      return;
    }
    case 'snapshotBegin':
      checkText(message.snapshotId, 'snapshotBegin.snapshotId', fail, true);
      validateForest(message.forest, 'snapshotBegin.forest', fail);
      checkText(message.baseDn, 'snapshotBegin.baseDn', fail, true);
      return;
    case 'objectBatch':
      checkText(message.snapshotId, 'objectBatch.snapshotId', fail, true);
      checkUint(message.sequence, 'objectBatch.sequence', fail, 1);
      if (!Array.isArray(message.objects)) fail('objectBatch.objects must be an array');
      message.objects.forEach((object, i) => validateDirectoryObject(object, `objectBatch.objects[${i}]`, fail));
      return;
    case 'snapshotEnd':
      checkText(message.snapshotId, 'snapshotEnd.snapshotId', fail, true);
      checkUint(message.sequence, 'snapshotEnd.sequence', fail);
      checkUint(message.objectCount, 'snapshotEnd.objectCount', fail);
      if (!DIGEST.test(checkText(message.digest, 'snapshotEnd.digest', fail, true))) {
        fail('snapshotEnd.digest must be 16 lower-case hex digits');
      }
      return;
    case 'heartbeat':
      checkUint(message.sentAtMs, 'heartbeat.sentAtMs', fail);
      return;
    case 'deltaBegin':
    case 'deltaBatch':
    case 'deltaEnd':
      return validateAgentDelta(message, fail);
    default:
      fail(`unknown agent message type ${JSON.stringify((message as { type: unknown }).type)}`);
  }
}

/** Checks a control plane → agent message; calls `fail` on the first violation. */
export function validateServerMessage(message: ServerMessage, fail: Fail): void {
  switch (message.type) {
    case 'welcome':
      checkUint(message.protocolVersion, 'welcome.protocolVersion', fail, 1, MAX_UINT32);
      checkText(message.serverVersion, 'welcome.serverVersion', fail, true);
      checkTextList(message.capabilities, 'welcome.capabilities', fail, true);
      checkText(message.siteId, 'welcome.siteId', fail, true);
      checkText(message.sessionId, 'welcome.sessionId', fail, true);
      checkUint(message.maxFrameBytes, 'welcome.maxFrameBytes', fail, 1, MAX_UINT32);
      checkUint(message.heartbeatIntervalMs, 'welcome.heartbeatIntervalMs', fail, 1, MAX_UINT32);
      if (message.cursor !== undefined) validateCursor(message.cursor, fail);
      return;
    case 'ack':
      checkText(message.snapshotId, 'ack.snapshotId', fail, true);
      checkUint(message.sequence, 'ack.sequence', fail);
      return;
    case 'snapshotCommitted':
      checkText(message.snapshotId, 'snapshotCommitted.snapshotId', fail, true);
      checkUint(message.generation, 'snapshotCommitted.generation', fail, 1);
      checkUint(message.objectCount, 'snapshotCommitted.objectCount', fail);
      return;
    case 'snapshotRejected':
      checkText(message.snapshotId, 'snapshotRejected.snapshotId', fail, true);
      if (!REJECT_REASONS.includes(message.reason)) fail('snapshotRejected.reason is not a known reason');
      checkText(message.message, 'snapshotRejected.message', fail, false);
      return;
    case 'error':
      checkText(message.code, 'error.code', fail, true);
      checkText(message.message, 'error.message', fail, false);
      return;
    case 'heartbeat':
      checkUint(message.sentAtMs, 'heartbeat.sentAtMs', fail);
      return;
    case 'deltaCommitted':
    case 'deltaRejected':
      return validateServerDelta(message, fail);
    case 'syncRequest':
      if (typeof message.fullSnapshot !== 'boolean') fail('syncRequest.fullSnapshot must be a boolean');
      checkText(message.reason, 'syncRequest.reason', fail, false);
      return;
    default:
      fail(`unknown server message type ${JSON.stringify((message as { type: unknown }).type)}`);
  }
}
