import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import {
  AGENT_CHALLENGE_PATH,
  AgentAuthHeader,
  agentAuthMessage,
  decodeServerFrame,
  encodeAgentMessage,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type AgentMessage,
  type ServerMessage,
} from '@syncready/protocol';
import WebSocket from 'ws';

/** An enrolled agent's identity, read from its state directory (what `enroll` wrote). */
export class RawAgentIdentity {
  private constructor(
    readonly agentId: string,
    readonly privateKeyPem: string,
    readonly installId: string,
    readonly hostName: string,
  ) {}

  static load(stateDir: string, hostName = 'raw-agent'): RawAgentIdentity {
    const identity = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8')) as { agentId: string };
    return new RawAgentIdentity(identity.agentId, readFileSync(join(stateDir, 'agent-key.pem'), 'utf8'), readFileSync(join(stateDir, 'install-id'), 'utf8').trim(), hostName);
  }

  /** The same identity as seen from another installation (a clone). */
  cloned(installId: string, hostName: string): RawAgentIdentity {
    return new RawAgentIdentity(this.agentId, this.privateKeyPem, installId, hostName);
  }

  /** Signature over the auth message for `nonce` (base64url). */
  sign(nonce: string): string {
    return sign(null, agentAuthMessage(this.agentId, nonce, this.installId, encodeURIComponent(this.hostName)), createPrivateKey(this.privateKeyPem)).toString('base64url');
  }
}

/** Overrides for tests that forge parts of the upgrade. */
export interface UpgradeOverrides {
  /** CA to trust for wss:// (the test CA). */
  readonly ca?: Buffer;
  readonly nonce?: string;
  readonly signature?: string;
  readonly headers?: Record<string, string>;
}

/** A refused upgrade: the HTTP status and the error code of the body. */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`upgrade refused: HTTP ${status} ${code}`);
  }
}

/** A fresh challenge nonce from the server (trusting `ca` for https). */
export async function fetchNonce(wsUrl: string, ca?: Buffer): Promise<string> {
  const url = `${wsUrl.replace(/^ws/, 'http')}${AGENT_CHALLENGE_PATH}`;
  if (!url.startsWith('https:')) return ((await (await fetch(url)).json()) as { nonce: string }).nonce;
  return new Promise((resolve, reject) => {
    get(url, { ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve((JSON.parse(body) as { nonce: string }).nonce));
    }).on('error', reject);
  });
}

/** The upgrade headers of `identity` for `nonce`. */
export function authHeaders(identity: RawAgentIdentity, nonce: string, signature = identity.sign(nonce)): Record<string, string> {
  return {
    [AgentAuthHeader.AGENT_ID]: identity.agentId,
    [AgentAuthHeader.NONCE]: nonce,
    [AgentAuthHeader.INSTALL_ID]: identity.installId,
    [AgentAuthHeader.HOST_NAME]: encodeURIComponent(identity.hostName),
    [AgentAuthHeader.SIGNATURE]: signature,
  };
}

/** A hand-driven agent connection for tests that misbehave on purpose. */
export class RawAgent {
  readonly received: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.received.push(decodeServerFrame(data, { maxFrameBytes: MAX_FRAME_BYTES })));
    this.closed = new Promise((resolve) => socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  /** Authenticates as `identity` (fresh challenge, signed) and opens the socket; UpgradeRefused on 4xx. */
  static async connect(wsUrl: string, identity: RawAgentIdentity | undefined, overrides: UpgradeOverrides = {}): Promise<RawAgent> {
    const nonce = overrides.nonce ?? (await fetchNonce(wsUrl, overrides.ca));
    const headers = { ...(identity ? authHeaders(identity, nonce, overrides.signature) : {}), ...overrides.headers };
    const socket = new WebSocket(`${wsUrl}/agent/v1`, { maxPayload: 64 * 1024 * 1024, headers, ...(overrides.ca ? { ca: overrides.ca } : {}) });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => {
          let code = '';
          try {
            code = (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? '';
          } catch {
            // not JSON
          }
          reject(new UpgradeRefused(res.statusCode ?? 0, code));
        });
      });
    });
    return new RawAgent(socket);
  }

  send(message: AgentMessage): void {
    this.socket.send(encodeAgentMessage(message));
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.send(bytes);
  }

  hello(): void {
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, agentVersion: 'test', capabilities: [], siteKey: '', hostName: 'raw-agent' });
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
