import { type DirectoryObject } from '@syncready/directory';
import { type AgentMessage } from '@syncready/protocol';
import { type DeltaInput } from '@syncready/store';

/**
 * Collects one delta's frames (deltaBegin, deltaBatch 1..n, deltaEnd) into the input of one
 * store transaction. A delta is applied whole or not at all, so its frames are held until the
 * end; `maxObjects` bounds that memory. Deltas are small by nature (the changes of one
 * interval); a larger one is refused and the agent falls back to a full snapshot, which
 * streams into the store frame by frame.
 */
export class DeltaAssembler {
  private begin: Extract<AgentMessage, { type: 'deltaBegin' }> | undefined;
  private upserts: DirectoryObject[] = [];
  private deletions: string[] = [];
  private nextSequence = 1;
  private problem: string | undefined;

  /**
   * @param maxObjects upserts plus deletions one delta may hold. @default 100000
   */
  constructor(private readonly maxObjects = 100_000) {}

  /** Starts a delta, dropping any unfinished one. */
  start(begin: Extract<AgentMessage, { type: 'deltaBegin' }>): void {
    this.begin = begin;
    this.upserts = [];
    this.deletions = [];
    this.nextSequence = 1;
    this.problem = undefined;
  }

  /** Adds a batch; a gap, an unknown id or too many objects marks the delta as refused. */
  add(batch: Extract<AgentMessage, { type: 'deltaBatch' }>): void {
    if (this.problem !== undefined) return;
    if (this.begin?.deltaId !== batch.deltaId) return this.refuse(`delta ${batch.deltaId} was not begun in this session`);
    // A repeated batch (sequence already seen) is a re-send and changes nothing.
    if (batch.sequence < this.nextSequence) return;
    if (batch.sequence > this.nextSequence) return this.refuse(`sequence ${batch.sequence} arrived where ${this.nextSequence} was expected`);
    if (this.upserts.length + this.deletions.length + batch.upserts.length + batch.deletions.length > this.maxObjects) {
      return this.refuse(`the delta holds more than ${this.maxObjects} changes; send a full snapshot`);
    }
    this.upserts.push(...batch.upserts);
    this.deletions.push(...batch.deletions);
    this.nextSequence += 1;
  }

  /** Ends the delta: the store input, or why it must be refused. */
  finish(end: Extract<AgentMessage, { type: 'deltaEnd' }>): { ok: true; input: DeltaInput } | { ok: false; message: string } {
    const begin = this.begin;
    this.begin = undefined;
    if (begin?.deltaId !== end.deltaId) return { ok: false, message: `delta ${end.deltaId} was not begun in this session` };
    if (this.problem !== undefined) return { ok: false, message: this.problem };
    if (end.sequence !== this.nextSequence - 1) return { ok: false, message: `delta ended at sequence ${end.sequence} but ${this.nextSequence - 1} batches arrived` };
    if (end.upsertCount !== this.upserts.length || end.deletionCount !== this.deletions.length) {
      return { ok: false, message: `the agent sent ${end.upsertCount} upserts and ${end.deletionCount} deletions, ${this.upserts.length} and ${this.deletions.length} arrived` };
    }
    const input: DeltaInput = {
      deltaId: begin.deltaId,
      baseGeneration: begin.baseGeneration,
      invocationId: begin.invocationId,
      fromUsn: begin.fromUsn,
      toUsn: begin.toUsn,
      upserts: this.upserts,
      deletions: this.deletions,
    };
    this.upserts = [];
    this.deletions = [];
    return { ok: true, input };
  }

  private refuse(message: string): void {
    this.problem = message;
    this.upserts = [];
    this.deletions = [];
  }
}
