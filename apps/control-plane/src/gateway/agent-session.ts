import { randomUUID } from 'node:crypto';
import {
  Capability,
  SUPPORTED_CAPABILITIES,
  helloVersionRange,
  CloseCode,
  closeCodeForError,
  HeartbeatMonitor,
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
import { type DeltaInput, type Store } from '@syncready/store';
import type WebSocket from 'ws';
import { DeltaAssembler } from './delta-assembler';
import { SessionClose } from './session-close';
import { SnapshotIntake } from './snapshot-intake';
import { type SnapshotParking } from './snapshot-parking';

/** Settings every session shares. */
export interface SessionSettings {
  readonly store: Store;
  readonly serverVersion: string;
  readonly maxFrameBytes: number;
  readonly helloTimeoutMs: number;
  readonly maxQueuedFrames: number;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
  /**
   * Called when a generation became current or changed (the checks), with what a delta changed
   * (none after a snapshot). It must return at once: the session does not wait for it, so the
   * agent's next frames and its close are not held up.
   */
  readonly afterCommit?: (siteId: string, change?: Pick<DeltaInput, 'upserts' | 'deletions'> & { readonly generation: number }) => void;
  /** Where partial snapshots wait for their agent to resume; without it they are discarded on disconnect. */
  readonly parking?: SnapshotParking;
  /** Idle interval announced in the welcome; heartbeat.v1 peers beat at it. @default 30000 */
  readonly heartbeatIntervalMs?: number;
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
  /** Capabilities both sides listed in hello/welcome; empty before the hello. */
  private capabilities: readonly string[] = [];
  /** The welcome went out: only then may the control plane send anything else. */
  private welcomed = false;
  private intake: SnapshotIntake | undefined;
  private readonly delta = new DeltaAssembler();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private paused = false;
  private closing = false;
  private heartbeat: HeartbeatMonitor | undefined;
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
    this.heartbeat?.heard();
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
        return this.intake?.begin(message);
      case 'objectBatch':
        return this.intake?.batch(message);
      case 'snapshotEnd':
        return this.intake?.end(message);
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
    this.capabilities = capabilities;
    const resumable = capabilities.includes(Capability.RESUME_V1);
    this.intake = new SnapshotIntake({
      settings: this.settings,
      siteId: site.id,
      sessionId: this.sessionId,
      parking: resumable ? this.settings.parking : undefined,
      closed: this.closed,
      send: (message) => this.send(message),
      afterCommit: () => this.runAfterCommit(),
    });
    const heartbeatIntervalMs = this.settings.heartbeatIntervalMs ?? 30_000;
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
      heartbeatIntervalMs,
    });
    this.welcomed = true;
    if (capabilities.includes(Capability.HEARTBEAT_V1)) {
      this.heartbeat = new HeartbeatMonitor({
        intervalMs: heartbeatIntervalMs,
        beat: () => this.send({ type: 'heartbeat', sentAtMs: Date.now() }),
        dead: (silentMs) => {
          this.settings.log('agent.heartbeat_timeout', { sessionId: this.sessionId, siteId: this.siteId, silentMs });
          // A dead peer completes no close handshake: terminate, which fires 'close' at once.
          this.closing = true;
          this.socket.terminate();
        },
      });
      this.heartbeat.start();
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
    if (record.applied + record.removed > 0) await this.runAfterCommit({ generation: result.generation, upserts: assembled.input.upserts, deletions: assembled.input.deletions });
  }

  /**
   * Asks the agent to run a cycle now (a full snapshot when `fullSnapshot`). False when the
   * agent has not said hello yet, is closing, or does not take sync requests (an older agent,
   * or `run --once`): its next cycle comes at its own interval.
   */
  requestSync(fullSnapshot: boolean, reason: string): boolean {
    if (this.closing || !this.welcomed || this.socket.readyState !== this.socket.OPEN || !this.capabilities.includes(Capability.SYNC_REQUEST_V1)) return false;
    this.send({ type: 'syncRequest', fullSnapshot, reason });
    this.settings.log('agent.sync_requested', { sessionId: this.sessionId, agentId: this.identity.agentId, siteId: this.siteId, fullSnapshot, reason });
    return true;
  }

  /** Asks for the checks over the current generation (after a delta, over its objects); they run outside the session. */
  private async runAfterCommit(change?: Parameters<NonNullable<SessionSettings['afterCommit']>>[1]): Promise<void> {
    this.settings.afterCommit?.(this.siteId as string, change);
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
    this.heartbeat?.stop();
    this.settings.log('agent.closed', { sessionId: this.sessionId, siteId: this.siteId, code, reason });
    this.socket.close(code, toCloseReason(reason));
    setTimeout(() => this.socket.terminate(), 5_000).unref();
  }

  private onClosed(): void {
    this.closing = true;
    clearTimeout(this.helloTimer);
    this.heartbeat?.stop();
    // The previous generation stays current: a snapshot is only made current by its end frame.
    // A resume-capable agent gets the resume window to continue it from its last ack.
    this.queue = this.queue
      .then(() => this.intake?.parkOrDiscard())
      .catch((err: unknown) => this.settings.log('snapshot.discard_failed', { error: String(err) }))
      .finally(() => {
        this.settings.parking?.release(this.closed);
        this.resolveClosed();
      });
  }

}
