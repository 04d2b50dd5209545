import {
  decodeServerFrame,
  encodeAgentMessage,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type AgentMessage,
  type ServerMessage,
} from '@syncready/protocol';
import WebSocket from 'ws';

/** A hand-driven agent connection for tests that misbehave on purpose. */
export class RawAgent {
  readonly received: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.received.push(decodeServerFrame(data, { maxFrameBytes: MAX_FRAME_BYTES })));
    this.closed = new Promise((resolve) => socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(wsUrl: string): Promise<RawAgent> {
    const socket = new WebSocket(`${wsUrl}/agent/v1`, { maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawAgent(socket);
  }

  send(message: AgentMessage): void {
    this.socket.send(encodeAgentMessage(message));
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.send(bytes);
  }

  hello(siteKey: string): void {
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, agentVersion: 'test', capabilities: [], siteKey, hostName: 'raw-agent' });
  }

  /** Waits until a message of `type` arrives. */
  async waitFor<T extends ServerMessage['type']>(type: T, timeoutMs = 10_000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.received.find((m) => m.type === type);
      if (found) return found as Extract<ServerMessage, { type: T }>;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`);
  }
}
