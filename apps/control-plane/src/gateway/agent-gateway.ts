import { type IncomingMessage, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { CloseCode, toCloseReason } from '@syncready/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { type FixedWindowRateLimiter } from '../enrollment/rate-limiter';
import { authenticateUpgrade, type AuthenticatedAgent } from './agent-authenticator';
import { AgentSession, type SessionSettings } from './agent-session';
import { type NonceStore } from './nonce-store';
import { SnapshotParking } from './snapshot-parking';

/** The path agents connect to. */
export const AGENT_GATEWAY_PATH = '/agent/v1';

/** What the gateway needs besides the session settings. */
export interface GatewayOptions extends SessionSettings {
  readonly nonces: NonceStore;
  /** Upgrade attempts per source address and minute. */
  readonly authLimiter: FixedWindowRateLimiter;
  /** Upgrades waiting for their authentication at once; more are answered 503. @default 256 */
  readonly maxPendingUpgrades?: number;
  /** How often live agents are checked for a revocation made elsewhere (the CLI, another replica). @default 1000 */
  readonly revocationPollMs?: number;
  /** How long a partial snapshot waits for its agent to reconnect and resume it. @default 300000 */
  readonly resumeWindowMs?: number;
}

interface LiveAgent {
  readonly session: AgentSession;
  readonly siteId: string;
  readonly installId: string;
  readonly hostName: string;
}

const REASONS: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/**
 * Accepts agent WebSockets at {@link AGENT_GATEWAY_PATH}, each authenticated before the
 * WebSocket exists (see `authenticateUpgrade`): a refused agent gets an HTTP status and never
 * a socket. One live session per agent: a second one from another installation or host is a
 * clone and is closed with DUPLICATE_SESSION; a reconnect of the same installation replaces
 * the old session. Revoked agents are disconnected with AGENT_REVOKED.
 */
export class AgentGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<AgentSession>();
  private readonly live = new Map<string, LiveAgent>();
  private pending = 0;
  private readonly pollTimer: NodeJS.Timeout;
  private readonly parking: SnapshotParking;
  private readonly settings: SessionSettings;

  constructor(
    server: Server,
    private readonly options: GatewayOptions,
  ) {
    this.parking = new SnapshotParking({
      ...(options.resumeWindowMs !== undefined ? { resumeWindowMs: options.resumeWindowMs } : {}),
      discard: async (snapshot, reason) => {
        await options.store.snapshots.discardGeneration(snapshot.generationId, reason);
        options.log('snapshot.discarded', { snapshotId: snapshot.snapshotId, reason });
      },
    });
    this.settings = { ...options, parking: this.parking };
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes * 2, perMessageDeflate: false });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(request, socket, head));
    this.pollTimer = setInterval(() => void this.pollRevocations(), options.revocationPollMs ?? 1000);
    this.pollTimer.unref();
  }

  private async onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const remoteAddress = request.socket.remoteAddress ?? 'unknown';
    if (path !== AGENT_GATEWAY_PATH) return refuse(socket, 404, 'AGENT.NOT_FOUND');
    if (!this.options.authLimiter.take(remoteAddress)) return refuse(socket, 429, 'AGENT.RATE_LIMITED');
    if (this.pending >= (this.options.maxPendingUpgrades ?? 256)) return refuse(socket, 503, 'AGENT.BUSY');
    this.pending += 1;
    let auth: Awaited<ReturnType<typeof authenticateUpgrade>>;
    try {
      auth = await authenticateUpgrade(request, this.options.store, this.options.nonces);
    } catch (err) {
      this.options.log('agent.auth_error', { remoteAddress, error: err instanceof Error ? err.message : String(err) });
      return refuse(socket, 500, 'AGENT.INTERNAL');
    } finally {
      this.pending -= 1;
    }
    if (!('installId' in auth)) {
      await this.audit(auth.agent?.organizationId ?? null, auth.agent?.id ?? 'anonymous', 'agent.auth_failed', 'failure', remoteAddress, { code: auth.code });
      this.options.log('agent.auth_failed', { remoteAddress, code: auth.code, agentId: auth.agent?.id });
      return refuse(socket, auth.status, auth.code);
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, auth as AuthenticatedAgent, remoteAddress));
  }

  private async accept(ws: WebSocket, auth: AuthenticatedAgent, remoteAddress: string): Promise<void> {
    const { agent } = auth;
    const existing = this.live.get(agent.id);
    if (existing && (existing.installId !== auth.installId || existing.hostName !== auth.hostName)) {
      // The same identity live from another installation: a cloned machine (or a stolen key).
      // The session already running keeps going; the later one is refused.
      const detail = { agentId: agent.id, liveHost: existing.hostName, liveInstallId: existing.installId, refusedHost: auth.hostName, refusedInstallId: auth.installId };
      this.options.log('agent.clone_detected', { ...detail, remoteAddress });
      await this.audit(agent.organizationId, agent.id, 'agent.clone_detected', 'failure', remoteAddress, detail);
      ws.close(CloseCode.DUPLICATE_SESSION, toCloseReason(`agent ${agent.id} is already connected from ${existing.hostName}`));
      return;
    }
    if (existing) existing.session.close(CloseCode.DUPLICATE_SESSION, 'replaced by a newer connection of the same installation');
    const session = new AgentSession(ws, this.settings, remoteAddress, { agentId: agent.id, siteId: agent.siteId, hostName: auth.hostName });
    this.sessions.add(session);
    this.live.set(agent.id, { session, siteId: agent.siteId, installId: auth.installId, hostName: auth.hostName });
    void session.closed.then(() => {
      this.sessions.delete(session);
      if (this.live.get(agent.id)?.session === session) this.live.delete(agent.id);
    });
    this.options.log('agent.connected', { agentId: agent.id, siteId: agent.siteId, hostName: auth.hostName, sessionId: session.sessionId, remoteAddress });
    await this.audit(agent.organizationId, agent.id, 'agent.connected', 'success', remoteAddress, { siteId: agent.siteId, hostName: auth.hostName });
    await this.options.store.agents.touch(agent.id).catch(() => undefined);
  }

  /**
   * Asks every connected agent of `siteId` that takes sync requests to run a cycle now;
   * returns the agents asked (none when no such agent is connected to this replica).
   */
  requestSync(siteId: string, fullSnapshot: boolean, reason: string): { agentId: string; hostName: string }[] {
    const asked: { agentId: string; hostName: string }[] = [];
    for (const [agentId, live] of this.live) {
      if (live.siteId === siteId && live.session.requestSync(fullSnapshot, reason)) asked.push({ agentId, hostName: live.hostName });
    }
    return asked;
  }

  /** Disconnects a revoked agent at once (AGENT_REVOKED); true when it was connected here. */
  disconnectRevoked(agentId: string): boolean {
    const live = this.live.get(agentId);
    if (!live) return false;
    live.session.close(CloseCode.AGENT_REVOKED, 'this agent was revoked');
    return true;
  }

  private async pollRevocations(): Promise<void> {
    if (this.live.size === 0) return;
    try {
      for (const agentId of await this.options.store.agents.revokedAmong([...this.live.keys()])) this.disconnectRevoked(agentId);
    } catch (err) {
      this.options.log('agent.revocation_poll_failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async audit(organizationId: string | null, actor: string, event: string, outcome: 'success' | 'failure', sourceAddress: string, detail: Record<string, unknown>): Promise<void> {
    await this.options.store.audit.record({ organizationId, actor, event, outcome, sourceAddress, detail }).catch((err: unknown) => {
      this.options.log('audit.failed', { event, error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Number of connected agents. */
  get connectedAgents(): number {
    return this.sessions.size;
  }

  /** Tells every agent the server is going away and waits for their sessions to wind down. */
  async close(): Promise<void> {
    clearInterval(this.pollTimer);
    const sessions = [...this.sessions];
    for (const session of sessions) session.close(CloseCode.SERVER_SHUTTING_DOWN, 'control plane shutting down');
    await Promise.all(sessions.map((s) => s.closed));
    this.parking.dispose();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Answers an upgrade with an HTTP error and a JSON body; no WebSocket is created. */
function refuse(socket: Duplex, status: number, code: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code } });
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
