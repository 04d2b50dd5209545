import { CloseCode, type AgentMessage, type ServerMessage } from '@syncready/protocol';
import { isStoreError } from '@syncready/store';
import { type SessionSettings } from './agent-session';
import { SessionClose } from './session-close';
import { type OpenSnapshot, type SnapshotParking } from './snapshot-parking';

/** What a {@link SnapshotIntake} needs from its session. */
export interface SnapshotIntakeContext {
  readonly settings: SessionSettings;
  readonly siteId: string;
  readonly sessionId: string;
  /** Both sides speak resume.v1 and the gateway parks partial snapshots. */
  readonly parking: SnapshotParking | undefined;
  /** Settles when the session has wound down. */
  readonly closed: Promise<void>;
  readonly send: (message: ServerMessage) => void;
  readonly afterCommit: () => Promise<void>;
}

/**
 * The snapshot frames of one session: begin (or resume), batches in sequence order with a
 * cumulative ack after each store commit, end with the generation switch. On disconnect a
 * partial snapshot is parked for a resume-capable agent, otherwise discarded.
 */
export class SnapshotIntake {
  private snapshot: OpenSnapshot | undefined;

  constructor(private readonly context: SnapshotIntakeContext) {}

  private get settings(): SessionSettings {
    return this.context.settings;
  }

  private get siteId(): string {
    return this.context.siteId;
  }

  private get resumable(): boolean {
    return this.context.parking !== undefined;
  }

  private get parking(): SnapshotParking {
    return this.context.parking as SnapshotParking;
  }

  private send(message: ServerMessage): void {
    this.context.send(message);
  }

  private afterCommit(): Promise<void> {
    return this.context.afterCommit();
  }

  async begin(begin: Extract<AgentMessage, { type: 'snapshotBegin' }>): Promise<void> {
    const siteId = this.siteId;
    if (this.snapshot?.snapshotId !== begin.snapshotId) await this.discardOpenSnapshot('a new snapshot began before this one ended');
    if (this.resumable) {
      const parking = this.parking;
      const resumed = this.snapshot ?? (await parking.take(siteId, begin.snapshotId, this.context.closed));
      parking.hold(begin.snapshotId, this.context.closed);
      if (resumed) {
        this.snapshot = resumed;
        this.settings.log('snapshot.resumed', { siteId, snapshotId: begin.snapshotId, sessionId: this.context.sessionId, acknowledged: resumed.nextSequence - 1 });
        return this.send({ type: 'ack', snapshotId: begin.snapshotId, sequence: resumed.nextSequence - 1 });
      }
    }
    let generationId: number;
    try {
      ({ generationId } = await this.settings.store.snapshots.beginGeneration({ siteId, snapshotId: begin.snapshotId, forest: begin.forest, baseDn: begin.baseDn }));
    } catch (err) {
      // The agent resumes a snapshot this control plane discarded (the window ran out, or a
      // restart discarded everything partial): it must read the directory again.
      if (!isStoreError(err, 'STORE.GENERATION_CLOSED')) throw err;
      this.settings.log('snapshot.expired', { siteId, snapshotId: begin.snapshotId });
      return this.send({ type: 'snapshotRejected', snapshotId: begin.snapshotId, reason: 'snapshotExpired', message: `snapshot ${begin.snapshotId} was discarded; start a new one` });
    }
    this.snapshot = { snapshotId: begin.snapshotId, generationId, nextSequence: 1 };
    // Tells a resume-capable agent where to continue; 0 means from the start.
    if (this.resumable) this.send({ type: 'ack', snapshotId: begin.snapshotId, sequence: 0 });
  }

  private openSnapshot(snapshotId: string, sequence: number): OpenSnapshot | 'duplicate' {
    const open = this.snapshot;
    if (!open || open.snapshotId !== snapshotId) throw new SessionClose(CloseCode.SNAPSHOT_REJECTED, `snapshot ${snapshotId} was not begun in this session`);
    if (sequence < open.nextSequence) return 'duplicate';
    if (sequence > open.nextSequence) throw new SessionClose(CloseCode.SNAPSHOT_REJECTED, `sequence ${sequence} arrived where ${open.nextSequence} was expected`);
    return open;
  }

  async batch(batch: Extract<AgentMessage, { type: 'objectBatch' }>): Promise<void> {
    const open = this.openSnapshot(batch.snapshotId, batch.sequence);
    // Counted, so a resume that sends acknowledged frames again shows up.
    if (open === 'duplicate') {
      this.settings.log('snapshot.duplicate_frame', { siteId: this.siteId, snapshotId: batch.snapshotId, sequence: batch.sequence });
    } else {
      await this.settings.store.snapshots.appendObjects(open.generationId, batch.objects);
      open.nextSequence += 1;
    }
    // Cumulative: everything up to this sequence is committed to the store.
    this.send({ type: 'ack', snapshotId: batch.snapshotId, sequence: batch.sequence });
  }

  async end(end: Extract<AgentMessage, { type: 'snapshotEnd' }>): Promise<void> {
    const open = this.snapshot;
    if (!open || open.snapshotId !== end.snapshotId) throw new SessionClose(CloseCode.SNAPSHOT_REJECTED, `snapshot ${end.snapshotId} was not begun in this session`);
    // The end frame names the last batch; anything else means batches went missing.
    if (end.sequence !== open.nextSequence - 1) {
      throw new SessionClose(CloseCode.SNAPSHOT_REJECTED, `snapshot ended at sequence ${end.sequence} but ${open.nextSequence - 1} batches arrived`);
    }
    this.snapshot = undefined;
    const result = await this.settings.store.snapshots.commitGeneration(open.generationId, { objectCount: end.objectCount, digest: end.digest });
    if (result.ok) {
      this.settings.log('snapshot.committed', { siteId: this.siteId, snapshotId: end.snapshotId, generation: result.generation, objects: result.objectCount });
      this.send({ type: 'snapshotCommitted', snapshotId: end.snapshotId, generation: result.generation, objectCount: result.objectCount });
      await this.afterCommit();
    } else {
      this.settings.log('snapshot.rejected', { siteId: this.siteId, snapshotId: end.snapshotId, reason: result.reason, expected: end.objectCount, actual: result.actualCount });
      this.send({
        type: 'snapshotRejected',
        snapshotId: end.snapshotId,
        reason: result.reason === 'count-mismatch' ? 'countMismatch' : 'digestMismatch',
        message: `the agent sent ${end.objectCount} objects (digest ${end.digest}), the control plane stored ${result.actualCount} (digest ${result.actualDigest})`,
      });
    }
  }

  private async discardOpenSnapshot(reason: string): Promise<void> {
    const open = this.snapshot;
    if (!open) return;
    this.snapshot = undefined;
    await this.discard(open, reason);
  }

  private async discard(open: OpenSnapshot, reason: string): Promise<void> {
    await this.settings.store.snapshots.discardGeneration(open.generationId, reason);
    this.settings.log('snapshot.discarded', { siteId: this.siteId, snapshotId: open.snapshotId, reason });
  }

  async parkOrDiscard(): Promise<void> {
    const open = this.snapshot;
    if (!open || !this.resumable) return this.discardOpenSnapshot('the agent disconnected before the snapshot ended');
    this.snapshot = undefined;
    await (this.parking).park(this.siteId, open);
    this.settings.log('snapshot.parked', { siteId: this.siteId, snapshotId: open.snapshotId, acknowledged: open.nextSequence - 1 });
  }
}
