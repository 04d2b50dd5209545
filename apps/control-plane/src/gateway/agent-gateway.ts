import { type IncomingMessage, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { CloseCode } from '@syncready/protocol';
import { WebSocketServer } from 'ws';
import { AgentSession, type SessionSettings } from './agent-session';

/** The path agents connect to. */
export const AGENT_GATEWAY_PATH = '/agent/v1';

/**
 * Accepts agent WebSockets on the HTTP server's port, at {@link AGENT_GATEWAY_PATH}. Frames
 * above twice the protocol limit are cut off by ws itself (close 1009) before they are
 * buffered; anything up to that is checked by the session, which closes with the named
 * FRAME_TOO_LARGE code.
 */
export class AgentGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<AgentSession>();

  constructor(
    server: Server,
    private readonly settings: SessionSettings,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxFrameBytes * 2, perMessageDeflate: false });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(request, socket, head));
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== AGENT_GATEWAY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new AgentSession(ws, this.settings, request.socket.remoteAddress ?? 'unknown');
      this.sessions.add(session);
      void session.closed.then(() => this.sessions.delete(session));
    });
  }

  /** Number of connected agents. */
  get connectedAgents(): number {
    return this.sessions.size;
  }

  /** Tells every agent the server is going away and waits for their sessions to wind down. */
  async close(): Promise<void> {
    const sessions = [...this.sessions];
    for (const session of sessions) session.close(CloseCode.SERVER_SHUTTING_DOWN, 'control plane shutting down');
    await Promise.all(sessions.map((s) => s.closed));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
