import { randomUUID } from 'node:crypto';
import {
  Capability,
  SUPPORTED_CAPABILITIES,
  helloVersionRange,
  CloseCode,
  closeCodeForError,
  decodeAgentFrame,
  intersectCapabilities,
  MIN_SUPPORTED_PROTOCOL_VERSION,
  negotiateVersion,
  PROTOCOL_VERSION,
  ProtocolError,
  encodeServerMessage,
  toCloseReason,
  type AgentMessage,
  type ServerMessage,
} from '@syncready/protocol';
import { type Store } from '@syncready/store';
import type WebSocket from 'ws';
import { DeltaAssembler } from './delta-assembler';

/** Settings every session shares. */
export interface SessionSettings {
  readonly store: Store;
  readonly serverVersion: string;
  readonly maxFrameBytes: number;
  readonly helloTimeoutMs: number;
  readonly maxQueuedFrames: number;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
  /**
   * Runs after a generation became current or a delta changed it (the checks, re-run over the
   * whole current generation); failures are logged, not fatal.
   */
  readonly afterCommit?: (siteId: string) => Promise<void>;
}

interface OpenSnapshot {
  readonly snapshotId: string;
  readonly generationId: number;
  /** Sequence number the next ObjectBatch or SnapshotEnd must carry. */
  nextSequence: number;
}

/** Closes the session with a code from the shared table. */
class SessionClose extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The agent a session belongs to: authenticated during the upgrade, before the socket existed. */
export interface SessionIdentity {
  readonly agentId: string;
  readonly siteId: string;
  readonly hostName: string;
}

/**
 * One agent connection, already authenticated: waits for the hello (version negotiation,
 * within the pre-hello deadline), then applies snapshot frames to the store in order. Frames are processed one at a time; while more than `maxQueuedFrames` wait for the
 * store, the socket is paused so a fast agent cannot fill the server's memory.
 */
export class AgentSession {
  /** Random id of this connection (logs, welcome). */
  readonly sessionId = randomUUID();
  private siteId: string | undefined;
  private snapshot: OpenSnapshot | undefined;
  private readonly delta = new DeltaAssembler();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private paused = false;
  private closing = false;
  private readonly helloTimer: NodeJS.Timeout;
  private resolveClosed: () => void = () => undefined;
  /** Settles once queued frames are done and any unfinished snapshot is discarded. */
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: WebSocket,
    private readonly settings: SessionSettings,
    private readonly remoteAddress: string,
    private readonly identity: SessionIdentity,
  ) {
    this.closed = new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
    });
    this.helloTimer = setTimeout(() => this.close(CloseCode.HELLO_TIMEOUT, 'no hello before the deadline'), settings.helloTimeoutMs);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    socket.on('close', () => this.onClosed());
    socket.on('error', (err) => settings.log('agent.socket_error', { sessionId: this.sessionId, error: err.message }));
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.closing) return;
    if (!isBinary) return this.close(CloseCode.PROTOCOL_ERROR, 'text frames are not part of the protocol');
    if (data.byteLength > this.settings.maxFrameBytes) {
      return this.close(CloseCode.FRAME_TOO_LARGE, `frame of ${data.byteLength} bytes exceeds ${this.settings.maxFrameBytes}`);
    }
    let message: AgentMessage;
    try {
      message = decodeAgentFrame(data, { maxFrameBytes: this.settings.maxFrameBytes });
    } catch (err) {
      // Whatever the decoder threw, the bytes came from the network: close, never crash.
      return this.close(closeCodeForError(err), err instanceof Error ? err.message : 'undecodable frame');
    }
    this.queued += 1;
    if (this.queued > this.settings.maxQueuedFrames && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.queue = this.queue
      .then(() => (this.closing ? undefined : this.handle(message)))
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        this.queued -= 1;
        if (this.paused && this.queued <= this.settings.maxQueuedFrames / 2) {
          this.paused = false;
          this.socket.resume();
        }
      });
  }

  private async handle(message: AgentMessage): Promise<void> {
    if (!this.siteId) {
      if (message.type !== 'hello') throw new SessionClose(CloseCode.UNAUTHORIZED, `${message.type} before hello`);
      return this.onHello(message);
    }
    switch (message.type) {
      case 'hello':
        throw new SessionClose(CloseCode.PROTOCOL_ERROR, 'hello sent twice');
      case 'heartbeat':
        return this.send({ type: 'heartbeat', sentAtMs: Date.now() });
      case 'snapshotBegin':
        return this.onSnapshotBegin(message);
      case 'objectBatch':
        return this.onObjectBatch(message);
      case 'snapshotEnd':
        return this.onSnapshotEnd(message);
      case 'deltaBegin':
        return this.delta.start(message);
      case 'deltaBatch':
        return this.delta.add(message);
      case 'deltaEnd':
        return this.onDeltaEnd(message);
    }
  }

  private async onHello(hello: Extract<AgentMessage, { type: 'hello' }>): Promise<void> {
    clearTimeout(this.helloTimer);
    // hello.siteKey is ignored: the agent proved its identity during the upgrade.
    const offered = helloVersionRange(hello);
    const version = negotiateVersion(offered.min, offered.max, MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_VERSION);
    const site = { id: this.identity.siteId };
    this.siteId = site.id;
    this.settings.log('agent.hello', { sessionId: this.sessionId, agentId: this.identity.agentId, siteId: site.id, hostName: this.identity.hostName, agentVersion: hello.agentVersion, remoteAddress: this.remoteAddress });
    const capabilities = intersectCapabilities(SUPPORTED_CAPABILITIES, hello.capabilities);
    // Only what is committed counts: the agent continues from the current generation's cursor.
    const cursor = capabilities.includes(Capability.DELTA_V1) ? await this.settings.store.sync.getCursor(site.id) : undefined;
    this.send({
      type: 'welcome',
      protocolVersion: version,
      serverVersion: this.settings.serverVersion,
      capabilities,
      ...(cursor ? { cursor } : {}),
      siteId: site.id,
      sessionId: this.sessionId,
      maxFrameBytes: this.settings.maxFrameBytes,
      heartbeatIntervalMs: 30_000,
    });
  }

  private async onSnapshotBegin(begin: Extract<AgentMessage, { type: 'snapshotBegin' }>): Promise<void> {
    await this.discardOpenSnapshot('a new snapshot began before this one ended');
    const { generationId } = await this.settings.store.snapshots.beginGeneration({
      siteId: this.siteId as string,
      snapshotId: begin.snapshotId,
      forest: begin.forest,
      baseDn: begin.baseDn,
    });
    this.snapshot = { snapshotId: begin.snapshotId, generationId, nextSequence: 1 };
  }

  private openSnapshot(snapshotId: string, sequence: number): OpenSnapshot | 'duplicate' {
    const open = this.snapshot;
    if (!open || open.snapshotId !== snapshotId) throw new SessionClose(CloseCode.SNAPSHOT_REJECTED, `snapshot ${snapshotId} was not begun in this session`);
    if (sequence < open.nextSequence) return 'duplicate';
    if (sequence > open.nextSequence) throw new SessionClose(CloseCode.SNAPSHOT_REJECTED, `sequence ${sequence} arrived where ${open.nextSequence} was expected`);
    return open;
  }

  private async onObjectBatch(batch: Extract<AgentMessage, { type: 'objectBatch' }>): Promise<void> {
    const open = this.openSnapshot(batch.snapshotId, batch.sequence);
    if (open !== 'duplicate') {
      await this.settings.store.snapshots.appendObjects(open.generationId, batch.objects);
      open.nextSequence += 1;
    }
    // Cumulative: everything up to this sequence is committed to the store.
    this.send({ type: 'ack', snapshotId: batch.snapshotId, sequence: batch.sequence });
  }

  private async onSnapshotEnd(end: Extract<AgentMessage, { type: 'snapshotEnd' }>): Promise<void> {
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
      await this.runAfterCommit();
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

  private async onDeltaEnd(end: Extract<AgentMessage, { type: 'deltaEnd' }>): Promise<void> {
    const assembled = this.delta.finish(end);
    if (!assembled.ok) {
      this.settings.log('delta.rejected', { siteId: this.siteId, deltaId: end.deltaId, reason: 'invalid', message: assembled.message });
      return this.send({ type: 'deltaRejected', deltaId: end.deltaId, reason: 'invalid', message: assembled.message });
    }
    const result = await this.settings.store.sync.applyDelta(this.siteId as string, assembled.input);
    if (!result.ok) {
      const reason = result.reason === 'base-mismatch' ? 'baseMismatch' : 'unknownCursor';
      this.settings.log('delta.rejected', { siteId: this.siteId, deltaId: end.deltaId, reason, message: result.message });
      return this.send({ type: 'deltaRejected', deltaId: end.deltaId, reason, message: result.message });
    }
    const { record } = result;
    this.settings.log('delta.committed', { siteId: this.siteId, deltaId: end.deltaId, generation: result.generation, upserts: record.upserts, deletions: record.deletions, applied: record.applied, removed: record.removed, toUsn: record.toUsn });
    this.send({ type: 'deltaCommitted', deltaId: end.deltaId, generation: result.generation, toUsn: record.toUsn });
    // Nothing changed, nothing to re-check.
    if (record.applied + record.removed > 0) await this.runAfterCommit();
  }

  /** The checks over the current generation; a failure is logged, never fatal to the session. */
  private async runAfterCommit(): Promise<void> {
    if (!this.settings.afterCommit) return;
    const siteId = this.siteId as string;
    await this.settings.afterCommit(siteId).catch((err: unknown) => {
      this.settings.log('findings.failed', { siteId, error: err instanceof Error ? err.message : String(err) });
    });
  }

  private async discardOpenSnapshot(reason: string): Promise<void> {
    const open = this.snapshot;
    if (!open) return;
    this.snapshot = undefined;
    await this.settings.store.snapshots.discardGeneration(open.generationId, reason);
    this.settings.log('snapshot.discarded', { siteId: this.siteId, snapshotId: open.snapshotId, reason });
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(encodeServerMessage(message), { binary: true });
  }

  private fail(err: unknown): void {
    if (err instanceof SessionClose) return this.close(err.closeCode, err.message);
    if (err instanceof ProtocolError) return this.close(closeCodeForError(err), err.message);
    this.settings.log('agent.session_error', { sessionId: this.sessionId, siteId: this.siteId, error: err instanceof Error ? err.message : String(err) });
    this.close(CloseCode.INTERNAL_ERROR, 'internal error');
  }

  /** Closes the socket; an open snapshot is discarded when the close completes. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.helloTimer);
    this.settings.log('agent.closed', { sessionId: this.sessionId, siteId: this.siteId, code, reason });
    this.socket.close(code, toCloseReason(reason));
    setTimeout(() => this.socket.terminate(), 5_000).unref();
  }

  private onClosed(): void {
    this.closing = true;
    clearTimeout(this.helloTimer);
    // The previous generation stays current: a snapshot is only made current by its end frame.
    this.queue = this.queue
      .then(() => this.discardOpenSnapshot('the agent disconnected before the snapshot ended'))
      .catch((err: unknown) => this.settings.log('snapshot.discard_failed', { error: String(err) }))
      .finally(() => this.resolveClosed());
  }
}
