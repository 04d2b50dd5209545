import {
  Capability,
  encodeAgentMessage,
  HeartbeatMonitor,
  type AgentMessage,
  type HelloMessage,
  type ServerMessage,
  type SnapshotBeginMessage,
  type SnapshotEndMessage,
  type WelcomeMessage,
} from '@syncready/protocol';
import { ControlPlaneError } from '../exit-codes';
import { type AgentConnection, type CloseOptions } from '../ws-agent-transport';
import { FrameSpool } from './frame-spool';
import { ReconnectBackoff } from './reconnect-backoff';
import { decideResume } from './resume-decision';

/** Options of {@link ResumableSession}. */
export interface ResumableSessionOptions {
  /** Opens a fresh, authenticated connection (a new challenge each time). */
  readonly connect: () => Promise<AgentConnection>;
  /** Spool file for unacknowledged frames beyond `maxSpoolMemoryBytes` (under the agent's state directory). */
  readonly spoolFile: string;
  /** @default 4194304 (4 MiB) */
  readonly maxSpoolMemoryBytes?: number;
  /** @default full jitter from 1 s, cap 5 min, up to 30 s after a healthy session dropped */
  readonly backoff?: ReconnectBackoff;
  /** Reconnect attempts for one drop before the cycle fails. @default 8 */
  readonly maxReconnects?: number;
  /** Wait for the welcome and the resume answer after a reconnect. @default 15000 */
  readonly answerTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface OpenStream {
  readonly begin: SnapshotBeginMessage;
  end: SnapshotEndMessage | undefined;
  /** Highest sequence handed to a connection. */
  sent: number;
}

/**
 * A control-plane session that survives drops of its connection in the middle of a snapshot.
 * Every batch is kept in a {@link FrameSpool} until the control plane acknowledges it; when
 * the socket closes, the session reconnects with backoff, says hello again, re-sends the
 * snapshotBegin and continues after the sequence the control plane answers with (only the
 * unacknowledged frames go again). A control plane that discarded the partial snapshot makes
 * `send`/`receive` throw CONTROL_PLANE.SNAPSHOT_EXPIRED: the caller starts a new one. Deltas
 * are not resumed: a drop fails the cycle and the next one sends them again (they are small and
 * applying them twice changes nothing). Heartbeats run both ways when both sides speak
 * heartbeat.v1.
 */
export class ResumableSession implements AgentConnection {
  private current: AgentConnection | undefined;
  private hello: HelloMessage | undefined;
  private welcome: WelcomeMessage | undefined;
  private heartbeat: HeartbeatMonitor | undefined;
  private stream: OpenStream | undefined;
  private readonly pending: ServerMessage[] = [];
  private readonly spool: FrameSpool;
  private readonly backoff: ReconnectBackoff;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Reconnects that resumed a snapshot. */
  resumes = 0;
  /** Frames sent again after a resume (never one the control plane had acknowledged). */
  resentFrames = 0;

  constructor(private readonly options: ResumableSessionOptions) {
    this.spool = new FrameSpool({ file: options.spoolFile, ...(options.maxSpoolMemoryBytes !== undefined ? { maxMemoryBytes: options.maxSpoolMemoryBytes } : {}) });
    this.backoff = options.backoff ?? new ReconnectBackoff();
    this.sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /** Opens the first connection. */
  async open(): Promise<void> {
    this.current = await this.options.connect();
  }

  async send(message: AgentMessage): Promise<void> {
    if (message.type === 'hello') this.hello = message;
    if (message.type === 'snapshotBegin' && this.resumable) {
      await this.spool.clear();
      this.stream = { begin: message, end: undefined, sent: 0 };
    }
    const stream = this.stream;
    // A snapshot's frame is encoded once, for the spool and the socket alike.
    let frame: Uint8Array | undefined;
    if (stream && message.type === 'objectBatch' && message.snapshotId === stream.begin.snapshotId) {
      frame = encodeAgentMessage(message);
      await this.spool.append(message.sequence, frame);
      stream.sent = message.sequence;
    }
    if (stream && message.type === 'snapshotEnd' && message.snapshotId === stream.begin.snapshotId) stream.end = message;
    try {
      const connection = this.connection();
      await (frame && connection.sendFrame ? connection.sendFrame(frame) : connection.send(message));
      await this.drain();
    } catch (err) {
      if (!this.canResume(err)) throw err;
      await this.resume();
    }
  }

  async receive(timeoutMs: number, waitingFor: string): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let message = this.pending.shift();
      if (!message) {
        try {
          message = await this.connection().receive(Math.max(1, deadline - Date.now()), waitingFor);
        } catch (err) {
          if (!this.canResume(err)) throw err;
          await this.resume();
          continue;
        }
      }
      if (await this.absorb(message)) continue;
      return message;
    }
  }

  async close(code?: number, reason?: string, options?: CloseOptions): Promise<void> {
    this.stopHeartbeat();
    this.stream = undefined;
    await this.spool.clear();
    await this.current?.close(code, reason, options);
  }

  private get resumable(): boolean {
    return this.welcome?.capabilities.includes(Capability.RESUME_V1) ?? false;
  }

  private connection(): AgentConnection {
    if (!this.current) throw new ControlPlaneError('CONTROL_PLANE.CLOSED', 'the session was not opened');
    return this.current;
  }

  private canResume(err: unknown): boolean {
    return this.stream !== undefined && this.hello !== undefined && err instanceof ControlPlaneError && err.code === 'CONTROL_PLANE.CLOSED';
  }

  /** Takes the acks that arrived meanwhile, so the spool stays short. */
  private async drain(): Promise<void> {
    for (let message = this.current?.poll?.(); message; message = this.current?.poll?.()) {
      if (!(await this.absorb(message))) this.pending.push(message);
    }
  }

  /** Handles what the session consumes itself (welcome, acks, heartbeats); true when consumed. */
  private async absorb(message: ServerMessage): Promise<boolean> {
    const stream = this.stream;
    if (message.type === 'welcome') this.onWelcome(message);
    if (message.type === 'ack') {
      if (stream && message.snapshotId === stream.begin.snapshotId) await this.spool.acknowledge(message.sequence);
      return true;
    }
    if (message.type === 'heartbeat') return true;
    if ((message.type === 'snapshotCommitted' || message.type === 'snapshotRejected') && message.snapshotId === stream?.begin.snapshotId) {
      this.stream = undefined;
      await this.spool.clear();
    }
    return false;
  }

  private onWelcome(welcome: WelcomeMessage): void {
    this.welcome = welcome;
    this.backoff.reset();
    this.stopHeartbeat();
    const connection = this.current;
    if (!connection || !welcome.capabilities.includes(Capability.HEARTBEAT_V1)) return;
    const monitor = new HeartbeatMonitor({
      intervalMs: welcome.heartbeatIntervalMs,
      beat: () => void connection.send({ type: 'heartbeat', sentAtMs: Date.now() }).catch(() => undefined),
      dead: (silentMs) => {
        this.options.log?.(`the control plane sent nothing for ${silentMs} ms; dropping the connection`);
        connection.terminate?.();
      },
    });
    connection.onActivity = () => monitor.heard();
    this.heartbeat = monitor;
    monitor.start();
  }

  private stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = undefined;
  }

  /** Reconnects after a drop and continues the open snapshot after the control plane's ack. */
  private async resume(): Promise<void> {
    const stream = this.stream as OpenStream;
    const hello = this.hello as HelloMessage;
    const log = this.options.log ?? (() => undefined);
    const timeoutMs = this.options.answerTimeoutMs ?? 15_000;
    this.stopHeartbeat();
    this.current?.terminate?.();
    this.pending.length = 0;
    let delay = this.backoff.afterHealthyDropMs();
    for (let attempt = 1; ; attempt++) {
      log(`connection lost during snapshot ${stream.begin.snapshotId} (${stream.sent} frames sent, ${this.spool.acknowledged} acknowledged); reconnecting in ${delay} ms`);
      await this.sleep(delay);
      try {
        this.current = await this.options.connect();
        await this.current.send(hello);
        const welcome = await this.current.receive(timeoutMs, 'welcome');
        if (welcome.type !== 'welcome') throw new ControlPlaneError('CONTROL_PLANE.CLOSED', `the control plane sent ${welcome.type} where welcome was expected`);
        this.onWelcome(welcome);
        if (!this.resumable) throw new ControlPlaneError('CONTROL_PLANE.SNAPSHOT_EXPIRED', 'the control plane no longer resumes snapshots');
        await this.current.send(stream.begin);
        let answer = await this.current.receive(timeoutMs, 'the resume point');
        while (answer.type === 'heartbeat' || answer.type === 'syncRequest') {
          // A sync request is not the answer: the cycle gets it once the snapshot is done.
          if (answer.type === 'syncRequest') this.pending.push(answer);
          answer = await this.current.receive(timeoutMs, 'the resume point');
        }
        const decision = decideResume(answer, { snapshotId: stream.begin.snapshotId, acknowledged: this.spool.acknowledged, sent: stream.sent });
        if (decision.kind === 'restart') throw new ControlPlaneError('CONTROL_PLANE.SNAPSHOT_EXPIRED', decision.reason);
        await this.spool.acknowledge(decision.after);
        let resent = 0;
        for await (const frame of this.spool.replay(decision.after)) {
          await this.current.send(frame);
          resent += 1;
          await this.drain();
        }
        if (stream.end) await this.current.send(stream.end);
        this.resumes += 1;
        this.resentFrames += resent;
        log(`resumed snapshot ${stream.begin.snapshotId} after frame ${decision.after}: ${resent} unacknowledged frames sent again`);
        return;
      } catch (err) {
        const retry = err instanceof ControlPlaneError && ['CONTROL_PLANE.CLOSED', 'CONTROL_PLANE.UNREACHABLE', 'CONTROL_PLANE.TIMEOUT'].includes(err.code);
        if (!retry || attempt >= (this.options.maxReconnects ?? 8)) {
          this.stream = undefined;
          await this.spool.clear();
          throw err;
        }
        this.current?.terminate?.();
        delay = this.backoff.nextDelayMs();
      }
    }
  }
}
