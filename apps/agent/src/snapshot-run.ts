import { randomUUID } from 'node:crypto';
import { type DirectoryReader } from '@syncready/ad-reader';
import { LatestVersionDigest, type DirectoryObject } from '@syncready/directory';
import {
  SUPPORTED_CAPABILITIES,
  MAX_FRAME_BYTES,
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '@syncready/protocol';
import { ControlPlaneError } from './exit-codes';
import { type AgentConnection } from './ws-agent-transport';

/** What one full snapshot sent and what the control plane made of it. */
export interface SnapshotOutcome {
  readonly snapshotId: string;
  readonly siteId: string;
  readonly generation: number;
  readonly objectCount: number;
  readonly frames: number;
  readonly digest: string;
}

/** Inputs of {@link runSnapshotOnce}. */
export interface SnapshotRunOptions {
  readonly reader: DirectoryReader;
  readonly connection: AgentConnection;
  readonly agentVersion: string;
  readonly hostName: string;
  /** Objects per frame. @default 500 */
  readonly batchSize?: number;
  /** @default 15000 */
  readonly helloTimeoutMs?: number;
  /** @default 300000 */
  readonly commitTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

function expect<T extends ServerMessage['type']>(message: ServerMessage, type: T): Extract<ServerMessage, { type: T }> {
  if (message.type === 'error') {
    throw new ControlPlaneError('CONTROL_PLANE.REJECTED', `the control plane reported ${message.code}: ${message.message}`);
  }
  if (message.type !== type) {
    throw new ControlPlaneError('CONTROL_PLANE.CLOSED', `the control plane sent ${message.type} where ${type} was expected`);
  }
  return message as Extract<ServerMessage, { type: T }>;
}

/**
 * Says hello, reads the whole directory and streams it as one snapshot, then waits until the
 * control plane has committed it as the site's current generation.
 */
export async function runSnapshotOnce(options: SnapshotRunOptions): Promise<SnapshotOutcome> {
  const { reader, connection } = options;
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 500;
  // Half the frame limit leaves room for protobuf overhead on top of the raw text.
  const maxBatchBytes = MAX_FRAME_BYTES / 2;

  await connection.send({
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    minVersion: MIN_SUPPORTED_PROTOCOL_VERSION,
    maxVersion: PROTOCOL_VERSION,
    agentVersion: options.agentVersion,
    capabilities: SUPPORTED_CAPABILITIES,
    // Authentication happened during the upgrade; the field stays empty on the wire.
    siteKey: '',
    hostName: options.hostName,
  });
  const welcome = expect(await connection.receive(options.helloTimeoutMs ?? 15_000, 'welcome'), 'welcome');
  log(`connected: site ${welcome.siteId}, protocol v${welcome.protocolVersion}, session ${welcome.sessionId}`);

  const forest = await reader.readForest();
  const snapshotId = randomUUID();
  await connection.send({ type: 'snapshotBegin', snapshotId, forest, baseDn: reader.baseDn });

  // Parallel range reads yield an object again when it changed during the read; only its
  // newest version is sent and counted, as the store keeps the highest uSNChanged per GUID.
  const digest = new LatestVersionDigest();
  let sequence = 0;
  let pending: DirectoryObject[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    sequence += 1;
    const objects = pending;
    pending = [];
    pendingBytes = 0;
    await connection.send({ type: 'objectBatch', snapshotId, sequence, objects });
  };
  for await (const page of reader.readObjects()) {
    for (const object of page) {
      if (digest.offer(object.objectGuid, object.usnChanged) === 'stale') continue;
      pending.push(object);
      pendingBytes += approximateSize(object);
      if (pending.length >= batchSize || pendingBytes >= maxBatchBytes) await flush();
    }
  }
  await flush();
  await connection.send({ type: 'snapshotEnd', snapshotId, sequence, objectCount: digest.size, digest: digest.toString() });
  log(`sent snapshot ${snapshotId}: ${digest.size} objects in ${sequence} frames; waiting for the commit`);

  const deadline = Date.now() + (options.commitTimeoutMs ?? 300_000);
  for (;;) {
    const message = await connection.receive(Math.max(1, deadline - Date.now()), 'the snapshot commit');
    if (message.type === 'ack' || message.type === 'heartbeat') continue;
    if (message.type === 'snapshotRejected') {
      throw new ControlPlaneError('CONTROL_PLANE.REJECTED', `the control plane rejected snapshot ${snapshotId} (${message.reason}): ${message.message}`);
    }
    const committed = expect(message, 'snapshotCommitted');
    return {
      snapshotId,
      siteId: welcome.siteId,
      generation: committed.generation,
      objectCount: committed.objectCount,
      frames: sequence,
      digest: digest.toString(),
    };
  }
}

/** UTF-16 length of an object's text: an upper-bound-ish proxy for its encoded size. */
function approximateSize(object: DirectoryObject): number {
  let size = object.distinguishedName.length + 64;
  for (const [name, values] of Object.entries(object.attributes)) {
    size += name.length + 4;
    for (const value of values) size += value.length * 2 + 4;
  }
  return size;
}
