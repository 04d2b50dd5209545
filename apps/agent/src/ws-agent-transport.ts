import { Agent as HttpsAgent } from 'node:https';
import {
  AGENT_CHALLENGE_PATH,
  AgentAuthHeader,
  CloseCode,
  decodeServerFrame,
  describeClose,
  encodeAgentMessage,
  isRetryableClose,
  MAX_FRAME_BYTES,
  type AgentMessage,
  type ServerMessage,
} from '@syncready/protocol';
import WebSocket from 'ws';
import { signChallenge } from './enroll/agent-key';
import { jsonRequest, tlsOptions } from './enroll/json-request';
import { resolveTrust } from './enroll/server-trust';
import { ControlPlaneError } from './exit-codes';

/** One live, authenticated-or-not connection to the control plane. */
export interface AgentConnection {
  /** Sends a frame; resolves once it is written, and waits while the socket is backed up. */
  send(message: AgentMessage): Promise<void>;
  /** Sends a frame already encoded with encodeAgentMessage, like {@link send}. */
  sendFrame?(frame: Uint8Array): Promise<void>;
  /** The next message from the control plane; rejects on close or after `timeoutMs`. */
  receive(timeoutMs: number, waitingFor: string): Promise<ServerMessage>;
  /**
   * Closes the session. With `waitForPeer: false` it sends the close frame and returns without
   * waiting for the control plane's answer (for a process about to exit).
   */
  close(code?: number, reason?: string, options?: CloseOptions): Promise<void>;
  /** A message already received, without waiting; undefined when none is queued. */
  poll?(): ServerMessage | undefined;
  /** Drops the socket at once, without a close handshake (a dead peer never answers one). */
  terminate?(): void;
  /** Called on every frame from the control plane (heartbeat dead-peer detection). */
  onActivity?: (() => void) | undefined;
}

/** How {@link AgentConnection.close} ends the session. */
export interface CloseOptions {
  /** Wait for the control plane's close frame (the WebSocket closing handshake). @default true */
  readonly waitForPeer?: boolean;
}

/** Who the agent is: what it signs the challenge with. */
export interface AgentCredentials {
  readonly agentId: string;
  /** PKCS#8 PEM of the Ed25519 key made at enrollment. */
  readonly privateKeyPem: string;
  readonly installId: string;
  readonly hostName: string;
}

/** Options for {@link connectToControlPlane}. */
export interface ConnectOptions {
  /** wss:// (or ws:// when the caller allowed it) base URL of the control plane. */
  readonly url: string;
  readonly caFile?: string;
  /** SPKI SHA-256 pin of the server certificate (see `server-trust.ts`). */
  readonly caPin?: string;
  readonly credentials: AgentCredentials;
  /** @default 15000 */
  readonly connectTimeoutMs?: number;
  /**
   * Bytes queued in the socket above which send() waits for the queue to drain.
   * @default 1 MiB
   */
  readonly highWaterMark?: number;
}

const AGENT_PATH = '/agent/v1';

function agentUrl(base: string): string {
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = AGENT_PATH;
  return url.toString();
}

/**
 * Opens the WebSocket to the control plane (the one outbound connection the agent makes),
 * authenticated during the upgrade: fetch a challenge nonce, sign it with the agent key and
 * send the signature in the upgrade headers. A refusal arrives as HTTP 401/403 before any
 * WebSocket exists.
 */
export async function connectToControlPlane(options: ConnectOptions): Promise<AgentConnection> {
  const url = agentUrl(options.url);
  const timeoutMs = options.connectTimeoutMs ?? 15_000;
  const httpBase = new URL(url.replace(/^ws(s?):/i, 'http$1:'));
  const trust = await resolveTrust(httpBase, { ...(options.caFile ? { caFile: options.caFile } : {}), ...(options.caPin ? { caPin: options.caPin } : {}) }, timeoutMs);
  const challenge = await jsonRequest(new URL(AGENT_CHALLENGE_PATH, httpBase), { method: 'GET', trust, timeoutMs });
  const nonce = (challenge.body as { nonce?: unknown } | undefined)?.nonce;
  if (challenge.status !== 200 || typeof nonce !== 'string') {
    throw new ControlPlaneError('CONTROL_PLANE.UNREACHABLE', `the control plane at ${httpBase.origin} gave no challenge (HTTP ${challenge.status})`);
  }
  const { credentials } = options;
  const hostHeader = encodeURIComponent(credentials.hostName);
  const socket = new WebSocket(url, {
    handshakeTimeout: timeoutMs,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    headers: {
      [AgentAuthHeader.AGENT_ID]: credentials.agentId,
      [AgentAuthHeader.NONCE]: nonce,
      [AgentAuthHeader.INSTALL_ID]: credentials.installId,
      [AgentAuthHeader.HOST_NAME]: hostHeader,
      [AgentAuthHeader.SIGNATURE]: signChallenge(credentials.privateKeyPem, credentials.agentId, nonce, credentials.installId, hostHeader),
    },
    // ws types its own (deprecated) checkServerIdentity; the TLS one goes through an Agent.
    ...(url.toLowerCase().startsWith('wss:') ? { agent: new HttpsAgent({ ...tlsOptions(trust), keepAlive: false }) } : {}),
  });
  socket.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(new ControlPlaneError('CONTROL_PLANE.UNREACHABLE', `cannot connect to the control plane at ${url}: ${err.message}`, { cause: err }));
    };
    socket.once('open', () => {
      socket.off('error', fail);
      resolve();
    });
    socket.once('error', fail);
    socket.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.length < 8 && chunks.push(chunk));
      res.on('end', () => {
        let code = '';
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code ?? '';
        } catch {
          // not JSON
        }
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        const status = res.statusCode ?? 0;
        const what = `the control plane at ${url} refused this agent: HTTP ${status}${code ? ` ${code}` : ''}`;
        reject(new ControlPlaneError(status === 401 || status === 403 || status === 409 ? 'CONTROL_PLANE.REFUSED' : 'CONTROL_PLANE.UNREACHABLE', what));
      });
    });
  });
  return new WsAgentConnection(socket, url, options.highWaterMark ?? 1024 * 1024);
}

class WsAgentConnection implements AgentConnection {
  private readonly inbox: ServerMessage[] = [];
  private waiter: { resolve: (m: ServerMessage) => void; reject: (e: Error) => void } | undefined;
  private closed: ControlPlaneError | undefined;
  onActivity: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly url: string,
    private readonly highWaterMark: number,
  ) {
    socket.on('message', (data: Buffer) => {
      this.onActivity?.();
      let message: ServerMessage;
      try {
        message = decodeServerFrame(data, { maxFrameBytes: MAX_FRAME_BYTES });
      } catch (err) {
        this.fail(new ControlPlaneError('CONTROL_PLANE.CLOSED', `the control plane sent a frame this agent cannot read: ${(err as Error).message}`, { cause: err }));
        socket.close(CloseCode.PROTOCOL_ERROR, 'malformed frame');
        return;
      }
      if (this.waiter) {
        const { resolve } = this.waiter;
        this.waiter = undefined;
        resolve(message);
      } else {
        this.inbox.push(message);
      }
    });
    socket.on('close', (code: number, reason: Buffer) => {
      const why = reason.toString('utf8');
      // A close that retrying cannot fix means the control plane refused this agent.
      const refused = !isRetryableClose(code);
      this.fail(
        new ControlPlaneError(
          refused ? 'CONTROL_PLANE.REFUSED' : 'CONTROL_PLANE.CLOSED',
          `the control plane at ${this.url} closed the connection: ${describeClose(code, why)}`,
        ),
      );
    });
    socket.on('error', (err: Error) => {
      this.fail(new ControlPlaneError('CONTROL_PLANE.CLOSED', `connection to the control plane at ${this.url} failed: ${err.message}`, { cause: err }));
    });
  }

  private fail(error: ControlPlaneError): void {
    this.closed ??= error;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(this.closed);
    }
  }

  async send(message: AgentMessage): Promise<void> {
    if (this.closed) throw this.closed;
    await this.sendFrame(encodeAgentMessage(message));
  }

  async sendFrame(frame: Uint8Array): Promise<void> {
    if (this.closed) throw this.closed;
    await new Promise<void>((resolve, reject) => {
      this.socket.send(frame, { binary: true }, (err) => {
        if (err) reject(this.closed ?? new ControlPlaneError('CONTROL_PLANE.CLOSED', `sending to the control plane failed: ${err.message}`, { cause: err }));
        else resolve();
      });
      // Backpressure: only wait for the write callback while the socket is backed up, so a
      // fast link streams without a round trip per frame and a slow one stops the reader.
      if (this.socket.bufferedAmount <= this.highWaterMark) resolve();
    });
  }

  poll(): ServerMessage | undefined {
    return this.inbox.shift();
  }

  terminate(): void {
    this.fail(new ControlPlaneError('CONTROL_PLANE.CLOSED', `the control plane at ${this.url} stopped answering heartbeats`));
    this.socket.terminate();
  }

  receive(timeoutMs: number, waitingFor: string): Promise<ServerMessage> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ControlPlaneError('CONTROL_PLANE.TIMEOUT', `the control plane at ${this.url} did not send ${waitingFor} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  async close(code = 1000, reason = 'done', options: CloseOptions = {}): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    if (options.waitForPeer === false) {
      this.socket.close(code, reason);
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 5_000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(code, reason);
    });
  }
}
