import { randomUUID } from 'node:crypto';
import { LatestVersionDigest, type ForestInfo } from '@syncready/directory';
import { type DeltaRejectReason, type SyncCursor, type WelcomeMessage } from '@syncready/protocol';
import { FrameBatcher } from './frame-batcher';
import { expectMessage } from './session-hello';
import { type SnapshotOptions } from './snapshot-run';

/** Deletions per frame: 1,000 GUIDs are about 40 kB, far under the frame limit. */
const DELETIONS_PER_FRAME = 1000;

/** What one delta sent and what the control plane made of it. */
export interface DeltaOutcome {
  readonly deltaId: string;
  readonly siteId: string;
  readonly generation: number;
  readonly fromUsn: number;
  readonly toUsn: number;
  /** Objects sent as added, modified, renamed or moved. */
  readonly upserts: number;
  /** objectGUIDs sent as deleted: tombstones, and objects that moved out of the base. */
  readonly deletions: number;
  /** False when the DC or the account refused to show tombstones: deleted objects wait for a full snapshot (those that moved out of the base are still sent). */
  readonly deletionsReadable: boolean;
  readonly frames: number;
  /** Where the next delta continues: what the control plane now holds as its cursor. */
  readonly cursor: SyncCursor;
}

/** The control plane refused the delta; the caller sends a full snapshot instead. */
export interface DeltaRefused {
  readonly refused: DeltaRejectReason;
  readonly message: string;
}

/**
 * Streams the changes since `cursor` as one delta on a welcomed session and waits for the
 * control plane's answer. `forest` must have been read before any change: its
 * highestCommittedUSN is the delta's end and the next cursor, so a change made while this
 * delta is read has a higher USN and comes with the next one.
 */
export async function sendDelta(
  options: SnapshotOptions,
  welcome: WelcomeMessage,
  cursor: SyncCursor,
  forest: ForestInfo,
): Promise<DeltaOutcome | DeltaRefused> {
  const { reader, connection } = options;
  const deltaId = randomUUID();
  const fromUsn = cursor.highestUsn + 1;
  const toUsn = forest.highestCommittedUsn;
  // Tombstones first, into memory (GUIDs only, the deletions of one interval). Both searches
  // cover (cursor, toUsn]: a change made while they run lies above toUsn and is sent exactly
  // once, by the next delta.
  const deleted = await reader.readDeletedSince(cursor.highestUsn, toUsn, forest.defaultNamingContext);
  if (!deleted.readable) options.log?.(`deleted objects cannot be read (${deleted.reason}); deletions reach the control plane with the next full snapshot`);
  // Objects that left the base leave the site's copy as deleted ones do, once each, after the upserts.
  const removed = new Set(deleted.readable ? deleted.guids : []);

  await connection.send({ type: 'deltaBegin', deltaId, baseGeneration: cursor.generation, invocationId: forest.invocationId, fromUsn, toUsn });
  const latest = new LatestVersionDigest();
  const batcher = new FrameBatcher((sequence, upserts) => connection.send({ type: 'deltaBatch', deltaId, sequence, upserts, deletions: [] }), options.batchSize);
  const outside = { namingContext: forest.defaultNamingContext, found: (guid: string) => removed.add(guid) };
  for await (const page of reader.readChangedSince(cursor.highestUsn, toUsn, outside)) {
    for (const object of page) {
      if (latest.offer(object.objectGuid, object.usnChanged) === 'stale') continue;
      await batcher.add(object);
    }
  }
  await batcher.flush();
  const deletions = [...removed];
  let sequence = batcher.sequence;
  for (let start = 0; start < deletions.length; start += DELETIONS_PER_FRAME) {
    sequence += 1;
    await connection.send({ type: 'deltaBatch', deltaId, sequence, upserts: [], deletions: deletions.slice(start, start + DELETIONS_PER_FRAME) });
  }
  await connection.send({ type: 'deltaEnd', deltaId, sequence, upsertCount: latest.size, deletionCount: deletions.length });

  const deadline = Date.now() + (options.commitTimeoutMs ?? 300_000);
  for (;;) {
    const message = await connection.receive(Math.max(1, deadline - Date.now()), 'the delta commit');
    if (message.type === 'ack' || message.type === 'heartbeat') continue;
    if (message.type === 'deltaRejected') return { refused: message.reason, message: message.message };
    const committed = expectMessage(message, 'deltaCommitted');
    return {
      deltaId,
      siteId: welcome.siteId,
      generation: committed.generation,
      fromUsn,
      toUsn: committed.toUsn,
      upserts: latest.size,
      deletions: deletions.length,
      deletionsReadable: deleted.readable,
      frames: sequence,
      cursor: { invocationId: forest.invocationId, highestUsn: committed.toUsn, generation: committed.generation, baseDn: cursor.baseDn },
    };
  }
}
