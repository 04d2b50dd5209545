import { randomUUID } from 'node:crypto';
import { dnKey, parentDn, usnQuantiles, type DirectoryReader } from '@syncready/ad-reader';
import { LatestVersionDigest, type ForestInfo } from '@syncready/directory';
import { type SyncCursor, type WelcomeMessage } from '@syncready/protocol';
import { ControlPlaneError } from './exit-codes';
import { FrameBatcher } from './frame-batcher';
import { expectMessage, sayHello, type HelloOptions } from './session-hello';
import { biggestParents, profileFor, type UsnProfileStore } from './usn-profile';
import { type AgentConnection } from './ws-agent-transport';

/** What one full snapshot sent and what the control plane made of it. */
export interface SnapshotOutcome {
  readonly snapshotId: string;
  readonly siteId: string;
  readonly generation: number;
  readonly objectCount: number;
  readonly frames: number;
  readonly digest: string;
  /** Where the next delta continues: what the control plane now holds as its cursor. */
  readonly cursor: SyncCursor;
}

/** Inputs of {@link sendSnapshot}. */
export interface SnapshotOptions {
  readonly reader: DirectoryReader;
  readonly connection: AgentConnection;
  /** Objects per frame. @default 500 */
  readonly batchSize?: number;
  /** @default 300000 */
  readonly commitTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Where the last committed snapshot found the objects; read before and written after each. */
  readonly usnProfile?: UsnProfileStore;
}

/** Inputs of {@link runSnapshotOnce}. */
export interface SnapshotRunOptions extends SnapshotOptions, HelloOptions {}

/**
 * Says hello, reads the whole directory and streams it as one snapshot, then waits until the
 * control plane has committed it as the site's current generation. The forest is read from
 * the DC while the control plane answers the hello.
 */
export async function runSnapshotOnce(options: SnapshotRunOptions): Promise<SnapshotOutcome> {
  const [welcome, forest] = await Promise.all([sayHello(options.connection, options), options.reader.readForest()]);
  return sendSnapshot(options, welcome, forest);
}

/**
 * Streams one full snapshot on a session that has been welcomed. `forest` is read first when
 * not given: its highestCommittedUSN, read before any object, becomes the control plane's
 * sync cursor, so a change made during the read is picked up by the next delta.
 */
export async function sendSnapshot(options: SnapshotOptions, welcome: WelcomeMessage, forest?: ForestInfo): Promise<SnapshotOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      // A restart reads the forest again: its USN must precede every object of the new read.
      return await streamSnapshot(options, welcome, attempt === 1 ? forest : undefined);
    } catch (err) {
      // The control plane discarded the partial snapshot while the agent was away: start over.
      if (!(err instanceof ControlPlaneError) || err.code !== 'CONTROL_PLANE.SNAPSHOT_EXPIRED' || attempt >= MAX_SNAPSHOT_RESTARTS) throw err;
      options.log?.(`starting the snapshot over: ${err.message}`);
    }
  }
}

/** Fresh snapshots after the control plane discarded a partial one, before the cycle fails. */
const MAX_SNAPSHOT_RESTARTS = 3;

async function streamSnapshot(options: SnapshotOptions, welcome: WelcomeMessage, forest: ForestInfo | undefined): Promise<SnapshotOutcome> {
  const { reader, connection } = options;
  const log = options.log ?? (() => undefined);
  const snapshotId = randomUUID();
  const read = forest ?? (await reader.readForest());
  await connection.send({ type: 'snapshotBegin', snapshotId, forest: read, baseDn: reader.baseDn });

  // Parallel range reads yield an object again when it changed during the read; only its
  // newest version is sent and counted, as the store keeps the highest uSNChanged per GUID.
  const digest = new LatestVersionDigest();
  const batcher = new FrameBatcher((sequence, objects) => connection.send({ type: 'objectBatch', snapshotId, sequence, objects }), options.batchSize);
  const profile = profileFor(options.usnProfile, read.invocationId, reader.baseDn);
  const usns: number[] = [];
  const parents = new Map<string, number>();
  const hints = profile && { usnQuantiles: profile.quantiles, readUpToUsn: profile.readUpToUsn, objectCount: profile.objectCount, ...(profile.parentCounts ? { parentCounts: profile.parentCounts } : {}) };
  for await (const page of reader.readObjects(hints)) {
    for (const object of page) {
      if (digest.offer(object.objectGuid, object.usnChanged) === 'stale') continue;
      // What changed during the read lies above its starting USN and says nothing of where the rest is.
      if (object.usnChanged <= read.highestCommittedUsn) usns.push(object.usnChanged);
      // Counted by the parent as spelled (a substring, no new text per object), keyed at the end.
      const parent = parentDn(object.distinguishedName);
      parents.set(parent, (parents.get(parent) ?? 0) + 1);
      await batcher.add(object);
    }
  }
  await batcher.flush();
  const sequence = batcher.sequence;
  await connection.send({ type: 'snapshotEnd', snapshotId, sequence, objectCount: digest.size, digest: digest.toString() });
  log(`sent snapshot ${snapshotId}: ${digest.size} objects in ${sequence} frames; waiting for the commit`);

  const deadline = Date.now() + (options.commitTimeoutMs ?? 300_000);
  for (;;) {
    const message = await connection.receive(Math.max(1, deadline - Date.now()), 'the snapshot commit');
    if (message.type === 'ack' || message.type === 'heartbeat') continue;
    if (message.type === 'snapshotRejected') {
      throw new ControlPlaneError('CONTROL_PLANE.REJECTED', `the control plane rejected snapshot ${snapshotId} (${message.reason}): ${message.message}`);
    }
    const committed = expectMessage(message, 'snapshotCommitted');
    if (usns.length > 0) {
      options.usnProfile?.save({ invocationId: read.invocationId, baseDn: reader.baseDn, readUpToUsn: read.highestCommittedUsn, quantiles: usnQuantiles(usns), objectCount: usns.length, parentCounts: biggestParents(byKey(parents)) });
    }
    return {
      snapshotId,
      siteId: welcome.siteId,
      generation: committed.generation,
      objectCount: committed.objectCount,
      frames: sequence,
      digest: digest.toString(),
      // The control plane's cursor for a committed snapshot: the DC and USN read before any object.
      cursor: { invocationId: read.invocationId, highestUsn: read.highestCommittedUsn, generation: committed.generation, baseDn: reader.baseDn },
    };
  }
}

/** Counts per parent DN as spelled → per {@link dnKey} (what ReadHints.parentCounts holds). */
function byKey(counts: ReadonlyMap<string, number>): Map<string, number> {
  const keyed = new Map<string, number>();
  for (const [dn, count] of counts) {
    const key = dnKey(dn);
    keyed.set(key, (keyed.get(key) ?? 0) + count);
  }
  return keyed;
}
